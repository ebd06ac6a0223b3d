"""A partner claims in short steps (what it was for, the fee, money spent) and checks
their answers before sending; each step refuses what is wrong with a clear message and
saves nothing until the last one, and only the claim service saves."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from reciprocity.models import Claim

from .helpers import hourly
from .helpers import jpeg
from .helpers import make_claim
from .helpers import meeting_attended

pytestmark = pytest.mark.django_db


def test_a_claim_for_a_meeting_in_three_steps_then_checked_and_sent(signed_in, partner):
    meeting = meeting_attended(partner, hours=Decimal("3.00"))
    page = signed_in.get(reverse("reciprocity:my_claim_create")).content.decode()
    assert "step 1 of 3" in page and meeting.title in page and "Travel" not in page

    response = signed_in.post(reverse("reciprocity:my_claim_create"), {"meeting": meeting.pk})
    assert response.url == reverse("reciprocity:my_claim_step_fee")
    response = signed_in.post(response.url, {"activity_type": hourly().pk})
    assert response.url == reverse("reciprocity:my_claim_step_costs")
    assert not Claim.objects.exists()  # nothing saved before the last step
    response = signed_in.post(response.url, {"travel": "4.80", "travel_description": "Bus",
                                             "travel_receipt": jpeg()})
    claim = Claim.objects.get()
    assert response.url == reverse("reciprocity:my_claim_check", args=[claim.pk])
    assert claim.status == Claim.Status.DRAFT

    check = signed_in.get(response.url).content.decode()
    assert "Check your claim before sending it" in check
    assert meeting.title in check and "3 hours" in check and "£4.80" in check and "£64.80" in check
    signed_in.post(reverse("reciprocity:my_claim_submit", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED and claim.total == Decimal("64.80")


def test_each_step_refuses_what_is_wrong_and_says_why(signed_in, partner):
    response = signed_in.post(reverse("reciprocity:my_claim_create"), {
        "activity": "", "activity_date_day": "31", "activity_date_month": "2", "activity_date_year": "2026"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Tell us what you did, or choose a meeting above." in page
    assert "Enter a date, for example 14 3 2026." in page
    assert "Choose a fee or enter at least one cost" not in page  # that belongs to a later step

    day = datetime.date.today() - datetime.timedelta(days=10)
    signed_in.post(reverse("reciprocity:my_claim_create"), {
        "activity": "Read the leaflet", "activity_date_day": day.day, "activity_date_month": day.month,
        "activity_date_year": day.year})
    signed_in.post(reverse("reciprocity:my_claim_step_fee"), {"activity_type": ""})
    response = signed_in.post(reverse("reciprocity:my_claim_step_costs"), {})
    assert "Choose a fee or enter at least one cost" in response.content.decode()
    assert not Claim.objects.exists()


def test_a_later_step_without_the_first_starts_again(signed_in):
    response = signed_in.get(reverse("reciprocity:my_claim_step_costs"))
    assert response.url == reverse("reciprocity:my_claim_create")


def test_another_partners_claim_cannot_be_checked(client, partner, other):
    claim = make_claim(partner, submit=False)
    client.force_login(other.user)
    assert client.get(reverse("reciprocity:my_claim_check", args=[claim.pk])).status_code == 404
