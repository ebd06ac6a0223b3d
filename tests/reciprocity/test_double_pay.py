"""The double-pay guarantee under real concurrency: parallel "mark as paid" requests
for one claim make exactly one payment, and parallel voucher payments never share a
code. Needs PostgreSQL (SQLite serialises every write, so it proves nothing); CI runs
it on PostgreSQL and refuses to skip it."""

import os
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reciprocity import services
from reciprocity.models import Claim
from reciprocity.models import Payment
from reciprocity.models import Voucher

from ..helpers import in_parallel
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory
from .factories import FundingSourceFactory
from .helpers import give_finance_permissions
from .helpers import make_claim

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 8


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        reason = (
            "the double-pay race needs PostgreSQL's row locks (set DATABASE_URL to a PostgreSQL database)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"the double-pay test cannot be skipped in CI: {reason}")
        pytest.skip(reason)


def _finance_and_claims(claims: int = 1):
    finance = give_finance_permissions(StaffFactory(email="race-finance@example.test"))
    partner = PartnerWithLoginFactory(full_name="Rae Racer")
    source = FundingSourceFactory()
    approved = []
    for _ in range(claims):
        claim = make_claim(partner)
        services.claim_approve(claim=claim, by=finance)
        approved.append(claim)
    return finance, source, approved


def test_parallel_pay_requests_make_exactly_one_payment():
    finance, source, [claim] = _finance_and_claims()
    url = reverse("reciprocity:claim_pay", args=[claim.pk])
    data = {
        "method": "bank_transfer",
        "paid_on": timezone.localdate().isoformat(),
        "funding_source": source.pk,
        "amount": "40.00",
        "reference": "BACS",
    }

    def pay(index: int) -> int:
        client = Client()
        client.force_login(finance)
        return client.post(url, data).status_code

    statuses = in_parallel(pay, REQUESTS)
    assert Payment.objects.filter(claim=claim).count() == 1
    assert sorted(statuses) == [302] + [400] * (REQUESTS - 1), statuses
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAID


def test_parallel_service_calls_pay_once_and_the_rest_are_told_it_is_paid():
    finance, source, [claim] = _finance_and_claims()

    def pay(index: int):
        return services.claim_pay(
            claim=Claim.objects.get(pk=claim.pk),
            by=finance,
            method="cash",
            paid_on=timezone.localdate(),
            funding_source=source,
        )

    results = in_parallel(pay, REQUESTS)
    payments = [result for result in results if isinstance(result, Payment)]
    refusals = [str(result) for result in results if not isinstance(result, Payment)]
    assert len(payments) == 1
    assert len(refusals) == REQUESTS - 1 and all("already been paid" in text for text in refusals), refusals


def test_parallel_voucher_payments_never_share_a_code():
    finance, source, claims = _finance_and_claims(claims=REQUESTS)
    services.voucher_batch_create(
        provider="Love2shop",
        value=Decimal("10.00"),
        received_on=timezone.localdate(),
        codes=[f"RACE-{n:03d}" for n in range(REQUESTS * 4)],
        by=finance,
    )

    def pay(index: int):
        return services.claim_pay(
            claim=claims[index],
            by=finance,
            method="voucher",
            paid_on=timezone.localdate(),
            funding_source=source,
            vouchers="Love2shop|10.00",
        )

    results = in_parallel(pay, REQUESTS)
    assert all(isinstance(result, Payment) for result in results), results
    issued = list(Voucher.objects.filter(payment__isnull=False).values_list("code", "payment_id"))
    assert len(issued) == REQUESTS * 4
    assert len({code for code, _ in issued}) == REQUESTS * 4
    assert Voucher.objects.in_stock().count() == 0
