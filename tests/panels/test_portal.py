"""Panels and meetings in the partner's own pages: "Your meetings", "Your panels",
answering an invitation, calendar files, and what other partners cannot see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from panels.models import Attendance

from ..helpers import assert_queries_bounded
from .factories import AttendanceFactory
from .factories import MeetingFactory
from .factories import MembershipFactory
from .factories import PanelFactory

pytestmark = pytest.mark.django_db


def test_your_meetings_shows_what_is_coming_up_and_what_was_recorded(partner_client, world):
    page = partner_client.get(reverse("panels:my_meetings")).content.decode()
    assert world.meeting.title in page
    assert "Please tell us if you can come" in page
    assert "Step-free entrance on Mill Lane" in page
    assert world.past_meeting.title in page
    assert "You came" in page


def test_your_meetings_runs_a_fixed_number_of_queries(partner_client, world):
    def grow():
        for number in range(30):
            meeting = MeetingFactory(panel=world.panel, days=number - 15, title=f"Grown meeting {number}")
            AttendanceFactory(meeting=meeting, partner=world.partner)

    assert_queries_bounded(partner_client, reverse("panels:my_meetings"), grow, most=12)


def test_the_portal_home_shows_the_next_meetings_in_a_fixed_number_of_queries(partner_client, world):
    def grow():
        for number in range(10):
            meeting = MeetingFactory(panel=world.panel, days=number + 1, title=f"Grown meeting {number}")
            AttendanceFactory(meeting=meeting, partner=world.partner)

    # The page also lists "What to look at next": meetings to answer, rounds, claims not sent.
    assert_queries_bounded(partner_client, reverse("participants:portal_home"), grow, most=13)
    page = partner_client.get(reverse("participants:portal_home")).content.decode()
    assert "Your next meetings" in page
    assert "Grown meeting 0" in page


def test_partner_confirms_they_are_coming(partner_client, world):
    response = partner_client.post(reverse("panels:my_meeting_respond", args=[world.meeting.pk]),
                                   {"answer": "yes"})
    assert response.url == reverse("panels:my_meeting", args=[world.meeting.pk])
    world.attendance.refresh_from_db()
    assert world.attendance.status == "confirmed"
    assert "You said you will come" in partner_client.get(response.url).content.decode()


def test_partner_says_they_cannot_come(partner_client, world):
    partner_client.post(reverse("panels:my_meeting_respond", args=[world.meeting.pk]), {"answer": "no"})
    world.attendance.refresh_from_db()
    assert world.attendance.status == "declined"


def test_a_made_up_answer_changes_nothing(partner_client, world):
    partner_client.post(reverse("panels:my_meeting_respond", args=[world.meeting.pk]), {"answer": "maybe"})
    world.attendance.refresh_from_db()
    assert world.attendance.status == "invited"


def test_partner_cannot_answer_for_a_meeting_already_held(partner_client, world):
    line = world.past_meeting.attendance.get(partner=world.partner)
    partner_client.post(reverse("panels:my_meeting_respond", args=[world.past_meeting.pk]), {"answer": "no"})
    line.refresh_from_db()
    assert line.status == "attended"


def test_partner_cannot_mark_someone_elses_attendance(other_partner_client, world):
    response = other_partner_client.post(reverse("panels:my_meeting_respond", args=[world.meeting.pk]),
                                         {"answer": "no"})
    assert response.status_code == 404
    world.attendance.refresh_from_db()
    assert world.attendance.status == "invited"


def test_partner_cannot_record_the_register(partner_client, world):
    line = world.past_meeting.attendance.get(partner=world.partner)
    response = partner_client.post(reverse("panels:attendance_update", args=[world.past_meeting.pk]), {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-line": line.pk,
        "form-0-status": "no_show",
    })
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.status == "attended"


@pytest.mark.parametrize("url_name, attribute", [
    ("panels:my_panel", "panel"), ("panels:my_meeting", "meeting"), ("panels:my_meeting", "past_meeting"),
    ("panels:meeting_ics", "meeting"), ("panels:paper_download", "paper"),
    ("panels:paper_download", "past_paper"),
])
def test_a_partner_not_on_the_panel_gets_404_and_none_of_its_data(other_partner_client, world, url_name,
                                                                   attribute):
    response = other_partner_client.get(reverse(url_name, args=[getattr(world, attribute).pk]))
    assert response.status_code == 404
    body = response.content.decode()
    assert world.panel.name not in body and "Waiting-room" not in body and "Eviction leaflet" not in body


def test_a_former_member_keeps_seeing_meetings_they_were_invited_to_but_not_later_ones(partner_client, world):
    world.membership.left_on = timezone.localdate()
    world.membership.save(update_fields=["left_on"])
    later = MeetingFactory(panel=world.panel, days=20, title="After they left")
    assert partner_client.get(reverse("panels:my_meeting", args=[world.past_meeting.pk])).status_code == 200
    assert partner_client.get(reverse("panels:my_meeting", args=[later.pk])).status_code == 404
    assert partner_client.get(reverse("panels:my_panel", args=[world.panel.pk])).status_code == 404


def test_partner_sees_papers_minutes_and_agenda_of_their_meeting(partner_client, world):
    page = partner_client.get(reverse("panels:my_meeting", args=[world.past_meeting.pk])).content.decode()
    assert "Draft eviction leaflet" in page
    assert "shorter sentences" in page  # the minutes
    assert "The draft leaflet" in page  # the agenda


def test_calendar_file_holds_the_meeting(partner_client, world):
    response = partner_client.get(reverse("panels:meeting_ics", args=[world.meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{world.meeting.pk}.ics"'
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Waiting-room changes (Housing challenge panel)"
    assert event.decoded("DTSTART") == world.meeting.starts_at
    assert event.decoded("DTEND") == world.meeting.ends_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(hours=2)
    assert str(event["LOCATION"]) == "Riverside Community Centre, Room 2"
    assert str(event["UID"]) == f"meeting-{world.meeting.pk}@testserver"


def test_calendar_file_of_an_online_meeting_says_online_and_how_to_join(partner_client, world):
    meeting = MeetingFactory(panel=world.panel, format="online", venue="", online_joining="https://meet.example/abc")
    AttendanceFactory(meeting=meeting, partner=world.partner)
    event = Calendar.from_ical(
        partner_client.get(reverse("panels:meeting_ics", args=[meeting.pk])).content).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "Online"
    assert "https://meet.example/abc" in str(event["DESCRIPTION"])


def test_your_panels_shows_purpose_and_members_names_only(partner_client, world):
    page = partner_client.get(reverse("panels:my_panels")).content.decode()
    assert world.panel.name in page
    assert "Reviews our housing advice plans" in page
    assert "Leslie Lane (co-chair)" in page
    assert "Needs a break every hour." not in page  # another member's access needs
    assert world.partner.email not in page


def test_your_panels_leaves_out_panels_the_partner_is_not_on(partner_client, world):
    other_panel = PanelFactory(name="Immigration forum")
    MembershipFactory(panel=other_panel, partner=world.other_partner)
    assert "Immigration forum" not in partner_client.get(reverse("panels:my_panels")).content.decode()


def test_home_page_shows_the_next_meetings(partner_client, world):
    page = partner_client.get(reverse("participants:portal_home")).content.decode()
    assert "Your next meetings" in page
    assert world.meeting.title in page
    assert world.past_meeting.title not in page


def test_staff_see_a_partners_panels_and_recent_meetings_on_their_page(staff_client, world):
    page = staff_client.get(reverse("participants:partner_detail", args=[world.partner.pk])).content.decode()
    assert "Panels and meetings" in page
    assert world.panel.name in page
    assert world.past_meeting.title in page


def test_a_cancelled_meeting_says_so_and_cannot_be_answered(partner_client, world):
    world.meeting.status = "cancelled"
    world.meeting.save(update_fields=["status"])
    page = partner_client.get(reverse("panels:my_meeting", args=[world.meeting.pk])).content.decode()
    assert "Cancelled: this meeting is not happening" in page
    assert "Yes, I will come" not in page
    partner_client.post(reverse("panels:my_meeting_respond", args=[world.meeting.pk]), {"answer": "yes"})
    assert Attendance.objects.get(pk=world.attendance.pk).status == "invited"
