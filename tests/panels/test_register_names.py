"""Staff registers name partners by their full name, with the name they like beside it."""

import pytest
from django.urls import reverse

from ..participants.factories import PartnerFactory
from ..participants.factories import StaffFactory
from .factories import AttendanceFactory
from .factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_meeting_register_and_panel_members_show_full_and_preferred_name(client):
    partner = PartnerFactory(full_name="Patricia Okafor", preferred_name="Pat")
    membership = MembershipFactory(partner=partner)
    attendance = AttendanceFactory(partner=partner, meeting__panel=membership.panel)
    client.force_login(StaffFactory())
    register = client.get(reverse("panels:meeting_detail", args=[attendance.meeting.pk])).content.decode()
    assert "Patricia Okafor (Pat)" in register
    members = client.get(reverse("panels:panel_detail", args=[membership.panel.pk])).content.decode()
    assert "Patricia Okafor (Pat)" in members


def test_a_partner_without_a_preferred_name_is_shown_by_full_name():
    assert PartnerFactory(full_name="Sam Street", preferred_name="").staff_name == "Sam Street"
