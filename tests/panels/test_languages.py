"""Panels in each person's language: reminders and meeting news go out in the recipient's
language whoever started the run, and a Welsh partner's own pages are in Welsh."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from coprod.models import Notice
from panels import reminders
from panels import services as panel_services

from ..participants.factories import StaffFactory
from ..participants.factories import contactable_partner
from .factories import AttendanceFactory
from .factories import MeetingFactory
from .factories import PanelFactory

pytestmark = pytest.mark.django_db



@pytest.fixture
def meeting(db):
    """A meeting in two days at 10:00 with a Welsh-speaking and an English-speaking partner
    invited by e-mail, a Welsh partner who chose text messages, and a staff member."""
    meeting = MeetingFactory(panel=PanelFactory(name="Housing panel"), days=2, title="Waiting-room changes")
    meeting.people = {
        "welsh": contactable_partner(full_name="Gwen Jones", email="gwen@example.test", language="cy"),
        "english": contactable_partner(full_name="Erin Email", email="erin@example.test", language=""),
        "welsh_text": contactable_partner(full_name="Tomos Text", phone="07700 900111",
                                          preferred_contact="text", language="cy"),
    }
    for partner in meeting.people.values():
        AttendanceFactory(meeting=meeting, partner=partner, status="invited")
    return meeting


def test_each_partner_is_reminded_in_their_own_language_whoever_runs_the_reminders(
        meeting, django_capture_on_commit_callbacks):
    two_days_before = meeting.starts_at - datetime.timedelta(days=2) + datetime.timedelta(minutes=20)
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        assert reminders.meeting_reminders_send(now=two_days_before) == 3
        assert translation.get_language() == "en-gb"  # the run itself stays in its own language

    notices = {notice.partner.full_name: notice for notice in Notice.objects.filter(kind="meeting_reminder")}
    welsh, english, text = notices["Gwen Jones"], notices["Erin Email"], notices["Tomos Text"]
    assert welsh.subject.startswith("Nodyn atgoffa: Waiting-room changes, ")
    assert "Annwyl Gwen" in welsh.body and "Dymuniadau gorau" in welsh.body
    assert "Dear" not in welsh.body and "Best wishes" not in welsh.body
    assert english.subject.startswith("Reminder: Waiting-room changes, ")
    assert "Dear Erin" in english.body and "Best wishes" in english.body
    assert "Annwyl" not in english.body
    assert "nodyn atgoffa, Waiting-room changes" in text.body

    # The calendar file goes in the same language as the e-mail it comes with.
    welsh_mail = next(message for message in mail.outbox if "gwen@" in message.to[0])
    event = Calendar.from_ical(welsh_mail.attachments[0][1]).walk("VEVENT")[0]
    assert "Cyfarfod" in str(event["description"]) or "cyfarfod" in str(event["description"])
    english_mail = next(message for message in mail.outbox if "erin@" in message.to[0])
    english_event = Calendar.from_ical(english_mail.attachments[0][1]).walk("VEVENT")[0]
    assert "meeting" in str(english_event["description"])


def test_meeting_news_goes_to_each_person_in_their_own_language(meeting, django_capture_on_commit_callbacks):
    staff = StaffFactory(full_name="Lee Lead", email="lee@example.test")
    AttendanceFactory(meeting=meeting, partner=None, user=staff, status="confirmed")
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        panel_services.meeting_cancel(meeting=meeting, by=staff)
    to = {message.to[0]: message for message in mail.outbox}
    welsh = next(message for address, message in to.items() if "gwen@" in address)
    english = next(message for address, message in to.items() if "erin@" in address)
    assert "Cyfarfod wedi'i ganslo" in welsh.subject and "Annwyl Gwen" in welsh.body
    assert "Meeting cancelled" in english.subject and "Dear Erin" in english.body
    text = Notice.objects.get(kind="meeting_cancelled", partner=meeting.people["welsh_text"])
    assert "wedi'i ganslo" in text.body


def test_a_welsh_partners_meetings_page_is_in_welsh(partner_client, world):
    world.partner.language = "cy"
    world.partner.save(update_fields=["language"])
    world.partner.user.language = "cy"
    world.partner.user.save(update_fields=["language"])
    page = partner_client.get(reverse("panels:my_meetings")).content.decode()
    assert "Eich cyfarfodydd" in page
    assert "Rhowch wybod i ni a allwch chi ddod" in page
    assert "Your meetings" not in page


def test_an_english_partners_meetings_page_stays_in_english(partner_client, world):
    page = partner_client.get(reverse("panels:my_meetings")).content.decode()
    assert "Your meetings" in page and "Eich cyfarfodydd" not in page
