"""The core's staff lists as tables: sorted by a column, and downloaded with the columns they show."""

import csv
import io

import pytest
from django.urls import reverse

from coprod.models import Report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("url_name", "heading"), [
    ("coprod:team_list", "Name,E-mail,Role,Login,Last signed in,Permissions"),
    ("coprod:service_list", "Service,Description,Co-production champion,Partners"),
    ("coprod:resource_list", "Document,Kind,Tags,Service,Partners see it"),
])
def test_a_staff_list_downloads_as_csv_with_the_columns_it_shows(staff_client, world, url_name, heading):
    response = staff_client.get(reverse(url_name), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").splitlines()[0] == heading


def test_the_team_list_sorts_by_name_and_its_download_holds_people_and_permissions(staff_client, world):
    page = staff_client.get(reverse("coprod:team_list"), {"sort": "-full_name"}).content.decode()
    assert 'aria-sort="descending"' in page
    download = staff_client.get(reverse("coprod:team_list"), {"export": "csv"}).content.decode("utf-8-sig")
    assert "Sam Staff" in download and "staff@example.test" in download
    assert "<" not in download, "cells hold words, not markup"



def test_the_report_list_sorts_by_title_and_downloads_what_the_person_may_see(staff_client, trustee_client,
                                                                              world):
    Report.objects.all().delete()
    Report.objects.create(kind=Report.Kind.GOVERNANCE, status=Report.Status.DONE, title="Zz board pack")
    Report.objects.create(kind=Report.Kind.GOVERNANCE, status=Report.Status.QUEUED, title="Aa quarter")
    Report.objects.create(kind=Report.Kind.LADDER_ROUND, status=Report.Status.DONE, title="Mm live round",
                          staff_only=True)
    url = reverse("coprod:report_list")
    rows = list(csv.reader(io.StringIO(staff_client.get(url, {"export": "csv", "sort": "title"})
                                       .content.decode("utf-8-sig"))))
    assert rows[0] == ["Report", "Asked for by", "When", "Status"]
    assert [row[0] for row in rows[1:]] == ["Aa quarter", "Mm live round", "Zz board pack"]
    assert rows[1][1] == "Made automatically" and rows[1][3] == "Queued" and rows[3][3] == "Ready"
    trustee_rows = list(csv.reader(io.StringIO(trustee_client.get(url, {"export": "csv"})
                                               .content.decode("utf-8-sig"))))
    assert sorted(row[0] for row in trustee_rows[1:]) == ["Aa quarter", "Zz board pack"]
    page = staff_client.get(url, {"sort": "-title"}).content.decode()
    assert 'aria-sort="descending"' in page and "download<span" in page
    assert page.index("Zz board pack") < page.index("Mm live round") < page.index("Aa quarter")
