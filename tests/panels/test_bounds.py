"""Sensible bounds on the dates people type for panels, meetings, decisions, staff time
and recruitment, and list filters that say what is wrong instead of failing."""

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from panels import services
from panels.models import Decision
from panels.models import Meeting
from panels.models import Panel

from ..participants.factories import StaffFactory
from .factories import MeetingFactory
from .factories import PanelFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _meeting_form(day: str, **changes) -> dict:
    return {"title": "Waiting-room changes", "date": day, "starts": "10:00", "ends": "12:00",
            "format": "online", **changes}


def test_a_meeting_on_31_december_9999_is_refused_with_a_message(staff_client, world):
    before = Meeting.objects.count()
    response = staff_client.post(reverse("panels:meeting_create", args=[world.panel.pk]),
                                 _meeting_form("9999-12-31"))
    assert response.status_code == 200
    assert "meetings can be scheduled up to two years ahead" in response.content.decode()
    assert Meeting.objects.count() == before


def test_a_meeting_two_years_ahead_is_scheduled(staff_client, world):
    day = TODAY() + timedelta(days=700)
    response = staff_client.post(reverse("panels:meeting_create", args=[world.panel.pk]),
                                 _meeting_form(day.isoformat(), title="Annual review"))
    assert response.status_code == 302
    assert timezone.localdate(Meeting.objects.get(title="Annual review").starts_at) == day


def test_the_minutes_of_a_meeting_held_long_ago_can_still_be_changed(staff_client):
    staff = StaffFactory()
    meeting = MeetingFactory(days=-800, format="online", venue="")
    staff_client.force_login(staff)
    held = timezone.localtime(meeting.starts_at)
    response = staff_client.post(reverse("panels:meeting_edit", args=[meeting.pk]), _meeting_form(
        held.date().isoformat(), title=meeting.title, minutes="We agreed the new letter."))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "We agreed the new letter."


def test_moving_a_meeting_to_more_than_a_year_ago_is_refused_by_the_service():
    staff = StaffFactory()
    meeting = MeetingFactory(days=3)
    starts = meeting.starts_at - timedelta(days=400)
    with pytest.raises(ValidationError) as error:
        services.meeting_update(meeting=meeting, by=staff,
                                data={"starts_at": starts, "ends_at": starts + timedelta(hours=2)})
    assert "more than a year ago" in error.value.message_dict["starts_at"][0]
    meeting.refresh_from_db()
    assert meeting.starts_at != starts


def test_a_panel_ending_twenty_years_ahead_is_refused():
    staff = StaffFactory()
    with pytest.raises(ValidationError) as error:
        services.panel_create(data={"name": "Forum", "kind": Panel.Kind.FORUM, "purpose": "Meets monthly.",
                                    "starts_on": TODAY(), "ends_on": TODAY() + timedelta(days=365 * 20)},
                              by=staff)
    assert "five years ahead" in error.value.message_dict["ends_on"][0]
    assert not Panel.objects.filter(name="Forum").exists()


def test_a_decision_dated_1999_is_refused():
    with pytest.raises(ValidationError) as error:
        services.decision_record(title="New leaflet", decided_on=datetime.date(1999, 6, 1),
                                 decided_by="board", by=StaffFactory())
    assert "cannot be before 1 January 2000" in error.value.message_dict["decided_on"][0]
    assert not Decision.objects.exists()


def test_a_response_deadline_more_than_a_year_ahead_is_refused():
    staff = StaffFactory()
    with pytest.raises(ValidationError) as error:
        services.proposal_create(title="Opening hours", summary="Longer hours.", panel=PanelFactory(),
                                 owner=staff, response_deadline=TODAY() + timedelta(days=400), by=staff)
    assert "within a year" in error.value.message_dict["response_deadline"][0]


@pytest.mark.parametrize(("name", "params"), [
    ("panels:meeting_list", {"starts_from": "2026-06-01", "starts_to": "2026-05-01"}),
    ("panels:decision_list", {"decided_from": "2026-06-01", "decided_to": "2026-05-01"}),
])
def test_a_list_filter_the_wrong_way_round_says_so(staff_client, world, name, params):
    response = staff_client.get(reverse(name), params)
    assert response.status_code == 200
    assert "or later" in response.content.decode()


def test_staff_time_for_the_year_1_says_so_instead_of_failing(staff_client):
    response = staff_client.get(reverse("panels:staff_time_list"),
                                {"start": "0001-01-01", "end": "0001-12-31"})
    assert response.status_code == 200
    assert "choose dates from 1 January 2000 onwards" in response.content.decode()
