"""The ladder's staff lists as tables: downloaded as shown, trustees' rounds list included."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from ladder.models import Area

pytestmark = pytest.mark.django_db


def test_the_rounds_list_downloads_what_each_reader_may_see(staff_client, trustee_client, world):
    url = reverse("ladder:round_list")
    staff_csv = staff_client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
    assert staff_csv.splitlines()[0] == "Round,What is assessed,Closing date,Status,Responded"
    assert world.ladder_open.title in staff_csv and world.ladder_closed.title in staff_csv
    trustee_csv = trustee_client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
    assert world.ladder_closed.title in trustee_csv and world.ladder_open.title not in trustee_csv


def test_the_action_plan_downloads_its_filtered_rows(staff_client, world):
    response = staff_client.get(reverse("ladder:action_list"), {"export": "csv", "overdue": "on"})
    download = response.content.decode("utf-8-sig")
    assert download.splitlines()[0] == "Action,Area,Owner,Due,Status"
    assert world.ladder_action.description in download


def _csv(client, url, **params) -> list[list[str]]:
    response = client.get(url, {"export": "csv", **params})
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_ladders_list_sorts_and_downloads_what_it_shows(staff_client, world):
    url = reverse("ladder:ladder_list")
    rows = _csv(staff_client, url, sort="-name")
    assert rows[0] == ["Ladder", "Steps", "Rounds run", "Current"]
    names = [row[0] for row in rows[1:]]
    assert names == sorted(names, reverse=True)
    current = next(row for row in rows if row[0] == world.ladder_ladder.name)
    assert current[1] == str(world.ladder_ladder.rungs.count()) and current[3] == "Yes"
    assert "<" not in "".join(names), "cells hold words, not markup"
    page = staff_client.get(url, {"sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in page and 'data-label="Rounds run"' in page
    assert "Use for new rounds<span" in page and "Current ladder" in page
    assert reverse("ladder:ladder_make_current", args=[world.ladder_other_ladder.pk]) in page


def test_the_areas_list_sorts_and_downloads_without_its_change_links(staff_client, world):
    Area.objects.create(name="Zz peer support", description="Partners supporting each other", order=900)
    url = reverse("ladder:area_list")
    rows = _csv(staff_client, url, sort="-name")
    assert rows[0] == ["Order", "Area", "What it covers", "Offered for new rounds", "Rounds"]
    names = [row[1] for row in rows[1:]]
    assert names == sorted(names, reverse=True)
    assert ["900", "Zz peer support", "Partners supporting each other", "Yes", "0"] in rows
    xlsx = staff_client.get(url, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[1]] == rows[0]
    page = staff_client.get(url, {"sort": "-name"}).content.decode()
    assert 'aria-sort="descending"' in page and 'data-label="What it covers"' in page
    assert "Change<span" in page
    assert page.index("Zz peer support") < page.index(world.ladder_area.name)
