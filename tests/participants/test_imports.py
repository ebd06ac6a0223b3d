"""Importing partners, and staff and trustees, from a spreadsheet: columns matched (and
remembered), a preview that flags duplicates and every problem per cell and saves nothing,
one transaction on confirm, who imported how many when, and invitations in bulk that leave
out people who have not agreed to be contacted."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from coprod.models import OutgoingEmail
from participants import imports
from participants.models import Consent
from participants.models import ConsentStatement
from participants.models import ImportBatch
from participants.models import ImportMapping
from participants.models import Invitation
from participants.models import Partner
from participants.models import StatusChange

from ..coprod.factories import ServiceFactory
from .factories import PartnerFactory
from .factories import StaffFactory
from .factories import TrusteeFactory

pytestmark = pytest.mark.django_db

# A real-looking export: a title-less header with odd spacing, an extra column nobody
# needs, blank rows (empty lines and rows of empty cells), dates written three ways,
# a duplicate e-mail, non-ASCII names, a bad e-mail, an unknown service, a future date.
MESSY_CSV = (
    "First Name,Surname, E-mail Address ,Mobile,Date joined,Team,Notes from 2019,Happy to be contacted?\r\n"
    "Siân,Llŷr,sian@example.org,07700 900123,05/03/2024,Housing advice,met at drop-in,Yes\r\n"
    ",,,,,,,\r\n"
    "José,Núñez,JOSE@example.org,,2024-03-05,,,y\r\n"
    "Zoë,O’Brien,zoe@example.org,07700 900456,5 March 2024,Housing advice,,no\r\n"
    "\r\n"
    "Chloé,Dubois,sian@example.org,,1/4/2023,,,Yes\r\n"
    "Amaka,Obi,amaka-at-example.org,,31/02/2024,Debt,,maybe\r\n"
    ",,,,,,,\r\n"
    "Björn,Åberg,,07700 900789,01/01/2099,,,\r\n"
).encode("utf-8-sig")


def _upload(client, content: bytes, name: str = "partners.csv", kind: str = "partners") -> ImportBatch:
    response = client.post(reverse("participants:import_list"), {
        "kind": kind, "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("pk")


def _map(client, batch: ImportBatch, **overrides) -> None:
    data = {f"column_{i}": batch.mapping.get(heading, "") for i, heading in enumerate(batch.headers)}
    data.update(overrides)
    response = client.post(reverse("participants:import_columns", args=[batch.pk]), data)
    assert response.status_code == 302, response.context["form"].errors


@pytest.fixture
def staff(client):
    user = StaffFactory(full_name="Imogen Importer")
    client.force_login(user)
    return user


@pytest.fixture
def contact_wording():
    return ConsentStatement.objects.filter(topic=ConsentStatement.Topic.CONTACT).order_by("-version").first()


@pytest.fixture
def housing():
    return ServiceFactory(name="Housing advice")


def test_the_columns_are_guessed_from_the_headings(client, staff, housing):
    batch = _upload(client, MESSY_CSV)
    assert batch.headers[2] == "E-mail Address"
    assert batch.row_count == 6  # blank rows are not counted
    assert batch.mapping == {
        "First Name": "first_name", "Surname": "last_name", "E-mail Address": "email", "Mobile": "phone",
        "Date joined": "joined_on", "Team": "service", "Notes from 2019": "",
        "Happy to be contacted?": "agrees_to_contact",
    }
    assert not Partner.objects.exists()


def test_a_messy_spreadsheet_previews_correctly_and_saves_nothing_until_confirmed(
        client, staff, housing, contact_wording):
    existing = PartnerFactory(full_name="José Núñez", email="jose@example.org", phone="")
    batch = _upload(client, MESSY_CSV)
    _map(client, batch)
    partners_before, history_before = Partner.objects.count(), Partner.history.count()

    page = client.get(reverse("participants:import_preview", args=[batch.pk]))
    assert page.status_code == 200
    counts = page.context["counts"]
    assert counts == {"create": 2, "update": 1, "skip": 0, "problem": 3}
    problems = {row.number: row.problems for row in page.context["problems"]}
    # Row numbers are the spreadsheet's own: the heading is row 1, blank rows count.
    assert problems[7] == {"E-mail Address": "Row 2 has the same e-mail address: keep one of them."}
    assert problems[8]["E-mail Address"] == "“amaka-at-example.org” is not an e-mail address."
    assert "is not a date we can read" in problems[8]["Date joined"]
    assert "There is no service called “Debt”" in problems[8]["Team"]
    assert problems[8]["Happy to be contacted?"] == "“maybe”: write yes or no."
    assert "not a possible joining date" in problems[10]["Date joined"]
    update = page.context["updates"][0]
    assert (update.number, update.target) == (4, existing.pk)
    assert "Same e-mail address as José Núñez" in update.match
    text = page.content.decode()
    assert "Siân Llŷr" in text and "Zoë O’Brien" in text and "Notes from 2019" in text

    # Nothing was saved by uploading, matching or previewing.
    assert (Partner.objects.count(), Partner.history.count()) == (partners_before, history_before)

    # Confirming with problems needs the box ticked; without it nothing is saved either.
    refused = client.post(reverse("participants:import_preview", args=[batch.pk]), {})
    assert "3 rows with a problem" in refused.content.decode()
    assert Partner.objects.count() == partners_before

    response = client.post(reverse("participants:import_preview", args=[batch.pk]),
                           {"leave_out_problems": "on"})
    assert response.url == reverse("participants:import_detail", args=[batch.pk])
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.updated_count, batch.left_out_count) == ("done", 2, 1, 3)
    assert batch.created_by == staff and batch.finished_at is not None
    assert not batch.file  # the spreadsheet is not kept once imported

    sian = Partner.objects.get(email="sian@example.org")
    assert (sian.full_name, sian.phone, sian.service) == ("Siân Llŷr", "07700 900123", housing)
    assert sian.created.date() == datetime.date(2024, 3, 5)  # 05/03/2024 is 5 March
    assert sian.has_consent("contact")
    zoe = Partner.objects.get(email="zoe@example.org")
    assert zoe.created.date() == datetime.date(2024, 3, 5) and not zoe.has_consent("contact")
    existing.refresh_from_db()
    assert existing.has_consent("contact")
    assert sian.history.get().history_user == staff
    assert StatusChange.objects.filter(partner=sian).get().changed_at.date() == datetime.date(2024, 3, 5)
    # The audit trail: who imported how many, when.
    record = batch.history.latest()
    assert record.history_user == staff
    assert record.history_change_reason.startswith("Imported 2 new and 1 updated")


def test_the_matches_are_remembered_for_the_next_file(client, staff, housing):
    batch = _upload(client, MESSY_CSV)
    _map(client, batch, column_6="strengths")  # "Notes from 2019" → strengths
    assert ImportMapping.objects.get(kind="partners").mapping["notesfrom2019"] == "strengths"
    again = _upload(client, MESSY_CSV)
    assert again.mapping["Notes from 2019"] == "strengths"


def test_a_column_matched_twice_or_no_name_is_refused(client, staff):
    batch = _upload(client, MESSY_CSV)
    data = {f"column_{i}": "" for i in range(len(batch.headers))}
    data.update(column_2="email", column_3="email")
    response = client.post(reverse("participants:import_columns", args=[batch.pk]), data)
    assert "Match each coprod field to one column only: E-mail address." in response.content.decode()
    data.update(column_3="")
    response = client.post(reverse("participants:import_columns", args=[batch.pk]), data)
    assert "Match a column to the full name" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UPLOADED


@pytest.mark.parametrize(("name", "content", "message"), [
    ("people.pdf", b"%PDF-1.4", "Upload a CSV file or an Excel workbook"),
    ("people.csv", b"", "The first row must hold the column headings"),
    ("people.csv", b"Name,Email\r\n", "headings but no rows"),
    ("people.xlsx", b"PK\x03\x04 not really a workbook", "could not read this file as a spreadsheet"),
])
def test_a_file_we_cannot_read_is_refused_with_a_reason(client, staff, name, content, message):
    response = client.post(reverse("participants:import_list"), {
        "kind": "partners", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_excel_workbook_with_real_dates_imports(client, staff):
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Email", "Phone", "Joined", "Extra"])
    sheet.append(["Ffion Hughes", "ffion@example.org", 7700900111, datetime.datetime(2023, 7, 1), "x"])
    sheet.append([None, None, None, None, None])
    sheet.append(["Ngozi Eze", "", "07700 900222", "2023-07-02", None])
    content = io.BytesIO()
    book.save(content)
    batch = _upload(client, content.getvalue(), name="partners.xlsx")
    _map(client, batch)
    client.post(reverse("participants:import_preview", args=[batch.pk]), {})
    ffion = Partner.objects.get(full_name="Ffion Hughes")
    assert ffion.phone == "7700900111" and ffion.created.date() == datetime.date(2023, 7, 1)
    assert Partner.objects.get(full_name="Ngozi Eze").created.date() == datetime.date(2023, 7, 2)


def test_same_name_and_phone_is_taken_as_the_same_partner(client, staff):
    existing = PartnerFactory(full_name="Ravi Shah", email="", phone="+44 7700 900333")
    batch = _upload(client, b"Name,Phone,Email\nravi  shah,07700900333,ravi@example.org\n")
    _map(client, batch)
    page = client.get(reverse("participants:import_preview", args=[batch.pk]))
    [row] = page.context["updates"]
    assert row.target == existing.pk and "Same name and phone" in row.match
    client.post(reverse("participants:import_preview", args=[batch.pk]), {})
    existing.refresh_from_db()
    assert existing.email == "ravi@example.org" and Partner.objects.count() == 1


def test_an_error_part_way_saves_nothing(client, staff, monkeypatch):
    batch = _upload(client, b"Name\nAnn One\nBen Two\nCat Three\n")
    _map(client, batch)
    real = imports._apply_row
    calls = []

    def fail_on_third(row, *args):
        calls.append(row.number)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(row, *args)

    monkeypatch.setattr(imports, "_apply_row", fail_on_third)
    client.post(reverse("participants:import_preview", args=[batch.pk]), {})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.error == imports.FAILED_MESSAGE and "RuntimeError" not in batch.error
    assert not Partner.objects.exists()
    page = client.get(reverse("participants:import_detail", args=[batch.pk])).content.decode()
    assert "nothing was saved" in page


def test_a_confirmed_import_runs_once_even_if_its_task_is_delivered_twice(client, staff):
    batch = _upload(client, b"Name\nAnn One\n")
    _map(client, batch)
    client.post(reverse("participants:import_preview", args=[batch.pk]), {})
    imports.import_run(batch_id=batch.pk)
    assert Partner.objects.count() == 1


def test_a_file_of_ten_thousand_rows_is_read_whole():
    rows = "".join(f"Person {i},person{i}@example.org,0770090{i:04d}\n" for i in range(10_000))
    table = imports.read_table(("Name,Email,Phone\n" + rows).encode(), "big.csv")
    assert len(table.rows) == 10_000 and table.rows[-1][0] == 10_001


def test_a_large_import_runs_in_the_worker_and_reports_its_progress(client, staff, monkeypatch):
    rows = "".join(f"Person {i},person{i}@example.org\n" for i in range(600))
    batch = _upload(client, ("Name,Email\n" + rows).encode())
    _map(client, batch)
    reported = []
    real = imports.set_progress
    monkeypatch.setattr(imports, "set_progress", lambda pk, done, total, **kw: (
        reported.append((done, total)), real(pk, done, total, **kw)))
    client.post(reverse("participants:import_preview", args=[batch.pk]), {})
    assert reported == [(0, 600), (0, 600), (250, 600), (500, 600), (600, 600)]  # confirmed, started, ...
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("done", 600)
    assert Partner.objects.count() == 600
    status = client.get(reverse("participants:import_detail", args=[batch.pk]) + "?format=json").json()
    assert status == {"status": "done", "finished": True, "done": 600, "total": 600, "percent": 100,
                      "running": False}


def test_the_progress_page_shows_how_far_a_running_import_has_got(client, staff):
    batch = ImportBatch.objects.create(kind="partners", filename="big.csv", status="queued",
                                       created_by=staff)
    imports.set_progress(batch.pk, 2500, 10_000, running=True)
    page = client.get(reverse("participants:import_detail", args=[batch.pk])).content.decode()
    assert "Being imported" in page and "2500 of 10000 rows" in page and 'value="25"' in page
    assert "js/import_progress.js" in page


def test_invite_everyone_selected_leaves_out_those_without_an_email_or_consent(
        client, staff, contact_wording):
    csv = (b"Name,Email,Agrees to be contacted\n"
           b"Ann Agrees,ann@example.org,yes\nBo Declines,bo@example.org,no\nCy Nomail,,yes\n"
           b"Di Agrees,di@example.org,yes\n")
    batch = _upload(client, csv)
    _map(client, batch)
    client.post(reverse("participants:import_preview", args=[batch.pk]), {})
    page = client.get(reverse("participants:import_detail", args=[batch.pk]))
    reasons = {invitee.name: invitee.reason for invitee in page.context["invitees"]}
    assert reasons == {"Ann Agrees": "", "Bo Declines": "Has not agreed to be contacted",
                       "Cy Nomail": "No e-mail address", "Di Agrees": ""}
    ann, bo, di = (Partner.objects.get(full_name=name)
                   for name in ("Ann Agrees", "Bo Declines", "Di Agrees"))
    # A forged choice of someone who has not agreed is ignored.
    response = client.post(reverse("participants:import_invite", args=[batch.pk]),
                           {"people": [ann.pk, di.pk, bo.pk]})
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    client.post(reverse("participants:import_invite", args=[batch.pk]), {"people": [ann.pk, di.pk]})
    assert set(Invitation.objects.values_list("email", flat=True)) == {"ann@example.org", "di@example.org"}
    sent = OutgoingEmail.objects.filter(kind="invitation")
    assert sorted(email.to for email in sent) == ["ann@example.org", "di@example.org"]
    batch.refresh_from_db()
    assert (batch.invited_count, batch.not_invited_count) == (2, 0)
    assert batch.history.latest().history_change_reason == "Invited 2; 0 could not be invited"
    # Inviting again: they now have invitations, so nobody is left to invite.
    again = client.get(reverse("participants:import_detail", args=[batch.pk]))
    assert again.context["can_invite"] == 0


def test_staff_and_trustees_import_as_invitations_sent_together(client, staff):
    TrusteeFactory(email="tess@example.org")
    csv = ("Full name,Email,Role\n"
           "Pat Colleague,pat@example.org,Staff\n"
           "Tess Trustee,tess@example.org,trustee\n"
           "Órla Board,orla@example.org,Board member\n"
           "Nobody,,staff\n").encode()
    batch = _upload(client, csv, kind="people")
    _map(client, batch)
    page = client.get(reverse("participants:import_preview", args=[batch.pk]))
    assert page.context["counts"] == {"create": 2, "update": 0, "skip": 1, "problem": 1}
    client.post(reverse("participants:import_preview", args=[batch.pk]), {"leave_out_problems": "on"})
    invitations = {i.email: i.role for i in Invitation.objects.all()}
    assert invitations == {"pat@example.org": "staff", "orla@example.org": "trustee"}
    assert not OutgoingEmail.objects.exists()  # nothing is sent until staff choose
    ids = list(Invitation.objects.values_list("pk", flat=True))
    client.post(reverse("participants:import_invite", args=[batch.pk]), {"people": ids})
    assert OutgoingEmail.objects.filter(kind="invitation").count() == 2


def test_giving_up_deletes_the_file_and_saves_nothing(client, staff, django_capture_on_commit_callbacks):
    batch = _upload(client, b"Name\nAnn One\n")
    name = batch.file.name
    storage = batch.file.storage
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("participants:import_cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED and not storage.exists(name)
    assert not Partner.objects.exists() and not Consent.objects.exists()
