"""The demo proposals, decisions, staff time and recruitment rounds (panels/demo/decisions.py)."""

import pytest

import coprod.demo
import ladder.demo
import panels.demo
import participants.demo
from panels.models import Decision
from panels.models import FeedbackPoint
from panels.models import FeedbackResponse
from panels.models import Proposal
from panels.models import RecruitmentRound
from panels.models import StaffTime
from panels.models import StageParticipant

pytestmark = pytest.mark.django_db


def _counts() -> tuple:
    return tuple(model.objects.count() for model in (Proposal, FeedbackPoint, FeedbackResponse, Decision,
                                                      StaffTime, RecruitmentRound, StageParticipant))


def test_demo_proposals_decisions_and_recruitment_are_seeded_once():
    coprod.demo.seed_organisation()
    participants.demo.seed()
    ladder.demo.seed()
    panels.demo.seed()
    panels.demo.decisions.seed()
    first = _counts()
    panels.demo.decisions.seed()
    assert _counts() == first, "a second run must add nothing"

    answered = Proposal.objects.get(status="responded")
    assert not answered.points.unanswered().exists()
    answers = FeedbackResponse.objects.filter(point__proposal=answered)
    outcomes = set(answers.values_list("outcome", flat=True))
    assert outcomes == {"accepted", "partly", "declined"}
    assert FeedbackResponse.objects.filter(outcome="declined").exclude(reason="").exists()
    assert FeedbackPoint.objects.overdue().exists(), "one proposal has an unanswered, overdue point"

    assert Decision.objects.count() >= 12
    assert Decision.objects.shaped_by_lived_experience().filter(shaped_by_proposal__isnull=False).exists()
    assert Decision.objects.values("rung").distinct().count() >= 4
    assert set(Decision.objects.values_list("is_public", flat=True)) == {True, False}
    assert StaffTime.objects.filter(meeting__isnull=False).exists()

    involved, total, rate = RecruitmentRound.objects.involvement()
    assert total >= 5 and 0 < involved < total
    rounds = RecruitmentRound.objects.in_last_twelve_months().with_involvement()
    assert rounds.filter(involved=True, stages__kind="interview", stages__participants__partner__isnull=False)
    assert rounds.filter(involved=False).exists()
