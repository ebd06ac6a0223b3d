"""What each person may see of panels, meetings, proposals and decisions: one queryset
method per model (`visible_to`) that every page uses."""

import pytest
from django.contrib.auth.models import AnonymousUser

from panels.models import Decision
from panels.models import Meeting
from panels.models import Panel
from panels.models import Proposal

from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory
from ..participants.factories import TrusteeFactory
from .factories import AttendanceFactory
from .factories import DecisionFactory
from .factories import MeetingFactory
from .factories import MembershipFactory
from .factories import PanelFactory
from .factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_a_partner_sees_their_panels_meetings_and_proposals_only():
    partner, other = PartnerWithLoginFactory(), PartnerWithLoginFactory()
    mine, theirs = PanelFactory(), PanelFactory()
    MembershipFactory(panel=mine, partner=partner)
    MembershipFactory(panel=theirs, partner=other)
    my_meeting, their_meeting = MeetingFactory(panel=mine), MeetingFactory(panel=theirs)
    invited = MeetingFactory(panel=theirs)
    AttendanceFactory(meeting=invited, partner=partner)
    my_proposal = ProposalFactory(panel=mine, status="with_panel")
    ProposalFactory(panel=theirs, status="with_panel")
    ProposalFactory(panel=mine, status="draft")

    assert list(Panel.objects.visible_to(partner.user)) == [mine]
    assert set(Meeting.objects.visible_to(partner.user)) == {my_meeting, invited}
    assert their_meeting not in Meeting.objects.visible_to(partner.user)
    assert list(Proposal.objects.visible_to(partner.user)) == [my_proposal]


@pytest.mark.parametrize("model", [Panel, Meeting, Proposal, Decision])
def test_staff_see_everything_and_strangers_nothing(model):
    PanelFactory(), MeetingFactory(), ProposalFactory(), DecisionFactory()
    assert model.objects.visible_to(StaffFactory()).count() == model.objects.count() > 0
    assert not model.objects.visible_to(AnonymousUser()).exists()


def test_trustees_read_the_decision_log_but_partners_do_not():
    decision = DecisionFactory()
    assert list(Decision.objects.visible_to(TrusteeFactory())) == [decision]
    assert not Decision.objects.visible_to(PartnerWithLoginFactory().user).exists()
    assert not Panel.objects.visible_to(TrusteeFactory()).exists()
