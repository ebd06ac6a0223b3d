"""Reminders before meetings, chasers for unanswered invitations, notices to a panel's
staff lead, and news of what staff did (a meeting scheduled, changed or cancelled, a proposal
sent to its panel, a point answered), queued by panels.services.
Beat runs `meeting_reminders_send` and `meeting_chasers_send` every quarter of an
hour (panels.tasks.send_meeting_reminders); each notice goes on the person's own channel
(`participants.contact`, `coprod.notices`) and is saved once only, under a key naming the
meeting, the person and the reminder time, so a second run at once sends nothing more.

When: a partner's own choice (`Partner.reminders`) or the usual times (MEETING_REMINDERS,
by default two days before and on the morning). "Nd"/"Nh" is that many days or hours before
the start; "morning" is 8:00 on the day (the day before for a meeting that starts before
9:00). Only the latest reminder time that has come is sent, and not when it came more than
`LATE_LIMIT` ago (a meeting scheduled the day before gets no "two days before" reminder).
"""

import datetime
import logging
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coprod import notify
from coprod.i18n import in_language
from coprod.models import Notice
from coprod.models import Organisation
from coprod.notices import Recipient
from coprod.notices import notice_send
from coprod.notices import recipient_for_user
from coprod.welsh import welsh_version
from participants.contact import contact_address
from participants.contact import contact_addresses
from participants.contact import email_partner
from participants.contact import partner_recipients
from participants.contact import reminder_times
from participants.contact import usual_reminder_times

from .calendar import meeting_calendar
from .models import Attendance
from .models import FeedbackResponse
from .models import Meeting
from .models import Membership
from .models import Panel
from .models import Proposal

logger = logging.getLogger(__name__)

# A reminder whose time came longer ago than this is not sent late.
LATE_LIMIT = timedelta(hours=12)
# Reminders are looked for in meetings starting within this (the longest choice is a week).
HORIZON = timedelta(days=8)
MORNING = datetime.time(8, 0)
EARLY_START = datetime.time(9, 0)
LEAD_ROLES = (Membership.Role.CHAIR, Membership.Role.CO_CHAIR, Membership.Role.FACILITATOR)


def reminder_due_at(starts_at: datetime.datetime, when: str) -> datetime.datetime:
    """The moment a reminder `when` ("2d", "3h", "morning") of a meeting starting at `starts_at` is due."""
    if when == "morning":
        local = timezone.localtime(starts_at)
        day = local.date() if local.time() >= EARLY_START else local.date() - timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day, MORNING))
    amount, unit = int(when[:-1]), when[-1]
    return starts_at - (timedelta(days=amount) if unit == "d" else timedelta(hours=amount))


def reminder_now(starts_at: datetime.datetime, times, now: datetime.datetime) -> str | None:
    """Which of `times` to send now for a meeting starting at `starts_at`: the latest that has
    come, if it came within LATE_LIMIT; else None."""
    due = [(reminder_due_at(starts_at, when), when) for when in times]
    due = [(at, when) for at, when in due if at <= now < starts_at]
    if not due:
        return None
    at, when = max(due)
    return when if now - at <= LATE_LIMIT else None


def _day_words(meeting: Meeting) -> str:
    """The meeting's day in the active language, e.g. "Monday 5 January"."""
    return date_format(timezone.localtime(meeting.starts_at), "l j E")


def _when_words(meeting: Meeting) -> str:
    """The meeting's day and time in the active language, e.g. "Monday 5 January at 10:00"."""
    local = timezone.localtime(meeting.starts_at)
    # Translators: a meeting's day and start time, e.g. "Monday 5 January at 10:00".
    return _("%(day)s at %(time)s") % {"day": _day_words(meeting), "time": date_format(local, "H:i")}


def _body(template: str, recipient: Recipient, **context) -> str:
    return render_to_string(template, {"recipient": recipient, "channel": recipient.channel,
                                       "organisation": Organisation.current(), **context}).strip()


def _link(name: str, *args) -> str:
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{reverse(name, args=args)}"


def _register_recipients(lines: list[Attendance]) -> list[tuple[Attendance, Recipient, tuple[str, ...]]]:
    """Each register line with how to reach the person and when they want reminders."""
    reach = partner_recipients(line.partner for line in lines if line.partner_id)
    found = []
    for line in lines:
        if line.partner_id:
            found.append((line, reach[line.partner_id], reminder_times(line.partner)))
        else:
            found.append((line, recipient_for_user(line.user), usual_reminder_times()))
    return found


def _person_key(line: Attendance) -> str:
    return f"p{line.partner_id}" if line.partner_id else f"u{line.user_id}"


def meeting_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the people coming to (or not yet answering about) meetings soon. Answers how
    many reminders were saved; running it again at once saves none."""
    now = now or timezone.now()
    lines = list(
        Attendance.objects.filter(
            meeting__status=Meeting.Status.SCHEDULED, meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + HORIZON,
            status__in=[Attendance.Status.INVITED, Attendance.Status.CONFIRMED],
        ).select_related("meeting", "meeting__panel", "partner", "partner__user", "user").order_by("pk")
    )
    calendars: dict[tuple[int, str], notify.Attachment] = {}
    sent = 0
    for line, recipient, times in _register_recipients(lines):
        meeting = line.meeting
        when = reminder_now(meeting.starts_at, times, now)
        if when is None or not recipient.reachable:
            continue
        link = _link("panels:my_meeting" if line.partner_id else "panels:meeting_detail", meeting.pk)
        # In the recipient's language, whoever (or whichever task) started the run.
        with in_language(recipient.language):
            calendar_file = _calendar_file(meeting, calendars)
            words = _when_words(meeting)
            title = welsh_version(meeting, "title").text
            subject = _("Reminder: %(title)s, %(when)s") % {"title": title, "when": words}
            body = _body("panels/notices/meeting_reminder.txt", recipient, meeting=meeting, line=line,
                         when=words, link=link)
        notice = notice_send(
            recipient=recipient, kind="meeting_reminder", subject=subject, body=body,
            key=f"meeting-reminder:{meeting.pk}:{_person_key(line)}:{when}:{meeting.starts_at:%Y%m%d%H%M}",
            topic=f"meeting:{meeting.pk}",
            attachments=[calendar_file] if recipient.channel == Notice.Channel.EMAIL else (),
        )
        sent += notice is not None
    return sent


def _calendar_file(meeting: Meeting, made: dict, *, host: str = "coprod.invalid") -> notify.Attachment:
    """The meeting's calendar file in the active language, made once per meeting and language
    (`made` keeps those made so far)."""
    language = translation.get_language()
    if (meeting.pk, language) not in made:
        ics = meeting_calendar(meeting, sequence=meeting.history.count(), host=host)
        made[meeting.pk, language] = notify.Attachment(f"meeting-{meeting.pk}.ics", ics, "text/calendar")
    return made[meeting.pk, language]


def meeting_chasers_send(*, now: datetime.datetime | None = None) -> int:
    """Ask again the partners who were invited to a meeting still to come MEETING_CHASE_AFTER_DAYS
    ago or more and have not said whether they can come. Once per meeting and partner."""
    days = settings.MEETING_CHASE_AFTER_DAYS
    if days <= 0:
        return 0
    now = now or timezone.now()
    lines = list(
        Attendance.objects.filter(
            meeting__status=Meeting.Status.SCHEDULED, meeting__starts_at__gt=now, partner__isnull=False,
            status=Attendance.Status.INVITED, updated_at__lte=now - timedelta(days=days),
        ).select_related("meeting", "meeting__panel", "partner", "partner__user").order_by("pk")
    )
    sent = 0
    for line, recipient, _times in _register_recipients(lines):
        meeting = line.meeting
        with in_language(recipient.language):
            words = _when_words(meeting)
            title = welsh_version(meeting, "title").text
            subject = _("Can you come? %(title)s, %(when)s") % {"title": title, "when": words}
            body = _body("panels/notices/meeting_chaser.txt", recipient, meeting=meeting, when=words,
                         link=_link("panels:my_meeting", meeting.pk))
        notice = notice_send(
            recipient=recipient, kind="meeting_chaser", subject=subject, body=body,
            key=f"meeting-chaser:{meeting.pk}:{_person_key(line)}", topic=f"meeting:{meeting.pk}",
        )
        sent += notice is not None
    return sent


# --- Telling the panel's staff lead ---------------------------------------------------------


def panel_leads(panel: Panel) -> list:
    """The staff to tell about a panel: its current staff chair, co-chair or facilitator;
    failing those, its other current staff members; failing those, whoever created it."""
    staff = [membership for membership in panel.memberships.current().filter(
        user__isnull=False, user__is_active=True).select_related("user")]
    leads = [membership.user for membership in staff if membership.role in LEAD_ROLES]
    if leads or staff:
        return leads or [membership.user for membership in staff]
    creator = panel.created_by
    return [creator] if creator is not None and creator.is_active and creator.is_staff_member else []


Text = str | Callable[[], str]


def _in(language: str, text: Text) -> str:
    """`text` in `language`: a callable is called (so it renders) inside that language."""
    if not callable(text):
        return text
    with in_language(language):
        return text()


def leads_tell(*, staff: list, kind: str, subject: Text, body: Text, topic: str = "", about=None) -> int:
    """Tell each of `staff` (on their channel: e-mail for staff) about the partner `about`.
    `subject` and `body` may be callables answering the text: each is then called in each staff
    member's own language. Answers how many were told."""
    told = 0
    for user in staff:
        recipient = recipient_for_user(user)
        told += notice_send(recipient=recipient, kind=kind, subject=_in(recipient.language, subject),
                            body=_in(recipient.language, body), topic=topic, about=about) is not None
    return told


def attendance_declined_tell_lead(*, attendance: Attendance) -> int:
    """A partner said they cannot come: their panel's staff lead is told."""
    meeting = attendance.meeting
    who = attendance.partner.display_name if attendance.partner_id else str(attendance.user)
    organisation = Organisation.current()

    def body() -> str:
        return render_to_string("panels/notices/declined_to_lead.txt", {
            "who": who, "meeting": meeting, "when": _when_words(meeting),
            "link": _link("panels:meeting_detail", meeting.pk), "organisation": organisation,
        }).strip()

    def subject() -> str:
        return _("%(who)s cannot come to %(title)s, %(when)s") % {
            "who": who, "title": meeting.title, "when": _when_words(meeting)}

    return leads_tell(staff=panel_leads(meeting.panel), kind="meeting_declined", subject=subject, body=body,
                      topic=f"meeting:{meeting.pk}", about=attendance.partner)


# --- News of what staff did: a meeting scheduled, changed or cancelled, a proposal sent to
# its panel, a point answered. Each is queued once the change is saved. ---

MEETING_SUBJECTS = {
    "scheduled": gettext_lazy("New meeting: %(title)s, %(when)s"),
    "changed": gettext_lazy("Meeting changed: %(title)s, %(when)s"),
    "cancelled": gettext_lazy("Meeting cancelled: %(title)s, %(when)s"),
}


def _url(base_url: str, path: str) -> str:
    """A link to `path` for an e-mail: none when the change was made without a `base_url`."""
    return f"{base_url.rstrip('/')}{path}" if base_url else ""


def _staff_address(user) -> tuple[str, str] | None:
    """A staff member's name and e-mail address, if they are active and have one."""
    return (user.get_short_name(), user.email) if user.is_active and user.email else None


@transaction.atomic
def meeting_notice_send(*, meeting_id: int, change: str, base_url: str = "") -> int:
    """E-mail the people on a meeting's register that it was scheduled, changed or
    cancelled. Partners only when they have an e-mail address and their consent to be
    contacted is in force; staff always. Each gets their own e-mail (nobody sees who
    else was invited), with the calendar file attached. Answers how many were queued."""
    if change not in MEETING_SUBJECTS:
        raise ValueError(f"Unknown meeting change: {change}")
    meeting = Meeting.objects.select_related("panel").get(pk=meeting_id)
    lines = list(meeting.attendance.select_related("partner", "user"))
    partners = [line.partner for line in lines if line.partner_id]
    reach = partner_recipients(partners)
    recipients, other_channels = [], []
    for line in lines:
        if line.partner_id:
            partner = line.partner
            # Partners who chose texts, letters or a phone call hear the same news their way.
            recipient = reach[partner.pk]
            if recipient.channel == Notice.Channel.EMAIL:
                if recipient.reachable:
                    recipients.append((partner.display_name, recipient.email, partner, None,
                                       recipient.language))
            elif recipient.reachable:
                other_channels.append(recipient)
        elif staff := _staff_address(line.user):
            recipients.append((*staff, None, line.user, line.user.language))
    if not recipients and not other_channels:
        return 0
    organisation = Organisation.current()
    host = urlsplit(base_url).hostname or "coprod.invalid"
    calendars: dict[tuple[int, str], notify.Attachment] = {}

    def meeting_subject() -> str:
        return MEETING_SUBJECTS[change] % {"title": meeting.title, "when": _day_words(meeting)}

    queued = 0
    for name, email, partner, user, language in recipients:
        is_partner = partner is not None
        path = reverse("panels:my_meeting" if is_partner else "panels:meeting_detail", args=[meeting.pk])
        with in_language(language):
            subject = meeting_subject()
            calendar_file = _calendar_file(meeting, calendars, host=host)
            body = render_to_string("panels/email/meeting_notice.txt", {
                "name": name, "meeting": meeting, "change": change, "organisation": organisation,
                "is_partner": is_partner, "url": _url(base_url, path),
            })
        queued += notify.email_queue(
            kind=f"meeting_{change}", to=[email], subject=f"{organisation.name}: {subject}", body=body,
            attachments=[calendar_file], partner=partner, user=user,
        ) is not None
    for recipient in other_channels:
        with in_language(recipient.language):
            subject = meeting_subject()
            body = render_to_string("panels/notices/meeting_change.txt", {
                "recipient": recipient, "channel": recipient.channel, "meeting": meeting, "change": change,
                "organisation": organisation, "when": _when_words(meeting),
            }).strip()
        queued += notice_send(recipient=recipient, kind=f"meeting_{change}", subject=subject, body=body,
                              topic=f"meeting:{meeting.pk}") is not None
    return queued


@transaction.atomic
def proposal_notify_panel(*, proposal_id: int, base_url: str = "") -> int:
    """E-mail the current members of the proposal's panel that it is waiting for their
    points: staff members always, partners only with an e-mail address and consent to
    contact in force. Answers how many e-mails were queued."""
    proposal = Proposal.objects.select_related("panel", "owner").get(pk=proposal_id)
    members = Membership.objects.current().filter(panel=proposal.panel).select_related("partner", "user")
    addresses = contact_addresses(membership.partner for membership in members if membership.partner_id)
    organisation = Organisation.current()
    queued = 0
    for membership in members:
        partner, user = membership.partner, membership.user
        if partner is not None:
            if partner.pk not in addresses:
                continue
            name, address, language = partner.display_name, addresses[partner.pk], partner.language
        elif staff := _staff_address(user):
            (name, address), language = staff, user.language
        else:
            continue
        is_partner = partner is not None
        path = reverse("panels:my_point_add" if is_partner else "panels:proposal_detail", args=[proposal.pk])
        context = {"name": name, "proposal": proposal, "organisation": organisation, "is_partner": is_partner,
                   "url": _url(base_url, path)}
        with in_language(language):
            subject = _("%(organisation)s: a proposal for %(panel)s to look at") % {
                "organisation": organisation.name, "panel": proposal.panel}
            body = render_to_string("panels/email/proposal_with_panel.txt", context)
        queued += notify.email_queue(
            kind="proposal_with_panel", to=[address], partner=partner, user=user, subject=subject, body=body,
        ) is not None
    return queued


@transaction.atomic
def feedback_response_notify(*, response_id: int, first_answer: bool = True, base_url: str = "") -> bool:
    """Tell the partner who made a point what we did about it, in plain English, if they
    have an e-mail address and consent to contact is in force. Answers whether it was queued."""
    answer = (FeedbackResponse.objects.select_related("point__raised_by", "point__proposal")
              .get(pk=response_id))
    partner = answer.point.raised_by
    if contact_address(partner) is None:
        return False
    organisation = Organisation.current()
    context = {"partner": partner, "answer": answer, "point": answer.point, "organisation": organisation,
               "first_answer": first_answer, "url": _url(base_url, reverse("panels:my_feedback"))}
    with in_language(partner.language):
        subject = _("%(organisation)s: you said, we did") % {"organisation": organisation.name}
        body = render_to_string("panels/email/you_said_we_did.txt", context)
    return email_partner(partner, kind="you_said_we_did", subject=subject, body=body) is not None
