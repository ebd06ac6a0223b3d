"""Activity types' names in Welsh: a Welsh partner choosing the fee reads the Welsh name, or the
English with a note; staff keep the English and save the Welsh name on the activity type form."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reciprocity.models import ActivityType

from .helpers import hourly
from .helpers import meeting_attended

pytestmark = pytest.mark.django_db


def _reads_welsh(partner) -> None:
    partner.user.language = "cy"
    partner.user.save(update_fields=["language"])


def test_a_welsh_partner_reads_the_welsh_name_of_the_fee_or_the_english_with_a_note(signed_in, partner):
    meeting = meeting_attended(partner, hours=Decimal("2.00"))
    fee = hourly()
    fee.name_cy = "Cymryd rhan (yr awr)"
    fee.save(update_fields=["name_cy"])
    others = ActivityType.objects.active().exclude(pk=fee.pk).filter(name_cy="")
    _reads_welsh(partner)
    signed_in.post(reverse("reciprocity:my_claim_create"), {"meeting": meeting.pk})
    page = signed_in.get(reverse("reciprocity:my_claim_step_fee")).content.decode()
    assert "Cymryd rhan (yr awr)" in page and "Involvement (per hour)" not in page
    if others.filter(rates__isnull=False).exists():
        assert "(Nid yw ar gael yn Gymraeg eto)" in page


def test_an_english_partner_reads_the_english_name(signed_in, partner):
    meeting = meeting_attended(partner, hours=Decimal("2.00"))
    fee = hourly()
    fee.name_cy = "Cymryd rhan (yr awr)"
    fee.save(update_fields=["name_cy"])
    signed_in.post(reverse("reciprocity:my_claim_create"), {"meeting": meeting.pk})
    page = signed_in.get(reverse("reciprocity:my_claim_step_fee")).content.decode()
    assert "Involvement (per hour)" in page and "Cymryd rhan" not in page


def test_staff_save_the_welsh_name_and_the_rates_page_says_it_exists(as_finance):
    fee = hourly()
    url = reverse("reciprocity:activity_type_edit", args=[fee.pk])
    assert "Welsh version (optional)" in as_finance.get(url).content.decode()
    response = as_finance.post(url, {"name": fee.name, "name_cy": "Cymryd rhan (yr awr)",
                                     "description": fee.description, "is_active": "on"})
    assert response.status_code == 302
    fee.refresh_from_db()
    assert (fee.name, fee.name_cy) == ("Involvement (per hour)", "Cymryd rhan (yr awr)")
    assert fee.history.first().name_cy == "Cymryd rhan (yr awr)"
    page = as_finance.get(reverse("reciprocity:rate_list")).content.decode()
    assert '<span lang="cy">Cymryd rhan (yr awr)</span>' in page and "No Welsh version yet" in page
