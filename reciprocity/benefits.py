"""Benefit-aware totals: what a partner has been paid in each rule's period, and
whether a claim would take them past a limit.

Periods: a week runs Monday to Sunday; a month is the calendar month; the UK tax
year runs from 6 April to 5 April. Payments count by the day they were paid
(`Payment.paid_on`). Only the fee part of a payment can count as income (costs
paid back never do), and only when paid in a way the rule counts (see
`BenefitRule.counted_methods`).

None of this is benefits advice: it helps staff notice when to suggest that a
partner checks with independent advice.
"""

from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ZERO
from .models import BenefitRule
from .models import Claim
from .models import Payment
from .models import sum_money

# Independent advice, shown as plain links wherever these totals are.
ADVICE_LINKS = [
    (_("Citizens Advice: benefits and working"), "https://www.citizensadvice.org.uk/benefits/"),
    (_("Turn2us: benefits calculator and help"), "https://www.turn2us.org.uk/"),
]

NEAR_PERCENT = Decimal("90")


def week_bounds(on: date) -> tuple[date, date]:
    start = on - timedelta(days=on.weekday())
    return start, start + timedelta(days=6)


def month_bounds(on: date) -> tuple[date, date]:
    start = on.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def tax_year_bounds(on: date) -> tuple[date, date]:
    year = on.year if on >= date(on.year, 4, 6) else on.year - 1
    return date(year, 4, 6), date(year + 1, 4, 5)


def tax_year_label(on: date) -> str:
    start, end = tax_year_bounds(on)
    return f"{start.year}/{str(end.year)[2:]}"


BOUNDS = {
    BenefitRule.Period.WEEK: week_bounds,
    BenefitRule.Period.MONTH: month_bounds,
    BenefitRule.Period.TAX_YEAR: tax_year_bounds,
}


def period_bounds(period: str, on: date) -> tuple[date, date]:
    return BOUNDS[period](on)


def paid_totals(partner, on: date | None = None) -> dict:
    """What the partner was paid this week, month and tax year (all of it, and the fee
    part of it), in one query."""
    on = on or timezone.localdate()
    week, month, tax_year = week_bounds(on), month_bounds(on), tax_year_bounds(on)
    earliest = min(week[0], month[0], tax_year[0])
    payments = Payment.objects.filter(claim__partner=partner, paid_on__gte=earliest, paid_on__lte=on)

    def within(bounds):
        return Q(paid_on__gte=bounds[0], paid_on__lte=bounds[1])

    totals = payments.aggregate(
        week=sum_money("amount", filter=within(week)),
        month=sum_money("amount", filter=within(month)),
        tax_year=sum_money("amount", filter=within(tax_year)),
        tax_year_fees=sum_money("fee_amount", filter=within(tax_year)),
        tax_year_expenses=sum_money("expenses_amount", filter=within(tax_year)),
    )
    totals.update(
        week_bounds=week, month_bounds=month, tax_year_bounds=tax_year, tax_year_label=tax_year_label(on)
    )
    return totals


@dataclass
class RuleCheck:
    """One benefit rule against one partner's payments in the current period."""

    rule: BenefitRule
    start: date
    end: date
    paid: Decimal  # income already paid in the period
    pending: Decimal  # income on other claims approved but not yet paid
    this_claim: Decimal  # income this claim would add

    @property
    def total_after(self) -> Decimal:
        return self.paid + self.pending + self.this_claim

    @property
    def headroom(self) -> Decimal:
        """How much more income fits under the limit (before this claim)."""
        return max(self.rule.limit - self.paid - self.pending, ZERO)

    @property
    def crosses(self) -> bool:
        return self.total_after > self.rule.limit

    @property
    def near(self) -> bool:
        return not self.crosses and self.total_after * 100 >= self.rule.limit * NEAR_PERCENT

    @property
    def used_percent(self) -> Decimal:
        return (self.total_after * 100 / self.rule.limit).quantize(Decimal("1"))


def claim_income(claim: Claim, amount: Decimal | None = None) -> Decimal:
    """The part of a payment of `amount` (default: what is payable) that is a fee."""
    fee, _ = claim.split(claim.payable if amount is None else amount)
    return fee


def benefit_checks(
    partner, *, claim: Claim | None = None, amount: Decimal | None = None, on: date | None = None
) -> list[RuleCheck]:
    """Each active rule the partner is linked to, with their income in the rule's current
    period, other approved claims waiting to be paid, and what `claim` (paid `amount`) adds.

    Two queries per rule; a partner is linked to a handful of rules at most."""
    on = on or timezone.localdate()
    this_claim = claim_income(claim, amount) if claim is not None else ZERO
    pending_claims = Claim.objects.filter(partner=partner, status=Claim.Status.APPROVED).with_payable()
    if claim is not None:
        pending_claims = pending_claims.exclude(pk=claim.pk)
    checks = []
    for rule in BenefitRule.objects.active().filter(partners=partner):
        start, end = period_bounds(rule.period, on)
        paid = (
            Payment.objects.filter(claim__partner=partner, method__in=rule.counted_methods)
            .between(start, end)
            .aggregate(total=sum_money("fee_amount"))["total"]
        )
        # Approved claims will be paid in this period; counted whatever the method, to be safe.
        pending = (
            pending_claims.aggregate(total=sum_money("payable_fee"))["total"]
            if rule.counted_methods
            else ZERO
        )
        checks.append(
            RuleCheck(
                rule=rule,
                start=start,
                end=end,
                paid=paid,
                pending=pending,
                this_claim=this_claim if rule.counted_methods else ZERO,
            )
        )
    return checks
