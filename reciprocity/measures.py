"""Measures of trust: how quickly partners are paid, and where the money comes from.

Figures are worked out in the database: the median takes a count and one or two
rows from the ordered list, whatever the number of payments.
"""

from decimal import Decimal

from django.db.models.functions import TruncMonth

from .models import FundingSource
from .models import PaymentQuerySet
from .models import sum_money


def median_days_to_pay(payments: PaymentQuerySet) -> Decimal | None:
    """The median number of days from a claim being sent to it being paid; None without payments."""
    count = payments.count()
    if not count:
        return None
    ordered = payments.order_by("days_to_pay").values_list("days_to_pay", flat=True)
    middle = count // 2
    if count % 2:
        return Decimal(ordered[middle])
    low, high = list(ordered[middle - 1 : middle + 1])
    return (Decimal(low) + Decimal(high)) / 2


def spend_by_month(source: FundingSource) -> list[dict]:
    """Spending charged to the source, per calendar month of payment, oldest first."""
    rows = (
        source.payments.order_by()
        .annotate(month=TruncMonth("paid_on"))
        .values("month")
        .annotate(amount=sum_money("amount"))
        .order_by("month")
    )
    return [
        {"month": row["month"], "label": f"{row['month']:%b %Y}", "amount": row["amount"]} for row in rows
    ]
