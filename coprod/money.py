"""Money as people read it, the same on every page, PDF and e-mail: £1,405.00."""

from decimal import ROUND_HALF_UP
from decimal import Decimal

PENCE = Decimal("0.01")


def pounds(value) -> str:
    """£1,234.50 with a thousands separator and pence; "—" for nothing (aggregates come
    back from SQLite unrounded, so the value is rounded to the penny first)."""
    if value is None or value == "":
        return "—"
    return f"£{Decimal(value).quantize(PENCE, rounding=ROUND_HALF_UP):,}"
