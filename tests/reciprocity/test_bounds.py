"""Sensible bounds on the dates people type for claims and finance: the claimable window
(one definition, used by the claim form, the list of meetings offered and claim_create),
and periods and filters that say what is wrong instead of failing."""

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reciprocity import services
from reciprocity.models import Claim
from reciprocity.models import ClaimItem
from reciprocity.models import Rate
from reciprocity.models import claimable_meetings

from ..participants.factories import StaffFactory
from .helpers import give_finance_permissions
from .helpers import meeting_attended

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_claim_create_refuses_a_meeting_attended_more_than_a_year_ago(partner):
    old = meeting_attended(partner, days_ago=400)
    with pytest.raises(ValidationError) as error:
        services.claim_create(partner=partner, by=partner.user, meeting=old,
                              costs=[{"kind": "travel", "amount": "3.40"}])
    assert "last 12 months" in error.value.message_dict["meeting"][0]
    assert not Claim.objects.exists() and not ClaimItem.objects.exists()


def test_the_meetings_offered_for_a_claim_are_the_ones_claim_create_accepts(partner):
    recent = meeting_attended(partner, days_ago=364)
    old = meeting_attended(partner, days_ago=366)
    assert list(claimable_meetings(partner)) == [recent]
    claim = services.claim_create(partner=partner, by=partner.user, meeting=recent,
                                  costs=[{"kind": "travel", "amount": "3.40"}])
    assert claim.activity_date == timezone.localdate(recent.starts_at)
    with pytest.raises(ValidationError):
        services.claim_create(partner=partner, by=partner.user, meeting=old,
                              costs=[{"kind": "travel", "amount": "3.40"}])


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(2000, 1, 1)])
def test_a_claim_dated_long_ago_is_refused_on_the_form_with_the_window_named(client, partner, day):
    client.force_login(partner.user)
    response = client.post(reverse("reciprocity:my_claim_create"), {
        "action": "send", "activity": "Read the leaflet", "activity_date": day.isoformat(), "travel": "3.00"})
    assert response.status_code == 200
    earliest = TODAY() - timedelta(days=365)
    assert f"the date cannot be before {earliest.day} {earliest:%B %Y}" in response.content.decode()
    assert not Claim.objects.exists()


def test_a_claim_a_year_ago_to_the_day_is_still_accepted(partner):
    claim = services.claim_create(partner=partner, by=partner.user, activity="Read the leaflet",
                                  activity_date=TODAY() - timedelta(days=365),
                                  costs=[{"kind": "travel", "amount": "3.40"}])
    assert claim.pk


def test_a_rate_from_the_year_9999_is_refused_with_a_message(client):
    staff = give_finance_permissions(StaffFactory())
    client.force_login(staff)
    activity_type = services.activity_type_save(name="Reading papers", by=staff)
    response = client.post(reverse("reciprocity:rate_create"), {
        "activity_type": activity_type.pk, "basis": "hourly", "amount": "20", "effective_from": "9999-12-31"})
    assert response.status_code == 200
    assert "cannot be more than five years ahead" in response.content.decode()
    assert not Rate.objects.filter(activity_type=activity_type).exists()


def test_a_payment_date_before_2000_is_refused_by_the_service(partner, finance, source):
    claim = services.claim_create(partner=partner, by=partner.user, activity="Read the leaflet",
                                  activity_date=TODAY(), costs=[{"kind": "travel", "amount": "3.40"}],
                                  submit=True)
    services.claim_approve(claim=claim, by=finance)
    with pytest.raises(ValidationError) as error:
        services.claim_pay(claim=claim, by=finance, method="bank_transfer",
                           paid_on=datetime.date(1999, 12, 31), funding_source=source)
    assert "1 January 2000" in error.value.message_dict["paid_on"][0]


def test_a_finance_export_past_today_is_refused_with_a_message(finance, client):
    client.force_login(finance)
    tomorrow = TODAY() + timedelta(days=1)
    response = client.get(reverse("reciprocity:finance_export"),
                          {"start": TODAY().isoformat(), "end": tomorrow.isoformat()}, follow=True)
    assert "The period cannot go past today" in response.content.decode()


def test_the_claims_filter_the_wrong_way_round_says_so_and_still_lists_claims(finance, client, partner):
    services.claim_create(partner=partner, by=partner.user, activity="Read the leaflet",
                          activity_date=TODAY(), costs=[{"kind": "travel", "amount": "3.40"}])
    client.force_login(finance)
    response = client.get(reverse("reciprocity:claim_list"),
                          {"date_from": "9999-12-31", "date_to": "0001-01-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check the year" in page
    assert "Read the leaflet" in page
