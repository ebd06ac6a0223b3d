"""Sensible bounds on the dates and periods staff type about partners: the partner list's
"became active" range, and how long a re-sent invitation link works."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants import services

from .factories import InvitationFactory
from .factories import SensitiveStaffFactory

pytestmark = pytest.mark.django_db


def test_the_became_active_range_the_wrong_way_round_says_so_and_lists_partners(staff_client, world):
    response = staff_client.get(reverse("participants:partner_list"),
                                {"active_from": "2026-06-01", "active_to": "2026-05-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert ("“Became active on or before” must be the same day as “Became active on or after” or later."
            in page)
    assert world.partner.full_name in page


@pytest.mark.parametrize("days", [0, 61, -5])
def test_a_resent_invitation_link_works_for_1_to_60_days(days):
    staff = SensitiveStaffFactory()
    invitation = InvitationFactory(created_by=staff)
    with pytest.raises(ValidationError) as error:
        services.invitation_resend(invitation=invitation, by=staff, request_or_base_url="http://testserver",
                                   days_valid=days)
    assert "1 to 60 days" in error.value.message_dict["days_valid"][0]


def test_a_control_character_in_a_partners_own_details_is_refused_and_nothing_changes(world):
    partner = world.partner
    before = partner.history.count()
    with pytest.raises(ValidationError) as error:
        services.partner_update_own_details(partner=partner, data={"availability": "Mornings\x1b[2J"},
                                            by=partner.user)
    assert "control characters" in error.value.message_dict["availability"][0]
    assert partner.history.count() == before
