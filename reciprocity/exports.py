"""The finance export: payments in a period as CSV, ready for a finance system.

Every cell is made safe against spreadsheet formula injection: a value that a
spreadsheet would read as a formula (starting with =, +, -, @, a tab or a
carriage return, even after spaces) gets a leading apostrophe, so it is shown
as text and never run.
"""

import csv
import io
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Payment

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    _("Payment ID"),
    _("Paid on"),
    _("Claim ID"),
    _("Partner ID"),
    _("Partner"),
    _("Activity"),
    _("Activity date"),
    _("Method"),
    _("Reference"),
    _("Charity"),
    _("Funding source"),
    _("Fees"),
    _("Expenses"),
    _("Amount"),
]


def safe_cell(value) -> str:
    """The text of one cell, neutralised if a spreadsheet could take it for a formula."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS) or text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def payments_csv(start: date, end: date) -> str:
    """Payments made from `start` to `end` (inclusive), oldest first, with a totals row."""
    payments = Payment.objects.between(start, end).for_list().order_by("paid_on", "pk")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(column) for column in COLUMNS])
    for payment in payments.iterator(chunk_size=500):
        claim = payment.claim
        writer.writerow(
            [
                safe_cell(value)
                for value in [
                    payment.pk,
                    payment.paid_on,
                    claim.pk,
                    claim.partner_id,
                    claim.partner.full_name,
                    claim.activity,
                    claim.activity_date,
                    payment.get_method_display(),
                    payment.reference,
                    payment.charity,
                    str(payment.funding_source),
                    payment.fee_amount,
                    payment.expenses_amount,
                    payment.amount,
                ]
            ]
        )
    totals = payments.totals()
    writer.writerow(
        [
            safe_cell(value)
            for value in [
                ngettext("Total of %(count)s payment", "Total of %(count)s payments", totals["count"]) % {
                    "count": totals["count"]},
                f"{start.isoformat()} to {end.isoformat()}",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                totals["fees"],
                totals["expenses"],
                totals["amount"],
            ]
        ]
    )
    return buffer.getvalue()
