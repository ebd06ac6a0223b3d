"""Money and numbers as people read them, the same on every page, PDF and e-mail, in the
active language's way of writing numbers: £1,405.00 in English and Welsh, £1 405,00 in Polish."""

from decimal import ROUND_HALF_UP
from decimal import Decimal

from django.utils.formats import number_format

PENCE = Decimal("0.01")


def number(value, decimal_pos: int | None = None) -> str:
    """A number with the active locale's decimal point and thousands separator."""
    return number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)


def pounds(value) -> str:
    """£1,234.50 with a thousands separator and pence; "—" for nothing (aggregates come
    back from SQLite unrounded, so the value is rounded to the penny first)."""
    if value is None or value == "":
        return "—"
    return f"£{number(Decimal(value).quantize(PENCE, rounding=ROUND_HALF_UP), decimal_pos=2)}"
