"""The staff partner list sorted by its headers and downloaded as CSV or Excel: the download
holds exactly the columns the person sees, so access needs only for staff allowed to see
sensitive details."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from participants.models import AccessNeed
from participants.models import Partner

from ..coprod.factories import ServiceFactory
from ..helpers import assert_queries_bounded
from .factories import PartnerFactory
from .factories import SensitiveStaffFactory
from .factories import StaffFactory

pytestmark = pytest.mark.django_db
URL = reverse("participants:partner_list")


@pytest.fixture
def partners():
    loop = AccessNeed.objects.get(name="Hearing loop")
    dee = PartnerFactory(full_name="Dee Doe", preferred_name="Dee", service=ServiceFactory(name="Housing"),
                         email="dee@example.test")
    dee.access_needs.add(loop)
    PartnerFactory(full_name="Abe Able", service=ServiceFactory(name="Debt"), email="abe@example.test")
    return dee


def _download(client, user, export="csv", **params) -> list[list]:
    client.force_login(user)
    response = client.get(URL, {"export": export, **params})
    assert response.status_code == 200
    if export == "csv":
        return list(csv.reader(io.StringIO(response.content.decode())))
    return [list(row) for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
        values_only=True)]


def test_staff_with_sensitive_permission_download_access_needs_as_shown(client, partners):
    rows = _download(client, SensitiveStaffFactory())
    assert rows[0] == ["Name", "Known as", "Status", "Service", "Link worker", "Contact", "Access needs",
                       "Training"]
    assert rows[1][:2] == ["Abe Able", ""] and rows[2][:2] == ["Dee Doe", "Dee"]
    assert rows[2][6] == "Hearing loop"


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_staff_without_sensitive_permission_download_no_access_needs(client, partners, export):
    user = StaffFactory()
    rows = _download(client, user, export)
    assert "Access needs" not in rows[0]
    assert not any("Hearing loop" in str(cell) for row in rows for cell in row)
    page = client.get(URL).content.decode()
    assert "Access needs</th>" not in page and "Hearing loop" not in page.split("<table")[1]


def test_download_follows_the_search_and_the_order_on_screen(client, partners):
    rows = _download(client, StaffFactory(), sort="-service")
    assert [row[0] for row in rows[1:]] == ["Dee Doe", "Abe Able"]
    rows = _download(client, StaffFactory(), "xlsx", q="abe")
    assert [row[0] for row in rows[1:]] == ["Abe Able"]


def test_partner_download_runs_the_same_queries_however_many_partners(client):
    needs = list(AccessNeed.objects.all()[:2])

    def make(count: int) -> None:
        for n in range(count):
            PartnerFactory(email=f"p{Partner.objects.count()}@example.test").access_needs.add(needs[n % 2])

    make(5)
    client.force_login(SensitiveStaffFactory())
    assert_queries_bounded(client, URL + "?export=xlsx&sort=full_name", lambda: make(30), most=12)
