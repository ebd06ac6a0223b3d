"""The staff claim list as a table: sorted by its column headers, the partner found by typing
part of their name, and the list downloaded as CSV or Excel exactly as shown."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from ..helpers import assert_queries_bounded
from ..participants.factories import PartnerFactory
from .helpers import make_claim
from .helpers import paid_claim

pytestmark = pytest.mark.django_db
URL = reverse("reciprocity:claim_list")


@pytest.fixture
def claims(partner, finance):
    other = PartnerFactory(full_name="Ann Other")
    return [make_claim(partner, hours=Decimal("1")),
            make_claim(other, by=finance, hours=Decimal("3"), activity='=HYPERLINK("x")')]


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_clicking_a_header_sorts_the_claims_and_says_which_way(as_plain_staff, claims):
    page = as_plain_staff.get(URL, {"sort": "-total"}).content.decode()
    assert page.index("Ann Other") < page.index("Pat Partner")
    assert 'aria-sort="descending"' in page
    page = as_plain_staff.get(URL, {"sort": "total"}).content.decode()
    assert page.index("Pat Partner") < page.index("Ann Other")
    assert 'aria-sort="ascending"' in page


def test_partner_is_found_by_typing_part_of_their_name_not_picked_from_every_partner(as_plain_staff, claims):
    page = as_plain_staff.get(URL).content.decode()
    assert '<select name="partner"' not in page
    assert 'name="partner_name"' in page
    page = as_plain_staff.get(URL, {"partner_name": "ann ot"}).content.decode()
    assert "Ann Other" in page and "Pat Partner" not in page


def test_a_link_from_a_partners_page_still_shows_only_their_claims(as_plain_staff, claims, partner):
    page = as_plain_staff.get(URL, {"partner": partner.pk}).content.decode()
    assert "Pat Partner" in page and "Ann Other" not in page


def test_csv_holds_every_claim_the_filters_show_in_the_order_shown(as_plain_staff, claims, partner):
    rows = _csv(as_plain_staff.get(URL, {"export": "csv", "sort": "-total"}))
    assert rows[0] == ["Claim", "Partner", "For", "Date", "Total", "Status", "Sent"]
    assert [row[1] for row in rows[1:]] == ["Ann Other", "Pat Partner"]
    assert rows[1][4] == "60.00" and rows[1][5] == "Submitted"
    # A formula typed into a claim is downloaded as text, never run by the spreadsheet.
    assert rows[1][2] == "'=HYPERLINK(\"x\")"
    rows = _csv(as_plain_staff.get(URL, {"export": "csv", "partner": partner.pk}))
    assert [row[1] for row in rows[1:]] == ["Pat Partner"]


def test_excel_download_holds_the_same_rows_with_numbers_as_numbers(as_plain_staff, claims):
    response = as_plain_staff.get(URL, {"export": "xlsx", "sort": "total"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Claim", "Partner")
    assert [row[1] for row in rows[1:]] == ["Pat Partner", "Ann Other"]
    assert rows[1][4] == 20


def test_a_funding_sources_payments_download_with_their_amounts(client, finance, partner, source):
    paid_claim(partner, finance, source)
    client.force_login(finance)
    url = reverse("reciprocity:funding_detail", args=[source.pk])
    rows = _csv(client.get(url, {"export": "csv", "sort": "-amount"}))
    assert rows[0] == ["Paid on", "Partner", "Claim", "How", "Amount"]
    assert rows[1][1] == "Pat Partner" and rows[1][4] == "40.00"

    def grow():
        for number in range(10):
            paid_claim(PartnerFactory(full_name=f"Partner {number}"), finance, source)

    assert_queries_bounded(client, url + "?export=xlsx", grow, most=12)


def test_staff_find_the_partner_to_claim_for_by_typing_not_from_every_partner(as_plain_staff, partner):
    PartnerFactory(full_name="Ann Other")
    url = reverse("reciprocity:claim_create")
    page = as_plain_staff.get(url).content.decode()
    assert "<select" not in page and "Pat Partner" not in page
    # One partner matches: straight on to their claim.
    response = as_plain_staff.get(url, {"partner_find": "pat"})
    assert response.url == reverse("reciprocity:claim_create_for", args=[partner.pk])
    # Several match: offered to choose from, and nobody else.
    patricia = PartnerFactory(full_name="Patricia Jones")
    page = as_plain_staff.get(url, {"partner_find": "pat"}).content.decode()
    assert f'type="radio" name="partner" value="{partner.pk}"' in page
    assert f'type="radio" name="partner" value="{patricia.pk}"' in page and "Ann Other" not in page
    response = as_plain_staff.get(url, {"partner_find": "pat", "partner": patricia.pk})
    assert response.url == reverse("reciprocity:claim_create_for", args=[patricia.pk])
    assert "No partner matches ‘zzz’" in as_plain_staff.get(url, {"partner_find": "zzz"}).content.decode()
    response = as_plain_staff.get(url, {"partner": partner.pk})
    assert response.url == reverse("reciprocity:claim_create_for", args=[partner.pk])
