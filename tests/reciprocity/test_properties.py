"""Property-based tests of the reciprocity services that take what people type or upload:
amounts, dates, text and receipts. Whatever comes in, bad input is refused with a message
and saves nothing; good input is kept as it was meant."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from reciprocity import services
from reciprocity.models import ActivityType
from reciprocity.models import Claim
from reciprocity.models import FundingSource
from reciprocity.models import Payment
from reciprocity.models import Rate

from ..properties import any_text
from ..properties import assert_refused
from ..properties import days_after
from ..properties import example
from ..properties import expected_money
from ..properties import expected_text
from ..properties import money_inputs
from ..properties import near_and_far_dates
from ..properties import random_uploads
from ..properties import real_uploads
from ..properties import years_ahead
from .helpers import approved_claim

pytestmark = pytest.mark.django_db

RECEIPT_NAMES = ["ticket.jpg", "photo.jpeg", "scan.png", "receipt.pdf", "photo.webp", "photo.heic"]


def _planned(day: datetime.date) -> bool:
    """Rates and grants: from 1 January 2000 to five years ahead."""
    return datetime.date(2000, 1, 1) <= day <= years_ahead(timezone.localdate(), 5)


def _claim_for_costs(partner, **overrides):
    values = {"partner": partner, "by": partner.user, "activity": "Read the new leaflet",
              "activity_date": timezone.localdate() - timedelta(days=3),
              "costs": [{"kind": "travel", "amount": "3.40", "description": "Bus"}]}
    values.update(overrides)
    return lambda: services.claim_create(**values)


@given(amount=money_inputs)
def test_a_cost_is_kept_only_in_pounds_and_pence_up_to_the_limit(partner, amount):
    expected = expected_money(amount)
    create = _claim_for_costs(partner, costs=[{"kind": "travel", "amount": amount, "description": "Bus"}])
    with example():
        if expected is None:
            assert_refused(create)
        else:
            claim = create()
            assert claim.total == expected
            assert claim.items.get().amount == expected


@given(day=near_and_far_dates(400))
def test_a_claim_is_accepted_only_for_a_day_in_the_last_twelve_months(partner, day):
    today = timezone.localdate()
    create = _claim_for_costs(partner, activity_date=day)
    with example():
        if today - timedelta(days=365) <= day <= today:
            assert create().activity_date == day
        else:
            assert_refused(create, field="activity_date")


@given(text=any_text)
def test_what_a_claim_was_for_is_kept_only_as_plain_text_of_200_characters_at_most(partner, text):
    expected = expected_text(text, limit=200)
    create = _claim_for_costs(partner, activity=text)
    with example():
        if expected is None:
            assert_refused(create)
        else:
            assert create().activity == expected


@given(upload=random_uploads(RECEIPT_NAMES))
def test_random_bytes_named_like_a_photo_or_pdf_are_refused_as_a_receipt(partner, upload):
    costs = [{"kind": "travel", "amount": "3.40", "description": "Bus", "receipt": upload}]
    with example():
        assert_refused(_claim_for_costs(partner, costs=costs), field="receipt")


@given(upload=real_uploads(["JPEG", "PNG", "PDF", "WEBP"]))
def test_a_real_photo_or_pdf_is_kept_as_a_receipt(partner, upload):
    costs = [{"kind": "travel", "amount": "3.40", "description": "Bus", "receipt": upload}]
    with example():
        item = _claim_for_costs(partner, costs=costs)().items.get()
        assert item.receipt_type in {"image/jpeg", "image/png", "application/pdf", "image/webp"}
        assert item.receipt.size == upload.size


@pytest.fixture
def fee_type(db):
    return ActivityType.objects.create(name="Reading papers")


@given(day=near_and_far_dates(), amount=money_inputs)
def test_a_rate_needs_a_sensible_start_date_and_amount(fee_type, staff, day, amount):
    with example():
        before = Rate.objects.count()
        create = lambda: services.rate_create(  # noqa: E731
            activity_type=fee_type, basis=Rate.Basis.HOURLY, amount=amount, effective_from=day, by=staff)
        if _planned(day) and expected_money(amount) is not None:
            rate = create()
            assert (rate.effective_from, rate.amount) == (day, expected_money(amount))
            assert Rate.objects.count() == before + 1
        else:
            assert_refused(create)


@given(starts_on=near_and_far_dates(), length=st.integers(min_value=-400, max_value=4000))
def test_a_funding_source_runs_forwards_between_2000_and_five_years_ahead(staff, starts_on, length):
    ends_on = days_after(starts_on, length)
    with example():
        create = lambda: services.funding_source_save(  # noqa: E731
            funder="Community Fund", grant="Voices", kind=FundingSource.Kind.LAUNCH, amount="1000",
            starts_on=starts_on, ends_on=ends_on, by=staff)
        if _planned(starts_on) and _planned(ends_on) and ends_on >= starts_on:
            source = create()
            assert (source.starts_on, source.ends_on) == (starts_on, ends_on)
        else:
            assert_refused(create)


@given(day=near_and_far_dates(60))
def test_a_payment_date_lies_between_the_day_the_claim_was_sent_and_today(partner, finance, source, day):
    today = timezone.localdate()
    sent = timezone.now() - timedelta(days=20)
    with example():
        claim = approved_claim(partner, finance)
        Claim.objects.filter(pk=claim.pk).update(submitted_at=sent)
        claim.refresh_from_db()
        pay = lambda: services.claim_pay(  # noqa: E731
            claim=claim, by=finance, method=Payment.Method.BANK_TRANSFER, paid_on=day, funding_source=source)
        if timezone.localdate(sent) <= day <= today:
            assert pay().paid_on == day
        else:
            assert_refused(pay, field="paid_on")


@given(reason=any_text)
def test_a_reason_for_turning_a_claim_down_is_plain_text_of_2000_characters_at_most(partner, finance, reason):
    expected = expected_text(reason, limit=2000)
    with example():
        claim = approved_claim(partner, finance)
        reject = lambda: services.claim_reject(claim=claim, by=finance, reason=reason)  # noqa: E731
        if expected is None:
            assert_refused(reject)
        else:
            assert reject().rejection_reason == expected

