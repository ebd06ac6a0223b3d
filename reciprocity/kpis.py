"""Reciprocity's part of the dashboard (see coprod/kpis.py): what partners were paid, by type
and by funding source against its budget, how quickly, and the claims that waited too long."""

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coprod.kpis import ZERO
from coprod.kpis import Dashboard
from coprod.kpis import Figure
from coprod.kpis import figures
from coprod.kpis import link
from coprod.kpis import percent
from coprod.models import Organisation
from coprod.models import Service
from coprod.periods import Period
from reciprocity.measures import median_days_to_pay
from reciprocity.models import Claim
from reciprocity.models import FundingSource
from reciprocity.models import Payment
from reciprocity.models import ReciprocitySettings


def reciprocity(period: Period, service: Service | None, organisation: Organisation) -> dict:
    """What partners were paid in the period, by type and by funding source against its
    budget, how quickly, and how many claims have waited too long."""
    payments = Payment.objects.between(period.start, period.end)
    waiting = Claim.objects.waiting_longer_than(ReciprocitySettings.current().claims_waiting_days)
    if service:
        payments = payments.filter(claim__partner__service=service)
        waiting = waiting.filter(partner__service=service)
    totals = payments.totals()
    spent_in_period = dict(payments.order_by().values_list("funding_source").annotate(s=Sum("amount")))
    budgets = []
    sources = FundingSource.objects.with_spend().filter(starts_on__lte=period.end, ends_on__gte=period.start)
    for source in sources:
        budgets.append({
            "source": str(source), "kind": source.get_kind_display(), "budget": source.amount,
            "spent": source.spent, "in_period": spent_in_period.get(source.pk, ZERO),
            "used": percent(source.spent, source.amount), "state": source.budget_state,
        })
    days = median_days_to_pay(payments)
    return {
        "figures": [
            Figure(_("Paid to partners"), totals["amount"], "£", href=link("reciprocity:finance"),
                   note=ngettext("%(count)s payment", "%(count)s payments", totals["count"]) % {
                       "count": totals["count"]}),
            Figure(_("Median days to pay"), days, higher_is_better=False,
                   target=organisation.days_to_pay_target,
                   note=_("From a claim being sent to it being paid."), href=link("reciprocity:finance")),
            Figure(_("Claims waiting too long"), waiting.count(), higher_is_better=False,
                   href=link("reciprocity:finance")),
        ],
        "by_type": [(_("Involvement fees"), totals["fees"]), (_("Expenses paid back"), totals["expenses"])]
        if totals["count"] else [],
        "budgets": budgets,
    }



def _contribute(board: Dashboard, period: Period, service: Service | None,
                organisation: Organisation) -> None:
    board.reciprocity = reciprocity(period, service, organisation)


def register() -> None:
    figures.register("reciprocity", _contribute, order=80)
