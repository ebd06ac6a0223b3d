"""The points a partner made, our answers, and the recruitment stages they sat on are part
of everything we hold about them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from panels.data_protection import export_points_and_recruitment

from ..participants.factories import PartnerFactory
from .factories import FeedbackPointFactory
from .factories import FeedbackResponseFactory
from .factories import RecruitmentStageFactory
from .factories import StageParticipantFactory

pytestmark = pytest.mark.django_db


def test_export_lists_the_partners_own_points_answers_and_stages_only():
    partner, someone = PartnerFactory(), PartnerFactory()
    point = FeedbackPointFactory(raised_by=partner, text="Open on Thursday evenings")
    FeedbackResponseFactory(point=point, outcome="declined", response="We kept Tuesdays.", reason="Staffing.")
    FeedbackPointFactory(raised_by=someone, text="Somebody else's point")
    stage = RecruitmentStageFactory(round__post_title="Housing adviser")
    StageParticipantFactory(partner=partner, stage=stage)
    title, held = export_points_and_recruitment(partner)
    [mine] = held["points_you_made"]
    assert (mine["you_said"], mine["our_answer"], mine["why"]) == ("Open on Thursday evenings", "Declined",
                                                                   "Staffing.")
    assert held["recruitment_stages"] == [{"post": "Housing adviser", "stage": "Interview", "held_on": None,
                                           "cancelled": False}]
    assert "Somebody else" not in str(held)


def test_export_runs_two_queries_however_much_is_held():
    partner = PartnerFactory()
    for _ in range(10):
        FeedbackResponseFactory(point=FeedbackPointFactory(raised_by=partner))
        FeedbackPointFactory(raised_by=partner)
        StageParticipantFactory(partner=partner)
    with CaptureQueriesContext(connection) as queries:
        title, held = export_points_and_recruitment(partner)
    assert len(queries) == 2
    assert len(held["points_you_made"]) == 20 and len(held["recruitment_stages"]) == 10
