"""The demo's claims and payments: a year of them, two funding sources, a voucher batch,
one partner close to a benefit limit, and nothing added by a second run."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from reciprocity import benefits
from reciprocity.models import BenefitRule, Claim, ClaimItem, FundingSource, Payment, Recognition, Voucher

pytestmark = pytest.mark.django_db

MODELS = [Claim, ClaimItem, Payment, FundingSource, BenefitRule, Voucher, Recognition]


@pytest.fixture
def seeded(settings):
    import participants.demo
    import reciprocity.demo
    from coprod.demo import seed_organisation

    settings.DEBUG = True
    seed_organisation()
    participants.demo.seed()
    reciprocity.demo.seed()
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


@pytest.mark.parametrize("day_of_month", [1, 3, 28])
def test_the_partner_is_close_to_the_limit_whatever_the_day_of_the_month(day_of_month, settings, monkeypatch):
    import participants.demo
    import reciprocity.demo
    from coprod.demo import seed_organisation

    real_localdate = timezone.localdate
    today = real_localdate().replace(day=day_of_month)
    # "Today" is that day; turning a stored time into a date still works as usual.
    monkeypatch.setattr(timezone, "localdate", lambda value=None, *args: real_localdate(value, *args)
                        if value is not None else today)
    settings.DEBUG = True
    seed_organisation()
    participants.demo.seed()
    reciprocity.demo.seed()
    waiting = Claim.objects.get(partner__full_name=reciprocity.demo.NEAR_LIMIT, status=Claim.Status.SUBMITTED)
    assert any(check.crosses for check in benefits.benefit_checks(waiting.partner, claim=waiting))


def test_the_demo_staff_member_holds_both_finance_permissions(seeded):
    staff = get_user_model().objects.get(email="staff@example.org")
    assert staff.has_perm("reciprocity.approve_claim") and staff.has_perm("reciprocity.pay_claim")
