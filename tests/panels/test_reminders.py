"""Meeting reminders, chasers and notices to the panel's staff lead, each on the person's own
channel: once per meeting, person and reminder time however often beat runs; never to someone
without consent to be contacted or whose data was erased; logged on their record."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coprod import notices
from coprod.models import Notice
from panels import reminders
from panels import services as panel_services
from panels.calendar import meeting_calendar
from participants.models import Partner

from ..participants.factories import PartnerFactory
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory
from ..participants.factories import contactable_partner
from .factories import AttendanceFactory
from .factories import MeetingFactory
from .factories import MembershipFactory
from .factories import PanelFactory

pytestmark = pytest.mark.django_db



@pytest.fixture
def meeting(db):
    """A meeting in two days at 10:00, with one invitee on each channel, a staff facilitator, and
    people who must get nothing."""
    panel = PanelFactory(name="Housing panel")
    lead = StaffFactory(full_name="Lee Lead", email="lee@example.test")
    MembershipFactory(panel=panel, partner=None, user=lead, role="facilitator")
    meeting = MeetingFactory(panel=panel, days=2, title="Waiting-room changes")
    people = {
        "email": contactable_partner(full_name="Erin Email", email="erin@example.test"),
        "text": contactable_partner(full_name="Tom Text", phone="07700 900111", preferred_contact="text"),
        "letter": contactable_partner(full_name="Lou Letter", preferred_contact="post",
                               address="1 High Street\nSpringfield\nAB1 2CD"),
        "phone": contactable_partner(full_name="Pip Phone", phone="07700 900222", preferred_contact="phone"),
        "no_consent": PartnerFactory(full_name="Nat Noconsent", email="nat@example.test"),
        "erased": contactable_partner(full_name="Eddie Erased", email="eddie@example.test",
                               erased_at=timezone.now()),
        "declined": contactable_partner(full_name="Dee Declined", email="dee@example.test"),
        "no_reminders": contactable_partner(full_name="Nora None", email="nora@example.test",
                                            reminders="none"),
    }
    for name, partner in people.items():
        AttendanceFactory(meeting=meeting, partner=partner,
                          status="declined" if name == "declined" else "invited")
    AttendanceFactory(meeting=meeting, partner=None, user=lead, status="confirmed")
    meeting.people, meeting.lead = people, lead
    return meeting


def _send(now, capture):
    with capture(execute=True):
        return reminders.meeting_reminders_send(now=now)


def test_each_invitee_is_reminded_once_on_their_channel_even_if_beat_runs_twice(
        meeting, django_capture_on_commit_callbacks, capsys):
    two_days_before = meeting.starts_at - datetime.timedelta(days=2) + datetime.timedelta(minutes=20)
    assert _send(two_days_before, django_capture_on_commit_callbacks) == 5
    assert _send(two_days_before, django_capture_on_commit_callbacks) == 0
    assert _send(two_days_before + datetime.timedelta(minutes=15), django_capture_on_commit_callbacks) == 0

    sent = {(notice.partner.full_name if notice.partner else notice.user.full_name): notice
            for notice in Notice.objects.filter(kind="meeting_reminder")}
    assert set(sent) == {"Erin Email", "Tom Text", "Lou Letter", "Pip Phone", "Lee Lead"}
    assert Notice.objects.filter(kind="meeting_reminder").count() == 5
    assert sent["Erin Email"].channel == "email" and sent["Lee Lead"].channel == "email"
    assert sent["Tom Text"].channel == "text" and sent["Tom Text"].status == "sent"
    assert sent["Tom Text"].to == "07700 900111"
    assert sent["Lou Letter"].channel == "letter" and sent["Lou Letter"].status == "sent"
    assert sent["Lou Letter"].to.splitlines() == ["Lou Letter", "1 High Street", "Springfield", "AB1 2CD"]
    assert sent["Pip Phone"].channel == "phone" and sent["Pip Phone"].status == "to_call"
    assert "07700 900222" in sent["Pip Phone"].body

    # E-mails carry the calendar file; texts and letters went to the console backend.
    assert sorted(message.to[0] for message in mail.outbox) == ["Erin Email <erin@example.test>",
                                                               "Lee <lee@example.test>"]
    erin = next(message for message in mail.outbox if "erin" in message.to[0])
    assert "Waiting-room changes" in erin.subject and "let us know" in erin.body
    assert erin.attachments[0][0] == f"meeting-{meeting.pk}.ics"
    printed = capsys.readouterr().out
    assert "text message to 07700 900111" in printed and "reminder, Waiting-room changes" in printed
    assert "1 High Street" in printed and "Dear Lou" in printed


def test_the_morning_reminder_follows_and_also_goes_only_once(meeting, django_capture_on_commit_callbacks):
    _send(meeting.starts_at - datetime.timedelta(days=2), django_capture_on_commit_callbacks)
    morning = timezone.make_aware(datetime.datetime.combine(timezone.localdate(meeting.starts_at),
                                                            datetime.time(8, 30)))
    assert _send(morning, django_capture_on_commit_callbacks) == 5
    assert _send(morning, django_capture_on_commit_callbacks) == 0
    assert Notice.objects.filter(kind="meeting_reminder", partner=meeting.people["email"]).count() == 2


def test_a_partner_chooses_how_far_ahead(meeting, django_capture_on_commit_callbacks):
    erin = meeting.people["email"]
    erin.reminders = Partner.Reminders.DAY_BEFORE
    erin.save()
    _send(meeting.starts_at - datetime.timedelta(days=2), django_capture_on_commit_callbacks)
    assert not Notice.objects.filter(partner=erin).exists()
    _send(meeting.starts_at - datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert Notice.objects.filter(partner=erin).count() == 1


def test_a_reminder_whose_time_passed_long_ago_is_not_sent_late(django_capture_on_commit_callbacks):
    starts = timezone.now() + datetime.timedelta(days=1)
    assert reminders.reminder_now(starts, ("2d",), timezone.now()) is None
    assert reminders.reminder_now(starts, ("2d", "1d"), timezone.now()) == "1d"
    def at(day, hour, minute=0):
        return timezone.make_aware(datetime.datetime(2027, 3, day, hour, minute))

    # A meeting at 8:45 is reminded at 8:00 the day before; one at 14:00 at 8:00 on the day.
    assert reminders.reminder_due_at(at(10, 8, 45), "morning") == at(9, 8)
    late = at(10, 14)
    assert reminders.reminder_due_at(late, "morning") == at(10, 8)
    assert reminders.reminder_due_at(late, "3h") == late - datetime.timedelta(hours=3)


def test_a_cancelled_meeting_sends_no_reminders(meeting, django_capture_on_commit_callbacks):
    meeting.status = "cancelled"
    meeting.save()
    assert _send(meeting.starts_at - datetime.timedelta(days=2), django_capture_on_commit_callbacks) == 0


@pytest.mark.django_db(transaction=True)
def test_two_beat_runs_at_the_same_moment_remind_each_person_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite lets one writer in at a time")
    panel = PanelFactory()
    meeting = MeetingFactory(panel=panel, days=2)
    for number in range(6):
        AttendanceFactory(meeting=meeting, partner=contactable_partner(email=f"p{number}@example.test"))
    now = meeting.starts_at - datetime.timedelta(days=2)
    start, counts, errors = threading.Barrier(2), [], []

    def run():
        try:
            start.wait()
            counts.append(reminders.meeting_reminders_send(now=now))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(counts) == 6
    assert Notice.objects.filter(kind="meeting_reminder").count() == 6


def test_partners_who_have_not_answered_are_chased_once_after_the_set_days(
        meeting, settings, django_capture_on_commit_callbacks):
    settings.MEETING_CHASE_AFTER_DAYS = 3
    meeting.attendance.filter(partner=meeting.people["email"]).update(
        updated_at=timezone.now() - datetime.timedelta(days=4))
    meeting.attendance.filter(partner=meeting.people["text"]).update(
        updated_at=timezone.now() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.meeting_chasers_send() == 1
        assert reminders.meeting_chasers_send() == 0
    chaser = Notice.objects.get(kind="meeting_chaser")
    assert chaser.partner == meeting.people["email"]
    assert mail.outbox[-1].subject.startswith("Can you come?")
    settings.MEETING_CHASE_AFTER_DAYS = 0
    assert reminders.meeting_chasers_send() == 0


def test_declining_tells_the_panels_staff_lead(meeting, django_capture_on_commit_callbacks):
    partner = PartnerWithLoginFactory(full_name="Dan Decider")
    line = AttendanceFactory(meeting=meeting, partner=partner, status="invited")
    with django_capture_on_commit_callbacks(execute=True):
        panel_services.attendance_respond(attendance=line, confirm=False, by=partner.user)
    told = Notice.objects.get(kind="meeting_declined")
    assert told.user == meeting.lead and told.channel == "email"
    assert told.partner == partner  # on Dan's record, and erased with it
    assert mail.outbox[-1].to == ["Lee <lee@example.test>"]
    assert "Dan Decider cannot come" in mail.outbox[-1].subject
    # Saying yes tells nobody.
    with django_capture_on_commit_callbacks(execute=True):
        panel_services.attendance_respond(attendance=line, confirm=True, by=partner.user)
    assert Notice.objects.filter(kind="meeting_declined").count() == 1


def test_the_staff_lead_is_the_chair_or_facilitator_else_any_staff_member_else_the_creator(db):
    creator = StaffFactory()
    panel = PanelFactory(created_by=creator)
    assert reminders.panel_leads(panel) == [creator]
    member = StaffFactory()
    MembershipFactory(panel=panel, partner=None, user=member, role="member")
    assert reminders.panel_leads(panel) == [member]
    chair = StaffFactory()
    MembershipFactory(panel=panel, partner=None, user=chair, role="chair")
    assert reminders.panel_leads(panel) == [chair]


def test_a_notice_that_cannot_be_saved_never_breaks_the_action(meeting, monkeypatch, caplog):
    partner = PartnerWithLoginFactory()
    line = AttendanceFactory(meeting=meeting, partner=partner, status="invited")

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(notices, "_save", broken)
    panel_services.attendance_respond(attendance=line, confirm=False, by=partner.user)
    line.refresh_from_db()
    assert line.status == "declined"
    assert not Notice.objects.exists()
    assert "could not be saved" in caplog.text


def test_staff_see_the_call_list_on_the_meeting_page_and_mark_a_call_done(
        meeting, client, django_capture_on_commit_callbacks):
    _send(meeting.starts_at - datetime.timedelta(days=2), django_capture_on_commit_callbacks)
    staff = meeting.lead
    client.force_login(staff)
    page = client.get(reverse("panels:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Call list" in page and "07700 900222" in page and "I rang Pip Phone" in page
    call = Notice.objects.get(channel="phone")
    response = client.post(reverse("panels:call_done", args=[call.pk]))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == "called" and call.done_by == staff and call.sent_at
    page = client.get(reverse("panels:meeting_detail", args=[meeting.pk])).content.decode()
    assert "I rang Pip Phone" not in page and "Rung by" in page
    # Twice is refused, with a message, and changes nothing.
    client.post(reverse("panels:call_done", args=[call.pk]))
    call.refresh_from_db()
    assert call.done_by == staff


def test_the_calendar_file_carries_an_alarm_the_day_before(meeting):
    event = Calendar.from_ical(meeting_calendar(meeting)).walk("VEVENT")[0]
    alarm = event.walk("VALARM")[0]
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -datetime.timedelta(days=1)
    meeting.status = "cancelled"
    assert not Calendar.from_ical(meeting_calendar(meeting)).walk("VALARM")


def test_scheduling_and_cancelling_reach_partners_who_chose_texts_letters_or_a_call(
        django_capture_on_commit_callbacks, capsys):
    panel = PanelFactory(name="Housing panel")
    staff = StaffFactory()
    text = contactable_partner(full_name="Tom Text", phone="07700 900111", preferred_contact="text")
    phone = contactable_partner(full_name="Pip Phone", phone="07700 900222", preferred_contact="phone")
    silent = PartnerFactory(full_name="Nat Noconsent", phone="07700 900333", preferred_contact="text")
    for partner in (text, phone, silent):
        MembershipFactory(panel=panel, partner=partner)
    starts = timezone.now() + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = panel_services.meeting_schedule(panel=panel, by=staff, data={
            "title": "Budget review", "starts_at": starts, "ends_at": starts + datetime.timedelta(hours=2),
            "format": "online", "online_joining": "A link by e-mail"})
    scheduled = Notice.objects.filter(kind="meeting_scheduled").values_list("partner__full_name", "channel")
    assert set(scheduled) == {("Tom Text", "text"), ("Pip Phone", "phone")}
    assert "you are invited to Budget review" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        panel_services.meeting_cancel(meeting=meeting, by=staff)
    cancelled = Notice.objects.get(kind="meeting_cancelled", partner=text)
    assert cancelled.status == "sent" and "is cancelled" in cancelled.body
    assert Notice.objects.get(kind="meeting_cancelled", partner=phone).status == "to_call"
    assert not Notice.objects.filter(partner=silent).exists()
