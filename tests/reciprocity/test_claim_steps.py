"""A partner claims in short steps (what it was for, the fee, money spent) and checks
their answers before sending; each step refuses what is wrong with a clear message and
saves nothing until the last one, and only the claim service saves."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reciprocity import services
from reciprocity import views
from reciprocity.models import ActivityType
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


def _change(pk: int, step: str) -> str:
    return reverse("reciprocity:my_claim_change", args=[pk, step])


def test_every_answer_on_check_your_answers_has_a_change_link(signed_in, partner):
    meeting = meeting_attended(partner)
    claim = services.claim_create(partner=partner, by=partner.user, meeting=meeting, activity_type=hourly(),
                                  costs=[{"kind": "travel", "amount": "3.20", "description": "Bus"}])
    check = signed_in.get(reverse("reciprocity:my_claim_check", args=[claim.pk])).content.decode()
    for hidden in ("the meeting", "what it was for", "the date", "the fee", "travel"):
        assert f'Change<span class="visually-hidden"> {hidden}</span>' in check
    assert f'href="{_change(claim.pk, "what")}"' in check and f'href="{_change(claim.pk, "fee")}"' in check


def test_changing_the_meeting_of_a_checked_claim_comes_back_to_check(signed_in, partner):
    first = meeting_attended(partner, days_ago=3, hours=Decimal("2.00"))
    second = meeting_attended(partner, days_ago=9, hours=Decimal("3.00"))
    claim = services.claim_create(partner=partner, by=partner.user, meeting=first, activity_type=hourly())
    page = signed_in.get(_change(claim.pk, "what")).content.decode()
    assert "Change your answer" in page and first.title in page and second.title in page
    response = signed_in.post(_change(claim.pk, "what"), {"meeting": second.pk})
    assert response.url == reverse("reciprocity:my_claim_check", args=[claim.pk])
    claim.refresh_from_db()
    assert claim.meeting == second and claim.hours == Decimal("3.00")
    assert claim.total == Decimal("60.00")  # the fee worked out again: 3 hours × £20
    assert second.title in signed_in.get(response.url).content.decode()
    # The first meeting is free to be claimed for again.
    assert first in views.claimable_meetings(partner)


def test_changing_the_fee_of_a_checked_claim_keeps_the_costs(signed_in, partner):
    claim = make_claim(partner, submit=False, travel=Decimal("4.00"))
    half_day = ActivityType.objects.get(name="Half day")
    response = signed_in.post(_change(claim.pk, "fee"), {"activity_type": half_day.pk})
    assert response.url == reverse("reciprocity:my_claim_check", args=[claim.pk])
    claim.refresh_from_db()
    assert claim.activity_type == half_day
    assert (claim.fee_total, claim.expenses_total, claim.total) == (
        Decimal("75.00"), Decimal("4.00"), Decimal("79.00"))
    assert list(claim.items.filter(kind="fee").values_list("amount", flat=True)) == [Decimal("75.00")]


def test_a_change_that_is_wrong_says_why_and_saves_nothing(signed_in, partner, other):
    theirs = meeting_attended(other, days_ago=4)
    claim = make_claim(partner, submit=False)
    response = signed_in.post(_change(claim.pk, "what"), {"meeting": theirs.pk})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    response = signed_in.post(_change(claim.pk, "what"), {"activity": ""})
    assert "Tell us what you did, or choose a meeting above." in response.content.decode()
    assert "There is a problem" in response.content.decode()
    response = signed_in.post(_change(claim.pk, "fee"), {"activity_type": ""})
    assert "there is nothing to claim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.activity == "Read the new leaflet and sent comments" and claim.total == Decimal("40.00")


def test_a_meeting_already_claimed_for_cannot_be_chosen_by_changing_another_claim(partner):
    meeting = meeting_attended(partner)
    services.claim_create(partner=partner, by=partner.user, meeting=meeting, activity_type=hourly())
    other_claim = make_claim(partner, submit=False)
    with pytest.raises(ValidationError, match="already a claim for this meeting"):
        services.claim_change(claim=other_claim, by=partner.user, meeting=meeting, activity_type=hourly())


def test_a_sent_claim_cannot_be_changed_and_another_partners_answers_404(client, partner, other):
    claim = make_claim(partner)  # sent
    client.force_login(partner.user)
    response = client.get(_change(claim.pk, "fee"))
    assert response.url == reverse("reciprocity:my_claim_detail", args=[claim.pk])
    with pytest.raises(ValidationError):
        services.claim_change(claim=claim, by=partner.user, activity="Other",
                              activity_date=claim.activity_date)
    draft = make_claim(partner, submit=False)
    client.force_login(other.user)
    assert client.get(_change(draft.pk, "what")).status_code == 404
    assert client.post(_change(draft.pk, "fee"), {"activity_type": ""}).status_code == 404
    assert client.get(_change(draft.pk, "costs")).status_code == 404
