"""The staff lists of rates, funding sources, benefit rules, voucher batches, thank-yous and
claims waiting too long as tables: sorted by their headers, and downloaded as CSV or Excel with
the columns the page shows (no "Change" links), partner names only for those allowed to see them."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from .factories import BenefitRuleFactory
from .factories import FundingSourceFactory
from .factories import RecognitionFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(("name", "headers"), [
    ("reciprocity:rate_list", ["Activity type", "Rate", "Basis", "From", "Until", "In force today"]),
    ("reciprocity:funding_list", ["Source", "Kind", "Starts", "Ends", "Budget", "Spent", "Left", "Used"]),
    ("reciprocity:voucher_list", ["Batch", "Received", "Reference", "Codes", "In stock"]),
    ("reciprocity:recognition_list", ["Date", "Partner", "Kind", "What for", "Recorded by"]),
    ("reciprocity:finance", ["Claim", "Partner", "Sent", "Days waiting", "Status", "Total"]),
])
def test_each_list_downloads_the_columns_it_shows_but_no_change_links(client, plain_staff, name, headers):
    client.force_login(plain_staff)
    assert _csv(client.get(reverse(name), {"export": "csv"}))[0] == headers
    response = client.get(reverse(name), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == headers


def test_funding_sources_sort_by_their_budget(client, plain_staff):
    FundingSourceFactory(funder="Small Fund", amount="100.00")
    FundingSourceFactory(funder="Large Fund", amount="9000.00")
    client.force_login(plain_staff)
    page = client.get(reverse("reciprocity:funding_list"), {"sort": "-amount"}).content.decode()
    assert page.index("Large Fund") < page.index("Small Fund")
    assert 'aria-sort="descending"' in page
    rows = _csv(client.get(reverse("reciprocity:funding_list"), {"sort": "amount", "export": "csv"}))
    assert [row[0] for row in rows[1:]] == ["Small Fund: Partner payments", "Large Fund: Partner payments"]


def test_thank_yous_download_with_the_partner_and_what_for(client, plain_staff, partner):
    RecognitionFactory(partner=partner, title="=Chaired the panel")
    client.force_login(plain_staff)
    [_, row] = _csv(client.get(reverse("reciprocity:recognition_list"), {"export": "csv"}))
    assert row[1] == partner.full_name
    assert row[3] == "'=Chaired the panel"  # not run as a formula by a spreadsheet


def test_benefit_rules_name_their_partners_only_to_those_allowed(client, plain_staff, finance, partner):
    partner.benefit_check = True
    partner.save()
    BenefitRuleFactory(name="Weekly limit", partners=[partner])
    client.force_login(finance)
    rows = _csv(client.get(reverse("reciprocity:benefit_rule_list"), {"export": "csv"}))
    assert rows[0] == ["Rule", "Period", "Limit", "Counts", "Partners", "In use"]
    assert rows[1][4] == partner.full_name and rows[1][5] == "Yes"
    client.force_login(plain_staff)
    page = client.get(reverse("reciprocity:benefit_rule_list")).content.decode()
    rows = _csv(client.get(reverse("reciprocity:benefit_rule_list"), {"export": "csv"}))
    assert partner.full_name not in page and partner.full_name not in str(rows)
    assert rows[1][4] == "1"
