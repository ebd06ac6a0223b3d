"""Welsh versions of meeting titles, access details and panel purposes: a Welsh partner reads
the Welsh when there is one, else the English marked as English with a note; English partners
and staff pages keep the English; staff forms save the Welsh version through the services, and
the history keeps it; reminders to a Welsh partner carry the Welsh title."""

import datetime

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coprod import notices
from coprod.i18n import in_language
from coprod.models import Notice
from coprod.welsh import welsh_missing
from coprod.welsh import welsh_version
from panels import reminders
from panels.calendar import meeting_calendar
from participants.models import ConsentStatement

from ..helpers import assert_queries_bounded
from ..participants.factories import ConsentFactory
from ..participants.factories import PartnerFactory
from .factories import AttendanceFactory
from .factories import MeetingFactory
from .factories import PanelFactory

pytestmark = pytest.mark.django_db

WELSH_TITLE = "Newidiadau i’r ystafell aros"
WELSH_ACCESS = "Mynedfa heb risiau ar Lôn y Felin."
NOTE_CY = "Nid yw ar gael yn Gymraeg eto"


def _reads(partner, language: str) -> None:
    partner.language = language
    partner.save(update_fields=["language"])
    partner.user.language = language
    partner.user.save(update_fields=["language"])


def _welsh_meeting(world) -> None:
    world.meeting.title_cy = WELSH_TITLE
    world.meeting.access_information_cy = WELSH_ACCESS
    world.meeting.save(update_fields=["title_cy", "access_information_cy"])


def test_a_welsh_partner_reads_the_welsh_title_and_access_details(partner_client, world):
    _reads(world.partner, "cy")
    _welsh_meeting(world)
    for url in (reverse("panels:my_meeting", args=[world.meeting.pk]), reverse("panels:my_meetings")):
        page = partner_client.get(url).content.decode()
        assert WELSH_TITLE in page and WELSH_ACCESS in page
        assert "Step-free entrance on Mill Lane" not in page
    # The past meeting has no Welsh version: its English title comes with the note.
    page = partner_client.get(reverse("panels:my_meetings")).content.decode()
    assert f'<span lang="en">{world.past_meeting.title}</span>' in page
    assert NOTE_CY in page


def test_without_a_welsh_version_a_welsh_partner_reads_the_english_marked_as_english_with_a_note(
        partner_client, world):
    _reads(world.partner, "cy")
    page = partner_client.get(reverse("panels:my_meeting", args=[world.meeting.pk])).content.decode()
    assert '<span lang="en">Waiting-room changes</span>' in page
    assert '<span lang="en">Step-free entrance on Mill Lane' in page
    assert page.count(NOTE_CY) >= 2

    page = partner_client.get(reverse("panels:my_panels")).content.decode()
    assert f'<span lang="en">{world.panel.purpose}</span>' in page and NOTE_CY in page
    world.panel.purpose_cy = "Mae’n adolygu ein cynlluniau cyngor tai."
    world.panel.save(update_fields=["purpose_cy"])
    page = partner_client.get(reverse("panels:my_panels")).content.decode()
    assert "Mae’n adolygu ein cynlluniau cyngor tai." in page and NOTE_CY not in page


def test_an_english_partner_reads_the_english_without_a_note(partner_client, world):
    _welsh_meeting(world)
    page = partner_client.get(reverse("panels:my_meeting", args=[world.meeting.pk])).content.decode()
    assert "Waiting-room changes" in page and "Step-free entrance on Mill Lane" in page
    assert WELSH_TITLE not in page and NOTE_CY not in page and "Not yet available in Welsh" not in page


def test_a_polish_partner_reads_the_english_marked_as_english_without_the_welsh_note(partner_client, world):
    _reads(world.partner, "pl")
    _welsh_meeting(world)
    page = partner_client.get(reverse("panels:my_meeting", args=[world.meeting.pk])).content.decode()
    assert '<span lang="en">Waiting-room changes</span>' in page
    assert WELSH_TITLE not in page and NOTE_CY not in page and "walijsku" not in page


def test_staff_pages_show_the_english_and_whether_there_is_a_welsh_version(staff_client, world):
    url = reverse("panels:meeting_detail", args=[world.meeting.pk])
    page = staff_client.get(url).content.decode()
    assert "<h1 class=\"mb-1\">Waiting-room changes</h1>" in page
    assert "No Welsh version yet" in page
    _welsh_meeting(world)
    # A member of staff who reads Welsh still sees the English as the record, the Welsh beside it.
    world.staff.language = "cy"
    world.staff.save(update_fields=["language"])
    page = staff_client.get(url).content.decode()
    assert "<h1 class=\"mb-1\">Waiting-room changes</h1>" in page
    assert f'<span lang="cy">{WELSH_TITLE}</span>' in page


def test_the_staff_meeting_form_saves_the_welsh_version_and_the_history_keeps_it(staff_client, world):
    meeting = world.meeting
    start = timezone.localtime(meeting.starts_at)
    data = {"title": meeting.title, "title_cy": WELSH_TITLE, "date": start.strftime("%d/%m/%Y"),
            "date_0": start.day, "date_1": start.month, "date_2": start.year,
            "starts": "10:00", "ends": "12:00", "format": "in_person", "venue": meeting.venue,
            "access_information": meeting.access_information, "access_information_cy": WELSH_ACCESS,
            "online_joining": "", "agenda": "", "minutes": ""}
    form_page = staff_client.get(reverse("panels:meeting_edit", args=[meeting.pk])).content.decode()
    assert "Welsh version of the title (optional)" in form_page
    response = staff_client.post(reverse("panels:meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 302, response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.title, meeting.title_cy) == ("Waiting-room changes", WELSH_TITLE)
    assert meeting.access_information_cy == WELSH_ACCESS
    latest = meeting.history.first()
    assert latest.title_cy == WELSH_TITLE and latest.history_user == world.staff
    assert welsh_missing(meeting) == []


def test_the_welsh_version_is_optional_on_the_staff_forms(staff_client, world):
    panel, url = world.panel, reverse("panels:panel_edit", args=[world.panel.pk])
    data = {"name": panel.name, "kind": panel.kind, "purpose": panel.purpose, "purpose_cy": "",
            "starts_on": panel.starts_on.isoformat(), "ends_on": "", "status": "active"}
    assert staff_client.post(url, data).status_code == 302
    panel.refresh_from_db()
    assert panel.purpose_cy == ""
    response = staff_client.post(url, {**data, "purpose_cy": "Mae’n adolygu ein cynlluniau."})
    assert response.status_code == 302
    panel.refresh_from_db()
    assert panel.purpose_cy == "Mae’n adolygu ein cynlluniau."


def test_the_partners_meeting_list_runs_as_many_queries_with_welsh_versions(partner_client, world):
    _reads(world.partner, "cy")

    def grow():
        for number in range(30):
            meeting = MeetingFactory(panel=world.panel, days=number - 15, title=f"Grown meeting {number}",
                                     title_cy=f"Cyfarfod {number}" if number % 2 else "")
            AttendanceFactory(meeting=meeting, partner=world.partner)

    assert_queries_bounded(partner_client, reverse("panels:my_meetings"), grow, most=12)


def test_the_reminder_notice_renders_the_welsh_title_in_welsh(db):
    meeting = MeetingFactory(title="Waiting-room changes", title_cy=WELSH_TITLE)
    context = {"recipient": notices.Recipient(name="Gwen", channel="email", email="g@example.test"),
               "channel": "email", "meeting": meeting, "line": None, "when": "Monday", "link": "/x"}
    with in_language("cy"):
        body = render_to_string("panels/notices/meeting_reminder.txt", context)
    assert WELSH_TITLE in body and "Waiting-room changes" not in body
    with in_language(""):
        body = render_to_string("panels/notices/meeting_reminder.txt", context)
    assert "Waiting-room changes" in body and WELSH_TITLE not in body
    with in_language("cy"):
        assert str(welsh_version(MeetingFactory(title="Only English"), "title")) == "Only English"
        assert welsh_version(MeetingFactory(title="Only English"), "title").missing


def test_a_welsh_partners_reminder_carries_the_welsh_title(django_capture_on_commit_callbacks):
    statement, _ = ConsentStatement.objects.get_or_create(
        topic="contact", version=1, defaults={"wording": "We may contact you about meetings."})
    gwen = PartnerFactory(full_name="Gwen Jones", email="gwen@example.test", language="cy")
    erin = PartnerFactory(full_name="Erin Evans", email="erin@example.test")
    for partner in (gwen, erin):
        ConsentFactory(partner=partner, statement=statement)
    meeting = MeetingFactory(panel=PanelFactory(), days=2, title="Waiting-room changes", title_cy=WELSH_TITLE)
    for partner in (gwen, erin):
        AttendanceFactory(meeting=meeting, partner=partner)
    now = meeting.starts_at - datetime.timedelta(days=2) + datetime.timedelta(minutes=20)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.meeting_reminders_send(now=now) == 2
    sent = {notice.partner.full_name: notice for notice in Notice.objects.filter(kind="meeting_reminder")}
    assert WELSH_TITLE in sent["Gwen Jones"].subject and WELSH_TITLE in sent["Gwen Jones"].body
    assert "Waiting-room changes" in sent["Erin Evans"].subject and WELSH_TITLE not in sent["Erin Evans"].body
    welsh_mail = next(message for message in mail.outbox if "gwen" in message.to[0])
    calendar = Calendar.from_ical(welsh_mail.attachments[0][1])
    assert WELSH_TITLE in str(next(iter(calendar.walk("VEVENT")))["summary"])


def test_the_calendar_file_carries_the_welsh_title_and_notes_missing_welsh_access_details(db):
    meeting = MeetingFactory(title="Waiting-room changes", title_cy=WELSH_TITLE)
    with in_language("cy"):
        event = next(iter(Calendar.from_ical(meeting_calendar(meeting)).walk("VEVENT")))
    assert WELSH_TITLE in str(event["summary"])
    assert NOTE_CY in str(event["description"])
