"""The demo's claims and payments: a year of them, two funding sources, a voucher batch,
one partner close to a benefit limit, and nothing added by a second run."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from reciprocity import benefits
from reciprocity.models import BenefitRule
from reciprocity.models import Claim
from reciprocity.models import ClaimItem
from reciprocity.models import FundingSource
from reciprocity.models import Payment
from reciprocity.models import Recognition
from reciprocity.models import Voucher

pytestmark = pytest.mark.django_db

MODELS = [Claim, ClaimItem, Payment, FundingSource, BenefitRule, Voucher, Recognition]


@pytest.fixture
def seeded(demo):
    """The demo organisation, loaded once for this module (`demo`)."""
    import reciprocity.demo

    return reciprocity.demo


def test_a_second_run_adds_nothing(seeded):
    first = {model: model.objects.count() for model in MODELS}
    seeded.seed()
    assert {model: model.objects.count() for model in MODELS} == first


def test_a_year_of_claims_and_payments_across_partners(seeded):
    today = timezone.localdate()
    payments = Payment.objects.all()
    assert payments.count() > 80
    assert payments.values("claim__partner").distinct().count() >= 10
    oldest = payments.order_by("paid_on").first().paid_on
    assert (today - oldest).days > 300
    assert set(Claim.objects.values_list("status", flat=True)) == set(Claim.Status.values)
    assert Claim.objects.waiting_longer_than(14).exists()


def test_two_funding_sources_and_a_voucher_batch(seeded):
    kinds = set(FundingSource.objects.values_list("kind", flat=True))
    assert kinds == {"launch", "sustained"}
    assert Payment.objects.filter(method="voucher").exists()
    assert Voucher.objects.in_stock().exists()


def test_one_partner_is_close_to_a_benefit_limit(seeded):
    waiting = Claim.objects.get(partner__full_name=seeded.NEAR_LIMIT, status=Claim.Status.SUBMITTED)
    checks = benefits.benefit_checks(waiting.partner, claim=waiting)
    assert any(check.crosses for check in checks)


def test_the_demo_staff_member_holds_both_finance_permissions(seeded):
    staff = get_user_model().objects.get(email="staff@example.org")
    assert staff.has_perm("reciprocity.approve_claim") and staff.has_perm("reciprocity.pay_claim")
