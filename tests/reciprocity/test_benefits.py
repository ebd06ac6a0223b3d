"""Benefit-aware totals: periods and their edges, what counts as income, and the
warning (and confirmation) before an approval that would cross a limit."""

from datetime import date
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reciprocity import benefits
from reciprocity import services
from reciprocity.models import BenefitRule
from reciprocity.models import Claim

from .factories import BenefitRuleFactory
from .helpers import approved_claim
from .helpers import make_claim
from .helpers import paid_claim
from .helpers import pay

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 4, 5), (date(2025, 4, 6), date(2026, 4, 5))),  # the last day of a tax year
        (date(2026, 4, 6), (date(2026, 4, 6), date(2027, 4, 5))),  # the first day of the next
        (date(2026, 1, 1), (date(2025, 4, 6), date(2026, 4, 5))),
        (date(2026, 12, 31), (date(2026, 4, 6), date(2027, 4, 5))),
    ],
)
def test_tax_year_runs_from_6_april_to_5_april(on, expected):
    assert benefits.tax_year_bounds(on) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 11, 16), (date(2026, 11, 16), date(2026, 11, 22))),  # a Monday
        (date(2026, 11, 22), (date(2026, 11, 16), date(2026, 11, 22))),  # a Sunday
        (date(2026, 11, 23), (date(2026, 11, 23), date(2026, 11, 29))),  # the next Monday
        (date(2026, 12, 31), (date(2026, 12, 28), date(2027, 1, 3))),  # across the new year
    ],
)
def test_week_runs_monday_to_sunday(on, expected):
    assert benefits.week_bounds(on) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 2, 1), (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2028, 2, 29), (date(2028, 2, 1), date(2028, 2, 29))),  # leap year
        (date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31))),
        (date(2026, 1, 31), (date(2026, 1, 1), date(2026, 1, 31))),
    ],
)
def test_month_is_the_calendar_month(on, expected):
    assert benefits.month_bounds(on) == expected


def _pay_on(partner, finance, source, paid_on, **kwargs):
    return paid_claim(partner, finance, source, paid_on=paid_on, **kwargs)


def test_paid_totals_put_payments_either_side_of_6_april_in_different_tax_years(
    partner, finance, source, settings
):
    source.starts_on = date(2025, 1, 1)
    source.save()
    # Payments must come after the claim was sent: send claims in the past.
    with _frozen(date(2026, 4, 1)):
        before = make_claim(partner, days_ago=1)
    with _frozen(date(2026, 4, 5)):
        services.claim_approve(claim=before, by=finance)
        services.claim_pay(
            claim=before, by=finance, method="bank_transfer", paid_on=date(2026, 4, 5), funding_source=source
        )
    with _frozen(date(2026, 4, 6)):
        after = approved_claim(partner, finance, days_ago=1, hours=Decimal("1"))
        services.claim_pay(
            claim=after, by=finance, method="bank_transfer", paid_on=date(2026, 4, 6), funding_source=source
        )
    assert benefits.paid_totals(partner, on=date(2026, 4, 5))["tax_year"] == Decimal("40.00")
    on_sixth = benefits.paid_totals(partner, on=date(2026, 4, 6))
    assert on_sixth["tax_year"] == Decimal("20.00")
    assert on_sixth["tax_year_label"] == "2026/27"
    # 5 April 2026 is a Sunday, 6 April a Monday: a new week too.
    assert on_sixth["week"] == Decimal("20.00")
    assert on_sixth["month"] == Decimal("60.00")


def test_reimbursed_costs_are_never_income(partner, finance, source):
    rule = BenefitRuleFactory(period="tax_year", limit=Decimal("1000"), partners=[partner])
    paid_claim(partner, finance, source, travel=Decimal("12.00"))  # £40 fee, £12 travel
    paid_claim(partner, finance, source, fee=False, travel=Decimal("30.00"))  # costs only
    [check] = benefits.benefit_checks(partner)
    assert check.rule == rule
    assert check.paid == Decimal("40.00")
    totals = benefits.paid_totals(partner)
    assert totals["tax_year"] == Decimal("82.00")
    assert totals["tax_year_fees"] == Decimal("40.00")
    assert totals["tax_year_expenses"] == Decimal("42.00")


def test_vouchers_count_only_when_the_rule_says_so(partner, finance, source):
    from reciprocity.models import Voucher
    from reciprocity.models import VoucherBatch

    batch = VoucherBatch.objects.create(provider="Love2shop", value=Decimal("10.00"))
    Voucher.objects.bulk_create([Voucher(batch=batch, code=f"C{n}") for n in range(4)])
    counts = BenefitRuleFactory(
        name="Counts vouchers", period="month", counts_vouchers=True, partners=[partner]
    )
    ignores = BenefitRuleFactory(
        name="Ignores vouchers", period="month", counts_vouchers=False, partners=[partner]
    )
    claim = approved_claim(partner, finance)
    pay(claim, finance, source, method="voucher", vouchers="Love2shop|10.00")
    checks = {check.rule: check for check in benefits.benefit_checks(partner)}
    assert checks[counts].paid == Decimal("40.00")
    assert checks[ignores].paid == Decimal("0.00")


def test_money_paid_to_a_charity_does_not_count(partner, finance, source):
    BenefitRuleFactory(period="month", partners=[partner])
    claim = approved_claim(partner, finance)
    pay(claim, finance, source, method="charity", charity="Crisis")
    [check] = benefits.benefit_checks(partner)
    assert check.paid == Decimal("0.00")


def test_approved_unpaid_claims_count_towards_the_projection(partner, finance):
    BenefitRuleFactory(period="week", limit=Decimal("100"), partners=[partner])
    approved_claim(partner, finance)  # £40 agreed, not yet paid
    claim = make_claim(partner)  # another £40
    [check] = benefits.benefit_checks(partner, claim=claim)
    assert (check.paid, check.pending, check.this_claim) == (
        Decimal("0.00"),
        Decimal("40.00"),
        Decimal("40.00"),
    )
    assert check.total_after == Decimal("80.00")
    assert not check.crosses


def test_approval_that_would_cross_a_limit_must_be_confirmed(partner, finance, source):
    BenefitRuleFactory(name="Weekly limit", period="week", limit=Decimal("60"), partners=[partner])
    paid_claim(partner, finance, source)  # £40 fee paid this week
    claim = make_claim(partner)  # £40 more would make £80
    with pytest.raises(ValidationError) as error:
        services.claim_approve(claim=claim, by=finance)
    assert "Weekly limit" in str(error.value.message_dict["over_limit_agreed"])
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    services.claim_approve(claim=claim, by=finance, over_limit_agreed=True)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED and claim.over_limit_agreed


def test_approving_less_keeps_under_the_limit(partner, finance, source):
    BenefitRuleFactory(period="week", limit=Decimal("60"), partners=[partner])
    paid_claim(partner, finance, source)
    claim = make_claim(partner)
    services.claim_approve(claim=claim, by=finance, amount=Decimal("20.00"))
    claim.refresh_from_db()
    assert claim.approved_amount == Decimal("20.00") and not claim.over_limit_agreed


def test_a_payment_last_week_does_not_count_this_week(partner, finance, source):
    BenefitRuleFactory(period="week", limit=Decimal("50"), partners=[partner])
    today = timezone.localdate()
    last_sunday = today - timedelta(days=today.weekday() + 1)
    with _frozen(last_sunday):
        paid_claim(partner, finance, source, days_ago=1)
    claim = make_claim(partner)
    [check] = benefits.benefit_checks(partner, claim=claim)
    assert check.paid == Decimal("0.00")
    assert not check.crosses


def test_rules_not_in_use_are_not_checked(partner):
    BenefitRuleFactory(period="week", partners=[partner], is_active=False)
    assert benefits.benefit_checks(partner) == []


def test_only_partners_flagged_for_benefit_checks_can_be_linked(partner, finance):
    def save_monthly_limit():
        return services.benefit_rule_save(name="Monthly limit", period="month", limit="100", counts_fees=True,
                                          counts_vouchers=True, partners=[partner], by=finance)

    with pytest.raises(ValidationError) as error:
        save_monthly_limit()
    assert "partners" in error.value.message_dict
    assert not BenefitRule.objects.exists()
    partner.benefit_check = True
    partner.save()
    rule = save_monthly_limit()
    assert list(rule.partners.all()) == [partner]


# --- Freezing today's date for boundary tests ---


class _frozen:
    """Make timezone.now() and localdate() answer midday on `day` (services read them)."""

    def __init__(self, day: date):
        from datetime import datetime
        from datetime import time

        self.moment = timezone.make_aware(datetime.combine(day, time(12, 0)))

    def __enter__(self):
        from unittest import mock

        self.patch = mock.patch("django.utils.timezone.now", return_value=self.moment)
        self.patch.start()
        return self

    def __exit__(self, *exc):
        self.patch.stop()
