"""The ladder's staff lists as tables: downloaded as shown, trustees' rounds list included."""

import pytest
from django.urls import reverse

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
