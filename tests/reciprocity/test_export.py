"""The finance export: payments in a period as CSV with a totals row, every cell safe
against spreadsheet formula injection."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reciprocity.exports import payments_csv
from reciprocity.exports import safe_cell

from ..participants.factories import PartnerWithLoginFactory
from .helpers import paid_claim

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil.example","Click")', '\'=HYPERLINK("http://evil.example","Click")'),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("   =1+1", "'   =1+1"),
        ("Sarah Thompson", "Sarah Thompson"),
        ("O'Connor", "O'Connor"),
        (Decimal("12.5"), "12.50"),
        (None, ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value, cell):
    assert safe_cell(value) == cell


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_export_lists_payments_in_the_period_with_a_totals_row(partner, finance, source):
    today = timezone.localdate()
    paid_claim(partner, finance, source, travel=Decimal("3.00"))
    paid_claim(partner, finance, source, hours=Decimal("1"))
    rows = _rows(payments_csv(today - timedelta(days=1), today))
    header, *payments, totals = rows
    assert header[0] == "Payment ID" and header[-1] == "Amount"
    assert len(payments) == 2
    assert totals[0] == "Total of 2 payments"
    assert totals[-3:] == ["60.00", "3.00", "63.00"]


def test_payments_outside_the_period_are_left_out(partner, finance, source):
    today = timezone.localdate()
    paid_claim(partner, finance, source)
    rows = _rows(payments_csv(today - timedelta(days=30), today - timedelta(days=1)))
    assert len(rows) == 2  # header and totals
    assert rows[-1][-1] == "0.00"


def test_a_hostile_partner_name_and_activity_are_neutralised_in_the_download(finance, source, client):
    hostile = PartnerWithLoginFactory(full_name="=cmd|' /C calc'!A0")
    paid_claim(hostile, finance, source, activity="@SUM(1+1)*cmd|' /C calc'!A0")
    client.force_login(finance)
    response = client.get(reverse("reciprocity:finance_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response.content.decode())
    assert rows[1][4] == "'=cmd|' /C calc'!A0"
    assert rows[1][5].startswith("'@SUM")
    for row in rows:
        for cell in row:
            assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_an_export_with_the_end_before_the_start_is_refused(finance, client):
    client.force_login(finance)
    response = client.get(reverse("reciprocity:finance_export"), {"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 302
    assert response.url == reverse("reciprocity:finance")
