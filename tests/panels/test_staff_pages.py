"""Panels, memberships, meetings, papers and attendance: the staff pages."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from panels.models import Attendance
from panels.models import Meeting
from panels.models import MeetingPaper
from panels.models import Membership
from panels.models import Panel
from participants.models import ConsentStatement

from ..helpers import assert_queries_bounded
from ..participants.factories import ConsentFactory
from ..participants.factories import PartnerFactory
from ..participants.factories import StaffFactory
from .factories import AttendanceFactory
from .factories import MeetingFactory
from .factories import MembershipFactory
from .factories import PanelFactory

pytestmark = pytest.mark.django_db


def _in_a_week() -> str:
    return (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


def _meeting_form(**changes) -> dict:
    return {"title": "Waiting-room changes", "date": _in_a_week(), "starts": "10:00", "ends": "12:00",
            "format": "in_person", "venue": "Riverside Centre, Room 2",
            "access_information": "Step-free entrance on Mill Lane.", "agenda": "1. Welcome", **changes}


# Panels


def test_staff_set_up_a_panel_and_land_on_its_page(staff_client, world):
    response = staff_client.post(reverse("panels:panel_create"), {
        "name": "Digital advice advisory group", "kind": "advisory", "purpose": "Advises on the new website.",
        "starts_on": timezone.localdate().isoformat(), "ends_on": "", "status": "active",
        "service": world.service.pk,
    })
    panel = Panel.objects.get(name="Digital advice advisory group")
    assert response.status_code == 302 and response.url == reverse("panels:panel_detail", args=[panel.pk])
    assert panel.created_by == world.staff and panel.service == world.service


def test_a_panel_ending_before_it_starts_is_refused_with_a_clear_message(staff_client):
    response = staff_client.post(reverse("panels:panel_create"), {
        "name": "Backwards panel", "kind": "advisory", "purpose": "Advises.", "status": "active",
        "starts_on": "2026-03-10", "ends_on": "2026-03-01",
    })
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()
    assert not Panel.objects.filter(name="Backwards panel").exists()


def test_panel_list_filters_by_kind(staff_client, world):
    PanelFactory(name="Recruitment panel for advisers", kind="recruitment")
    response = staff_client.get(reverse("panels:panel_list"), {"kind": "recruitment"})
    page = response.content.decode()
    assert "Recruitment panel for advisers" in page
    assert world.panel.name not in page


def test_panel_list_runs_a_fixed_number_of_queries(staff_client, world):
    def grow():
        for number in range(25):
            panel = PanelFactory(name=f"Grown panel {number:02}", service=world.service)
            MembershipFactory(panel=panel)
            MeetingFactory(panel=panel)

    assert_queries_bounded(staff_client, reverse("panels:panel_list"), grow, most=12)


def test_panel_page_lists_members_and_meetings(staff_client, world):
    page = staff_client.get(reverse("panels:panel_detail", args=[world.panel.pk])).content.decode()
    world.partner.refresh_from_db()  # other apps' records may give them a preferred name
    assert world.partner.display_name in page
    assert "Facilitator" in page
    assert world.meeting.title in page and world.past_meeting.title in page


# Memberships


def test_adding_a_member_twice_is_refused_with_a_clear_message(staff_client, world):
    response = staff_client.post(reverse("panels:membership_add", args=[world.panel.pk]), {
        "partner": world.partner.pk, "role": "member", "joined_on": timezone.localdate().isoformat(),
    })
    assert response.status_code == 200
    world.partner.refresh_from_db()
    assert f"{world.partner.display_name} is already on this panel" in response.content.decode()
    assert Membership.objects.filter(panel=world.panel, partner=world.partner).count() == 1


def test_choosing_both_a_partner_and_a_staff_member_is_refused(staff_client, world):
    response = staff_client.post(reverse("panels:membership_add", args=[world.panel.pk]), {
        "partner": world.other_partner.pk, "user": world.staff.pk, "role": "member",
        "joined_on": timezone.localdate().isoformat(),
    })
    assert "Choose either a partner or a member of staff" in response.content.decode()
    assert not Membership.objects.filter(partner=world.other_partner).exists()


def test_staff_add_a_member_who_is_then_invited_to_meetings_to_come(staff_client, world):
    response = staff_client.post(reverse("panels:membership_add", args=[world.panel.pk]), {
        "partner": world.other_partner.pk, "role": "member", "joined_on": timezone.localdate().isoformat(),
    })
    assert response.status_code == 302
    assert world.meeting.attendance.filter(partner=world.other_partner, status="invited").exists()
    assert not world.past_meeting.attendance.filter(partner=world.other_partner).exists()


def test_ending_a_membership_records_the_date(staff_client, world):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    staff_client.post(reverse("panels:membership_end", args=[world.leslie_membership.pk]),
                      {"left_on": yesterday.isoformat()})
    world.leslie_membership.refresh_from_db()
    assert world.leslie_membership.left_on == yesterday


# Meetings


def test_a_meeting_ending_before_it_starts_is_refused_with_a_clear_message(staff_client, world):
    before = Meeting.objects.count()
    response = staff_client.post(reverse("panels:meeting_create", args=[world.panel.pk]),
                                 _meeting_form(starts="14:00", ends="13:00"))
    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.content.decode()
    assert Meeting.objects.count() == before


def test_scheduling_a_meeting_invites_the_members_and_emails_them(
        staff_client, world, django_capture_on_commit_callbacks):
    ConsentFactory(partner=world.partner, statement=ConsentStatement.objects.get(topic="contact", version=1))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("panels:meeting_create", args=[world.panel.pk]),
                                     _meeting_form(title="Benefits letter review"))
    meeting = Meeting.objects.get(title="Benefits letter review")
    assert response.url == reverse("panels:meeting_detail", args=[meeting.pk])
    assert set(meeting.attendance.values_list("status", flat=True)) == {"invited"}
    assert meeting.attendance.count() == 3  # the partner, the facilitator and Leslie
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([world.partner.email, world.staff.email])  # Leslie has no consent or e-mail
    to_partner = next(message for message in mail.outbox if message.to == [world.partner.email])
    assert f"http://testserver/my/meetings/{meeting.pk}/" in to_partner.body


def test_meeting_list_shows_upcoming_and_past_meetings(staff_client, world):
    upcoming = staff_client.get(reverse("panels:meeting_list")).content.decode()
    past = staff_client.get(reverse("panels:meeting_list"), {"when": "past"}).content.decode()
    assert world.meeting.title in upcoming and world.past_meeting.title not in upcoming
    assert world.past_meeting.title in past and world.meeting.title not in past


def test_meeting_list_runs_a_fixed_number_of_queries(staff_client, world):
    def grow():
        for number in range(25):
            meeting = MeetingFactory(panel=world.panel, days=number + 1, title=f"Grown meeting {number}")
            AttendanceFactory(meeting=meeting, status="confirmed")

    assert_queries_bounded(staff_client, reverse("panels:meeting_list"), grow, most=10)


def test_meeting_page_runs_a_fixed_number_of_queries(staff_client, world):
    def grow():
        for _ in range(20):
            AttendanceFactory(meeting=world.meeting, partner=PartnerFactory(access_notes="Quiet room"))

    assert_queries_bounded(staff_client, reverse("panels:meeting_detail", args=[world.meeting.pk]), grow,
                           most=16)


def test_access_needs_show_only_to_staff_allowed_to_see_sensitive_data(client, world):
    url = reverse("panels:meeting_detail", args=[world.meeting.pk])
    plain_staff = StaffFactory()
    client.force_login(plain_staff)
    page = client.get(url).content.decode()
    assert "Access needs recorded — ask a co-production lead" in page
    assert "Needs a break every hour." not in page
    plain_staff.user_permissions.add(Permission.objects.get(codename="view_sensitive_partner_data"))
    page = client.get(url).content.decode()
    assert "Needs a break every hour." in page
    assert "ask a co-production lead" not in page


def test_changing_the_time_of_a_meeting_emails_the_register(
        staff_client, world, django_capture_on_commit_callbacks):
    data = _meeting_form(title=world.meeting.title, starts="14:00", ends="16:00", minutes="")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("panels:meeting_edit", args=[world.meeting.pk]), data)
    assert response.status_code == 302
    world.meeting.refresh_from_db()
    assert timezone.localtime(world.meeting.starts_at).hour == 14
    assert [message.to for message in mail.outbox] == [[world.staff.email]]
    assert "Meeting changed" in mail.outbox[0].subject


def test_staff_cancel_a_meeting_only_after_ticking_the_box(staff_client, world):
    url = reverse("panels:meeting_cancel", args=[world.meeting.pk])
    staff_client.post(url, {})
    world.meeting.refresh_from_db()
    assert world.meeting.status == Meeting.Status.SCHEDULED
    staff_client.post(url, {"confirm": "1"})
    world.meeting.refresh_from_db()
    assert world.meeting.status == Meeting.Status.CANCELLED


# The register


def _register_post(meeting, statuses: dict) -> dict:
    lines = list(meeting.attendance.order_by("pk"))
    data = {"form-TOTAL_FORMS": str(len(lines)), "form-INITIAL_FORMS": str(len(lines)),
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    for index, line in enumerate(lines):
        status, hours = statuses.get(line.pk, (line.status, line.hours or ""))
        data |= {f"form-{index}-line": line.pk, f"form-{index}-status": status, f"form-{index}-hours": hours}
    return data


def test_staff_record_the_register_with_hours_defaulting_to_the_meeting_length(staff_client, world):
    line = world.past_meeting.attendance.get(partner__full_name="Leslie Lane")
    response = staff_client.post(reverse("panels:attendance_update", args=[world.past_meeting.pk]),
                                 _register_post(world.past_meeting, {line.pk: ("attended", "")}))
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.status == "attended" and line.hours == Decimal("2.00") and line.updated_by == world.staff


def test_hours_for_an_apology_are_refused_and_nothing_is_saved(staff_client, world):
    lines = {line.partner_id: line for line in world.past_meeting.attendance.all()}
    leslie = world.past_meeting.attendance.get(partner__full_name="Leslie Lane")
    response = staff_client.post(reverse("panels:attendance_update", args=[world.past_meeting.pk]),
                                 _register_post(world.past_meeting, {
                                     lines[world.partner.pk].pk: ("no_show", ""),
                                     leslie.pk: ("apologies", "3"),
                                 }))
    assert response.status_code == 200
    assert "hours are only recorded for people who attended" in response.content.decode()
    assert Attendance.objects.get(pk=lines[world.partner.pk].pk).status == "attended"


def test_negative_hours_are_refused(staff_client, world):
    line = world.past_meeting.attendance.get(partner=world.partner)
    response = staff_client.post(reverse("panels:attendance_update", args=[world.past_meeting.pk]),
                                 _register_post(world.past_meeting, {line.pk: ("attended", "-1")}))
    assert "greater than or equal to 0" in response.content.decode()
    line.refresh_from_db()
    assert line.hours == Decimal("2.00")


def test_a_line_of_another_meeting_cannot_be_posted_into_the_register(staff_client, world):
    other = AttendanceFactory(meeting=MeetingFactory(days=-2))
    data = _register_post(world.past_meeting, {})
    data["form-0-line"] = other.pk
    data["form-0-status"] = "no_show"
    staff_client.post(reverse("panels:attendance_update", args=[world.past_meeting.pk]), data)
    other.refresh_from_db()
    assert other.status == "invited"


# Papers


def test_staff_upload_a_paper_that_members_download_as_an_attachment(staff_client, world, client_for):
    response = staff_client.post(reverse("panels:paper_add", args=[world.meeting.pk]), {
        "title": "Budget summary", "file": SimpleUploadedFile("budget.txt", b"Budget: 1,000 pounds"),
    })
    assert response.status_code == 302
    paper = MeetingPaper.objects.get(title="Budget summary")
    download = client_for("partner").get(reverse("panels:paper_download", args=[paper.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == b"Budget: 1,000 pounds"


def test_a_paper_of_the_wrong_type_is_refused_with_a_clear_message(staff_client, world):
    response = staff_client.post(reverse("panels:paper_add", args=[world.meeting.pk]), {
        "title": "Script", "file": SimpleUploadedFile("script.sh", b"#!/bin/sh"),
    })
    assert response.status_code == 200
    assert "This type of file cannot be shared" in response.content.decode()
    assert not MeetingPaper.objects.filter(title="Script").exists()


def test_papers_are_not_served_from_a_public_media_url(client, world):
    assert client.get("/" + "media/" + world.paper.file.name).status_code == 404
