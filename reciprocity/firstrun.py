"""The reciprocity app's step of the first-run checklist (see coprod/firstrun.py)."""

from django.utils.translation import gettext_lazy as _

from coprod.firstrun import FirstRunStep

from .models import FundingSource


def _budget_recorded() -> bool:
    return FundingSource.objects.exists()


RATES_AND_BUDGETS = FirstRunStep(
    key="rates_and_budgets", order=30, title=_("Payment rates and budgets"),
    explanation=_("Check the rates partners are paid for each kind of activity (coprod starts with "
                  "suggested ones) and record the grants or budgets that pay for them. Done once a "
                  "budget is recorded."),
    url_name="reciprocity:rate_list", link_text=_("Open rates and budgets"),
    is_complete=_budget_recorded,
)
