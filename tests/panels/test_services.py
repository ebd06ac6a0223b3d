"""Panels, memberships, meetings, papers and attendance: the services."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from panels import services
from panels.models import Attendance
from panels.models import Meeting
from panels.models import MeetingPaper
from panels.models import Membership
from panels.models import Panel
from panels.tasks import close_expired_panels
from participants.models import ConsentStatement

from ..participants.factories import ConsentFactory
from ..participants.factories import PartnerFactory
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import TrusteeFactory
from .factories import AttendanceFactory
from .factories import MeetingFactory
from .factories import MembershipFactory
from .factories import PanelFactory
from .factories import _at

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _agrees_to_contact(partner):
    ConsentFactory(partner=partner, statement=ConsentStatement.objects.get(topic="contact", version=1))
    return partner


def _meeting_data(days: int = 7, **changes) -> dict:
    return {"title": "Waiting-room changes", "starts_at": _at(days, 10), "ends_at": _at(days, 12),
            "format": "in_person", "venue": "Riverside Centre, Room 2",
            "access_information": "Step-free entrance on Mill Lane.", **changes}


# Panels


def test_panel_create_records_who_set_it_up(staff):
    panel = services.panel_create(data={"name": "Housing challenge panel", "kind": "challenge",
                                        "purpose": "Reviews plans.", "starts_on": TODAY()}, by=staff)
    assert panel.created_by == staff
    assert panel.status == Panel.Status.ACTIVE
    assert panel.history.first().history_user == staff


def test_panel_that_ends_before_it_starts_is_refused_and_not_saved(staff):
    with pytest.raises(ValidationError) as error:
        services.panel_create(data={"name": "Short panel", "kind": "advisory", "purpose": "Advises.",
                                    "starts_on": TODAY(), "ends_on": TODAY() - datetime.timedelta(days=1)},
                              by=staff)
    assert "end date must be on or after the start date" in str(error.value)
    assert not Panel.objects.exists()


def test_panel_update_saves_only_what_changed_and_names_who(staff):
    panel = PanelFactory(name="Old name")
    changed = services.panel_update(panel=panel, data={"name": "New name", "kind": panel.kind}, by=staff)
    assert changed == ["name"]
    panel.refresh_from_db()
    assert panel.name == "New name"
    assert panel.history.first().history_user == staff


def test_only_staff_can_create_panels():
    partner = PartnerWithLoginFactory()
    with pytest.raises(PermissionDenied):
        services.panel_create(data={"name": "X", "kind": "forum", "purpose": "Y", "starts_on": TODAY()},
                              by=partner.user)


def test_panels_past_their_end_date_close_themselves():
    ended = PanelFactory(name="Ended", ends_on=TODAY() - datetime.timedelta(days=1))
    ends_today = PanelFactory(name="Ends today", ends_on=TODAY())
    standing = PanelFactory(name="Standing", ends_on=None)
    closed = services.panel_close_expired(on=TODAY())
    assert closed == [ended]
    ended.refresh_from_db(), ends_today.refresh_from_db(), standing.refresh_from_db()
    assert ended.status == Panel.Status.CLOSED
    assert ends_today.status == Panel.Status.ACTIVE
    assert standing.status == Panel.Status.ACTIVE


def test_the_daily_task_closes_expired_panels_and_is_on_the_beat_schedule():
    ended = PanelFactory(ends_on=TODAY() - datetime.timedelta(days=3))
    assert close_expired_panels.delay().get() == [ended.pk]
    ended.refresh_from_db()
    assert ended.status == Panel.Status.CLOSED
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "panels.tasks.close_expired_panels" in tasks


# Memberships


def test_a_partner_cannot_be_added_twice_to_the_same_panel(staff):
    membership = MembershipFactory(partner=PartnerFactory(full_name="Pat Partner"))
    with pytest.raises(ValidationError) as error:
        services.membership_add(panel=membership.panel, partner=membership.partner, by=staff)
    assert "Pat Partner is already on this panel" in str(error.value)
    assert Membership.objects.count() == 1


def test_a_partner_who_left_can_join_again(staff):
    membership = MembershipFactory(left_on=TODAY() - datetime.timedelta(days=1))
    again = services.membership_add(panel=membership.panel, partner=membership.partner, by=staff)
    assert again.pk != membership.pk
    assert Membership.objects.current().filter(partner=membership.partner).count() == 1


def test_staff_members_join_as_staff_and_trustees_cannot(staff):
    panel = PanelFactory()
    membership = services.membership_add(panel=panel, user=staff, role="facilitator", by=staff)
    assert membership.user == staff and membership.partner is None
    trustee = TrusteeFactory()
    with pytest.raises(ValidationError, match="not a member of staff"):
        services.membership_add(panel=panel, user=trustee, by=staff)


def test_a_new_member_joins_the_register_of_meetings_still_to_come(staff):
    panel = PanelFactory()
    upcoming = MeetingFactory(panel=panel, days=5)
    past = MeetingFactory(panel=panel, days=-5)
    partner = PartnerFactory()
    services.membership_add(panel=panel, partner=partner, by=staff)
    assert upcoming.attendance.get().partner == partner
    assert not past.attendance.exists()


def test_leaving_withdraws_later_invitations_but_keeps_what_they_did(staff):
    membership = MembershipFactory()
    partner = membership.partner
    past = MeetingFactory(panel=membership.panel, days=-10)
    AttendanceFactory(meeting=past, partner=partner, status="attended", hours=Decimal("2"))
    upcoming = MeetingFactory(panel=membership.panel, days=10)
    AttendanceFactory(meeting=upcoming, partner=partner, status="confirmed")
    services.membership_end(membership=membership, by=staff)
    membership.refresh_from_db()
    assert membership.left_on == TODAY()
    assert past.attendance.filter(partner=partner).exists()
    assert not upcoming.attendance.filter(partner=partner).exists()


def test_leaving_before_joining_is_refused(staff):
    membership = MembershipFactory()
    with pytest.raises(ValidationError, match="cannot be before that"):
        services.membership_end(membership=membership, by=staff,
                                left_on=membership.joined_on - datetime.timedelta(days=1))
    membership.refresh_from_db()
    assert membership.left_on is None


# Meetings


def test_a_meeting_that_ends_before_it_starts_is_refused_and_not_saved(staff):
    panel = PanelFactory()
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(panel=panel, data=_meeting_data(ends_at=_at(7, 9)), by=staff)
    assert error.value.message_dict["ends_at"] == ["The meeting must end after it starts."]
    assert not Meeting.objects.exists()


def test_an_in_person_meeting_needs_a_venue(staff):
    with pytest.raises(ValidationError, match="address and room"):
        services.meeting_schedule(panel=PanelFactory(), data=_meeting_data(venue=""), by=staff)
    assert not Meeting.objects.exists()


def test_scheduling_a_meeting_invites_every_current_member(staff):
    panel = PanelFactory()
    member = MembershipFactory(panel=panel).partner
    MembershipFactory(panel=panel, partner=None, user=staff, role="chair")
    MembershipFactory(panel=panel, left_on=TODAY() - datetime.timedelta(days=1))  # left already
    meeting = services.meeting_schedule(panel=panel, data=_meeting_data(), by=staff)
    register = {(line.partner, line.user, line.status) for line in meeting.attendance.all()}
    assert register == {(member, None, "invited"), (None, staff, "invited")}
    assert meeting.created_by == staff


def test_members_are_told_by_email_only_with_consent_and_an_address(
        staff, django_capture_on_commit_callbacks):
    panel = PanelFactory(name="Housing challenge panel")
    agrees = _agrees_to_contact(PartnerFactory(full_name="Ada Agrees", email="ada@example.test"))
    silent = PartnerFactory(full_name="Sol Silent", email="sol@example.test")  # no consent to contact
    no_email = _agrees_to_contact(PartnerFactory(full_name="Nat Noemail", email=""))
    for partner in (agrees, silent, no_email):
        MembershipFactory(panel=panel, partner=partner)
    MembershipFactory(panel=panel, partner=None, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_schedule(panel=panel, data=_meeting_data(), by=staff,
                                            base_url="https://coprod.example.org/")
    assert sorted(message.to[0] for message in mail.outbox) == ["ada@example.test", staff.email]
    to_ada = next(message for message in mail.outbox if message.to == ["ada@example.test"])
    assert "New meeting: Waiting-room changes" in to_ada.subject
    assert "Dear Ada Agrees" in to_ada.body
    assert f"https://coprod.example.org/my/meetings/{meeting.pk}/" in to_ada.body
    assert "Step-free entrance on Mill Lane." in to_ada.body
    name, content, mimetype = to_ada.attachments[0]
    assert mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Waiting-room changes (Housing challenge panel)"


def test_no_email_is_sent_when_the_meeting_is_not_saved(staff, django_capture_on_commit_callbacks):
    panel = PanelFactory()
    MembershipFactory(panel=panel, partner=None, user=staff)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.meeting_schedule(panel=panel, data=_meeting_data(title=""), by=staff)
    assert mail.outbox == []


def test_changing_the_time_tells_the_register_but_minutes_do_not(staff, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, partner=None, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting, data={"agenda": "1. Welcome"}, by=staff)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.meeting_update(meeting=meeting, by=staff,
                                          data={"starts_at": _at(8, 14), "ends_at": _at(8, 16)})
    assert set(changed) == {"starts_at", "ends_at"}
    assert len(mail.outbox) == 1
    assert "Meeting changed" in mail.outbox[0].subject
    assert "has changed" in mail.outbox[0].body


def test_cancelling_tells_the_register_and_cannot_be_changed_afterwards(
        staff, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, partner=None, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, by=staff)
    assert meeting.status == Meeting.Status.CANCELLED
    assert "Meeting cancelled" in mail.outbox[0].subject
    assert "STATUS:CANCELLED" in mail.outbox[0].attachments[0][1]
    with pytest.raises(ValidationError, match="cancelled"):
        services.meeting_update(meeting=meeting, data={"title": "New title"}, by=staff)


def test_a_meeting_already_held_cannot_be_cancelled(staff):
    meeting = MeetingFactory(days=-3)
    with pytest.raises(ValidationError, match="already started"):
        services.meeting_cancel(meeting=meeting, by=staff)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


# Papers


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_paper_is_stored_under_a_safe_file_name(staff):
    meeting = MeetingFactory()
    paper = services.paper_add(meeting=meeting, title="", by=staff,
                               file=_upload("../../etc/Draft plan <v2>.PDF", b"%PDF-1.4 draft"))
    assert paper.file.name.startswith(f"papers/{meeting.pk}/")
    filename = paper.file.name.rsplit("/", 1)[-1]
    assert ".." not in paper.file.name and "<" not in filename and " " not in filename
    assert filename.endswith(".pdf")
    assert paper.title == "Draft plan v2"  # from the file name when no title is given
    assert paper.uploaded_by == staff


@pytest.mark.parametrize(("name", "content", "message"), [
    ("run-me.exe", b"MZ...", "This type of file cannot be shared"),
    ("notes.pdf", b"<html>not a pdf</html>", "does not look like a real PDF file"),
    ("photo.png", b"GIF89a....", "does not look like a real PNG file"),
    ("empty.txt", b"", "The file is empty"),
    ("binary.txt", b"\x00\x01\x02", "does not look like a real TXT file"),
])
def test_papers_of_the_wrong_type_are_refused_and_not_saved(staff, name, content, message):
    with pytest.raises(ValidationError, match=message):
        services.paper_add(meeting=MeetingFactory(), title="A paper", file=_upload(name, content), by=staff)
    assert not MeetingPaper.objects.exists()


def test_papers_over_ten_megabytes_are_refused(staff):
    big = _upload("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="at most 10 MB"):
        services.paper_add(meeting=MeetingFactory(), title="Big", file=big, by=staff)
    assert not MeetingPaper.objects.exists()


def test_word_odt_text_and_image_papers_are_accepted(staff):
    meeting = MeetingFactory()
    for name, content in [("a.docx", b"PK\x03\x04rest"), ("b.odt", b"PK\x03\x04rest"),
                          ("c.txt", "Café agenda".encode()), ("d.jpg", b"\xff\xd8\xff\xe0rest")]:
        services.paper_add(meeting=meeting, title="", file=_upload(name, content), by=staff)
    assert meeting.papers.count() == 4


def test_removing_a_paper_deletes_its_file(staff, django_capture_on_commit_callbacks):
    paper = services.paper_add(meeting=MeetingFactory(), title="Old", file=_upload("old.pdf", b"%PDF-1.4"),
                               by=staff)
    storage, name = paper.file.storage, paper.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.paper_remove(paper=paper, by=staff)
    assert not MeetingPaper.objects.exists()
    assert not storage.exists(name)


# Attendance


def test_hours_default_to_the_length_of_the_meeting_when_marked_attended(staff):
    line = AttendanceFactory(meeting=MeetingFactory(days=-1))  # 10:00 to 12:00
    services.attendance_set(attendance=line, status="attended", by=staff)
    line.refresh_from_db()
    assert line.hours == Decimal("2.00")
    assert line.updated_by == staff
    assert line.history.first().history_user == staff


def test_hours_for_someone_who_did_not_attend_are_refused(staff):
    line = AttendanceFactory(meeting=MeetingFactory(days=-1))
    with pytest.raises(ValidationError, match="only recorded for people who attended"):
        services.attendance_set(attendance=line, status="apologies", hours=Decimal("2"), by=staff)
    line.refresh_from_db()
    assert line.status == "invited" and line.hours is None


def test_attendance_cannot_be_recorded_before_the_meeting_starts(staff):
    line = AttendanceFactory(meeting=MeetingFactory(days=3))
    with pytest.raises(ValidationError, match="once the meeting has started"):
        services.attendance_set(attendance=line, status="attended", by=staff)


def test_a_register_with_one_bad_line_saves_nothing(staff):
    meeting = MeetingFactory(days=-1)
    good, bad = AttendanceFactory(meeting=meeting), AttendanceFactory(meeting=meeting)
    with pytest.raises(ValidationError):
        services.attendance_record_register(
            meeting=meeting, lines=[(good, "attended", None), (bad, "no_show", Decimal("1"))], by=staff,
        )
    good.refresh_from_db()
    assert good.status == "invited"


def test_a_partner_confirms_or_declines_their_own_invitation():
    partner = PartnerWithLoginFactory()
    line = AttendanceFactory(partner=partner)
    services.attendance_respond(attendance=line, confirm=True, by=partner.user)
    assert Attendance.objects.get(pk=line.pk).status == "confirmed"
    services.attendance_respond(attendance=line, confirm=False, by=partner.user)
    line.refresh_from_db()
    assert line.status == "declined"
    assert line.updated_by == partner.user


def test_a_partner_cannot_answer_someone_elses_invitation():
    line = AttendanceFactory(partner=PartnerWithLoginFactory())
    someone_else = PartnerWithLoginFactory()
    with pytest.raises(PermissionDenied):
        services.attendance_respond(attendance=line, confirm=False, by=someone_else.user)
    line.refresh_from_db()
    assert line.status == "invited"


def test_a_partner_cannot_answer_once_the_meeting_has_started():
    partner = PartnerWithLoginFactory()
    line = AttendanceFactory(partner=partner, meeting=MeetingFactory(days=-1))
    with pytest.raises(ValidationError, match="already started"):
        services.attendance_respond(attendance=line, confirm=True, by=partner.user)
