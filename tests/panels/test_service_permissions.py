"""Proposals, decisions and recruitment change only through staff, whatever page or script
calls the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from panels import services

from ..helpers import assert_permission_denied
from .factories import DecisionFactory
from .factories import PanelFactory
from .factories import ProposalFactory
from .factories import RecruitmentRoundFactory
from .factories import RecruitmentStageFactory
from .factories import StageParticipantFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _proposal(world) -> dict:
    return dict(title="Longer opening hours", summary="Open until 7pm on Thursdays.",
                panel=PanelFactory(), owner=world.staff, response_deadline=TODAY + timedelta(days=14))


# Each service, the message it refuses with, and how to make a sound call to it.
CALLS = {
    "proposal_create": _proposal,
    "proposal_update": lambda world: dict(proposal=ProposalFactory(status="draft"), **_proposal(world)),
    "proposal_send_to_panel": lambda world: dict(proposal=ProposalFactory(status="draft")),
    "decision_record": lambda world: dict(title="Evening hours", decided_on=TODAY, decided_by="leadership"),
    "decision_update": lambda world: dict(decision=DecisionFactory(), title="Evening hours", decided_on=TODAY,
                                          decided_by="leadership"),
    "recruitment_round_create": lambda world: dict(post_title="Adviser", opens_on=TODAY,
                                                   closes_on=TODAY + timedelta(days=30)),
    "recruitment_round_update": lambda world: dict(round_=RecruitmentRoundFactory(), post_title="Adviser",
                                                   opens_on=TODAY, closes_on=TODAY + timedelta(days=30)),
    "stage_set": lambda world: dict(round_=RecruitmentRoundFactory(), kind="interview"),
    "stage_participant_add": lambda world: dict(stage=RecruitmentStageFactory(), partner=world.partner),
    "stage_participant_remove": lambda world: dict(participant=StageParticipantFactory()),
    "involvement_target_set": lambda world: dict(target=Decimal("50")),
}


@pytest.mark.parametrize("role", ["partner", "trustee"])
@pytest.mark.parametrize("name", CALLS)
def test_only_staff_change_proposals_decisions_and_recruitment(world, role, name):
    kwargs = CALLS[name](world)
    assert_permission_denied(lambda: getattr(services, name)(**kwargs, by=world.user_for(role)),
                             apps=("panels", "coprod"), match="Only staff")


def test_staff_may(world):
    """The same calls go through for staff, so the refusals above are about who asks."""
    for name, make in CALLS.items():
        getattr(services, name)(**make(world), by=world.staff)
