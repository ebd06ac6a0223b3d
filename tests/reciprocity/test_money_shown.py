"""Money reads the same everywhere, with a thousands separator and pence (£1,405.00):
the staff claims and payments tables, the claim pages, and the notice to a panel's lead,
all through the one formatting (coprod.money.pounds)."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from coprod.models import Organisation
from reciprocity import services

from .helpers import make_claim
from .helpers import pay

pytestmark = pytest.mark.django_db


def _claim_of_1405(partner):
    return make_claim(partner, fee=False, travel=Decimal("1405"))


def test_the_claims_and_payments_tables_show_1405_with_a_separator(client, partner, finance, source):
    claim = _claim_of_1405(partner)
    client.force_login(finance)
    page = client.get(reverse("reciprocity:claim_list")).content.decode()
    assert "£1,405.00" in page and "£1405" not in page
    services.claim_approve(claim=claim, by=finance)
    pay(claim, finance, source, reference="BACS-1")
    page = client.get(reverse("reciprocity:funding_detail", args=[source.pk])).content.decode()
    assert "£1,405.00" in page and "£1405" not in page


def test_the_claim_pages_show_1405_as_pounds_with_a_separator(client, partner, finance):
    claim = _claim_of_1405(partner)
    client.force_login(finance)
    page = client.get(reverse("reciprocity:claim_detail", args=[claim.pk])).content.decode()
    assert "£1,405.00" in page and "£1405" not in page
    client.force_login(partner.user)
    page = client.get(reverse("reciprocity:my_claim_detail", args=[claim.pk])).content.decode()
    assert "£1,405.00" in page and "£1405" not in page


def test_the_notice_to_the_panel_lead_shows_1405_as_pounds_with_a_separator(partner):
    claim = _claim_of_1405(partner)
    body = render_to_string("reciprocity/notices/claim_to_lead.txt", {
        "partner": partner, "claim": claim, "about": "", "organisation": Organisation.current(), "link": "/"})
    assert "a claim for £1,405.00." in body
