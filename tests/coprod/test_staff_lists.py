"""The core's staff lists as tables: sorted by a column, and downloaded with the columns they show."""

import pytest
from django.urls import reverse

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
