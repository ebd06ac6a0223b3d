"""The invitation, course, "who is due training", access need, lived-experience area, consent and
import lists sort by their headers and download as CSV or Excel, with the columns the page
shows (the buttons on a row are not part of it)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from participants.models import AccessNeed
from participants.models import ConsentStatement
from participants.models import Course
from participants.models import ImportBatch
from participants.models import LivedExperienceArea

from ..helpers import assert_queries_bounded
from .factories import InvitationFactory
from .factories import PartnerFactory
from .factories import StaffFactory

pytestmark = pytest.mark.django_db


def _csv(client, url, **params) -> list[list[str]]:
    response = client.get(url, {"export": "csv", **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_invitations_sort_and_download(staff_client, world):
    staff = StaffFactory()
    InvitationFactory(full_name="Zed Last", email="zed@example.test", created_by=staff)
    InvitationFactory(full_name="Amy First", email="amy@example.test", created_by=staff)
    rows = _csv(staff_client, reverse("participants:invitation_list"), sort="full_name")
    assert rows[0] == ["Person", "E-mail address", "Joining as", "Invited", "E-mails sent", "State"]
    names = [row[0] for row in rows[1:]]
    assert names == sorted(names) and {"Amy First", "Zed Last"} <= set(names)
    amy = next(row for row in rows if row[0] == "Amy First")
    assert amy[1] == "amy@example.test" and amy[-1] == "Pending"
    page = staff_client.get(reverse("participants:invitation_list"), {"sort": "-full_name"}).content.decode()
    assert 'aria-sort="descending"' in page and "Re-send<span" in page
    assert page.index("Zed Last") < page.index("Amy First")


def test_courses_download_as_excel(staff_client, world):
    response = staff_client.get(reverse("participants:course_list"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Course", "Needs refreshing", "Required for"]
    assert [row[0] for row in rows[1:]] == list(Course.objects.values_list("name", flat=True))


def test_who_is_due_training_downloads_the_partners_and_their_courses(staff_client, world):
    PartnerFactory(full_name="Dana Due", status="active")
    rows = _csv(staff_client, reverse("participants:training_due"))
    assert rows[0] == ["Partner", "Status", "Service", "Due"]
    dana = next(row for row in rows if row[0] == "Dana Due")
    assert "Safeguarding: Never done" in dana[3]
    page = staff_client.get(reverse("participants:training_due")).content.decode()
    assert 'data-label="Due"' in page and "Staff members due" in page


def test_who_is_due_training_sorts_and_downloads_each_table_on_its_own(staff_client, world):
    """The partner and staff tables have their own parameters (the staff table's are
    `staff-sort`, `staff-page`, `staff-export`): asking one leaves the other as it was."""
    PartnerFactory(full_name="Aaron Due", status="active")
    PartnerFactory(full_name="Zoe Due", status="active")
    StaffFactory(full_name="Abby Untrained")
    StaffFactory(full_name="Zack Untrained")
    url = reverse("participants:training_due")

    response = staff_client.get(url, {"staff-export": "csv", "staff-sort": "-full_name", "sort": "full_name"})
    assert "staff-training-due" in response["Content-Disposition"]
    staff_rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert staff_rows[0] == ["Staff member", "E-mail address", "Due"]
    staff_names = [row[0] for row in staff_rows[1:]]
    assert staff_names == sorted(staff_names, reverse=True)
    assert {"Abby Untrained", "Zack Untrained"} <= set(staff_names) and "Zoe Due" not in staff_names
    assert "Safeguarding: Never done" in staff_rows[1 + staff_names.index("Zack Untrained")][2]

    partner_rows = _csv(staff_client, url, **{"sort": "-full_name", "staff-sort": "full_name"})
    assert partner_rows[0] == ["Partner", "Status", "Service", "Due"]
    partner_names = [row[0] for row in partner_rows[1:]]
    assert partner_names == sorted(partner_names, reverse=True) and "Abby Untrained" not in partner_names

    response = staff_client.get(url, {"staff-export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == ["Staff member", "E-mail address", "Due"]

    page = staff_client.get(url, {"staff-sort": "-full_name"}).content.decode()
    staff_part = page[page.index('id="staff-heading"'):]
    partner_part = page[:page.index('id="staff-heading"')]
    assert staff_part.index("Zack Untrained") < staff_part.index("Abby Untrained")
    assert partner_part.index("Aaron Due") < partner_part.index("Zoe Due"), "partners keep their order"
    assert partner_part.count('aria-sort="') == 0 and staff_part.count('aria-sort="descending"') == 1
    # Each header and download link changes only its own table's parameters.
    assert 'href="?staff-sort=full_name"' in staff_part
    assert 'href="?staff-sort=-full_name&amp;sort=full_name"' in partner_part
    assert 'href="?staff-sort=-full_name&amp;staff-export=csv"' in staff_part
    assert 'href="?staff-sort=-full_name&amp;export=csv"' in partner_part


def test_who_is_due_training_pages_each_table_on_its_own(staff_client, world):
    for n in range(30):
        StaffFactory(full_name=f"Staff {n:02}")
    url = reverse("participants:training_due")
    page = staff_client.get(url, {"staff-page": "2", "page": "1"}).content.decode()
    staff_part = page[page.index('id="staff-heading"'):]
    assert "Staff 29" in staff_part and "Staff 00" not in staff_part
    assert "Staff members due: " in staff_part and "(page 2 of 2)" in staff_part
    assert 'href="?page=1&amp;staff-page=1"' in staff_part
    # Sorting the staff goes back to their first page and keeps the partners' page.
    assert 'href="?page=1&amp;staff-sort=full_name"' in staff_part
    assert "Pat Partner" in page[:page.index('id="staff-heading"')]


def test_who_is_due_training_downloads_run_a_bounded_number_of_queries(staff_client, world):
    url = reverse("participants:training_due")
    assert_queries_bounded(staff_client, url + "?staff-export=csv&staff-sort=-full_name",
                           lambda: StaffFactory.create_batch(30), most=10)
    assert_queries_bounded(staff_client, url + "?export=xlsx&staff-sort=full_name",
                           lambda: PartnerFactory.create_batch(30, status="active"), most=10)


def test_access_needs_sort_and_download(staff_client, world):
    AccessNeed.objects.create(name="Zz quiet room", description="A room away from noise")
    AccessNeed.objects.create(name="Aa large print", description="Papers in 16 point")
    url = reverse("participants:access_need_list")
    rows = _csv(staff_client, url, sort="-name")
    assert rows[0] == ["Access need", "What it means", "Partners"]
    names = [row[0] for row in rows[1:]]
    assert names == sorted(names, reverse=True)
    assert ["Aa large print", "Papers in 16 point", "0"] in rows
    page = staff_client.get(url, {"sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in page and 'data-label="What it means"' in page
    assert page.index("Aa large print") < page.index("Zz quiet room")


def test_lived_experience_areas_sort_and_download(staff_client, world):
    LivedExperienceArea.objects.create(name="Zz debt")
    LivedExperienceArea.objects.create(name="Aa recovery")
    url = reverse("participants:area_list")
    rows = _csv(staff_client, url, sort="-name")
    assert rows[0] == ["Area", "Partners"]
    assert [row[0] for row in rows[1:]] == sorted((row[0] for row in rows[1:]), reverse=True)
    assert ["Aa recovery", "0"] in rows
    page = staff_client.get(url, {"sort": "-name"}).content.decode()
    assert 'aria-sort="descending"' in page and "Edit<span" in page
    assert page.index("Zz debt") < page.index("Aa recovery")


def test_earlier_imports_sort_and_download(staff_client, world):
    ImportBatch.objects.create(kind="partners", filename="zz-partners.csv", created_count=3, left_out_count=1)
    ImportBatch.objects.create(kind="partners", filename="aa-partners.csv", updated_count=2)
    url = reverse("participants:import_list")
    rows = _csv(staff_client, url, sort="filename")
    assert rows[0] == ["File", "Of", "By", "When", "Where it is", "Created", "Updated", "Left out"]
    mine = [row for row in rows[1:] if row[0] in ("aa-partners.csv", "zz-partners.csv")]
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])
    zz = mine[1]
    assert zz[2] == "someone no longer here" and zz[5:] == ["3", "0", "1"]
    page = staff_client.get(url, {"sort": "-filename"}).content.decode()
    assert 'aria-sort="descending"' in page and 'data-label="Left out"' in page
    assert page.index("zz-partners.csv") < page.index("aa-partners.csv")


def test_who_agrees_to_what_sorts_and_downloads(staff_client, world):
    url = reverse("participants:consent_statement_list")
    rows = _csv(staff_client, url, sort="-full_name")
    assert rows[0] == ["Partner"] + [label for _, label in ConsentStatement.Topic.choices]
    names = [row[0] for row in rows[1:]]
    assert names == sorted(names, reverse=True) and {"Pat Partner", "Olly Other"} <= set(names)
    quotes = [value for value, _ in ConsentStatement.Topic.choices].index("quotes") + 1
    assert next(row for row in rows if row[0] == "Pat Partner")[quotes] == "Yes"
    assert next(row for row in rows if row[0] == "Olly Other")[quotes] in ("No", "Old words")
    page = staff_client.get(url, {"sort": "full_name"}).content.decode()
    assert 'aria-sort="ascending"' in page and 'badge text-bg-success">Yes' in page
    assert page.index("Olly Other") < page.index("Pat Partner")
