"""Writes for panels, meetings and what panels do. Each function is one step: it
validates before saving, records who did it (`by`, also named in the history),
and raises ValidationError with a message people can act on. Each feature keeps
its own block below."""

import datetime
import logging
import os
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename

from coprod.models import Organisation
from coprod.roles import is_staff_member, partner_for

from .models import Attendance, Meeting, MeetingPaper, Membership, Panel

logger = logging.getLogger(__name__)


# --- Panels, memberships, meetings, papers and attendance ---

PANEL_FIELDS = ("name", "kind", "purpose", "terms_of_reference", "area", "service", "starts_on", "ends_on",
                "status")
MEETING_FIELDS = ("title", "starts_at", "ends_at", "format", "venue", "access_information", "online_joining",
                  "agenda", "minutes")
# A change to any of these tells the members: it changes when or where they go.
NOTIFIED_MEETING_FIELDS = ("starts_at", "ends_at", "format", "venue", "online_joining")


def _require_staff(by) -> None:
    if not is_staff_member(by):
        raise PermissionDenied("Only staff can change panels and meetings.")


def _unknown(data: dict, allowed: tuple) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"Not a field that can be set here: {', '.join(sorted(unknown))}")


def _clean_panel(data: dict, *, panel: Panel | None) -> dict:
    data = {name: value.strip() if isinstance(value, str) else value for name, value in data.items()}
    merged = {name: getattr(panel, name) for name in PANEL_FIELDS} if panel else {}
    merged.update(data)
    errors = {}
    if not merged.get("name"):
        errors["name"] = "Give the panel a name."
    if merged.get("kind") not in Panel.Kind.values:
        errors["kind"] = "Choose what kind of panel it is."
    if not merged.get("purpose"):
        errors["purpose"] = "Say in a sentence or two why the panel exists."
    if merged.get("status", Panel.Status.ACTIVE) not in Panel.Status.values:
        errors["status"] = "Choose whether the panel is planned, running or closed."
    starts_on, ends_on = merged.get("starts_on"), merged.get("ends_on")
    if not starts_on:
        errors["starts_on"] = "Enter the date the panel starts."
    elif ends_on and ends_on < starts_on:
        errors["ends_on"] = "The end date must be on or after the start date."
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def panel_create(*, data: dict, by) -> Panel:
    """Set up a panel. `data` holds PANEL_FIELDS (status defaults to running)."""
    _require_staff(by)
    _unknown(data, PANEL_FIELDS)
    data = _clean_panel(data, panel=None)
    panel = Panel(created_by=by, **data)
    panel._history_user = by
    panel.save()
    logger.info("panel %s created by %s", panel.pk, by.pk)
    return panel


@transaction.atomic
def panel_update(*, panel: Panel, data: dict, by) -> list[str]:
    """Change a panel's details; answers the names of the fields that changed."""
    _require_staff(by)
    _unknown(data, PANEL_FIELDS)
    data = _clean_panel(data, panel=panel)
    changed = [name for name, value in data.items() if getattr(panel, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(panel, name, data[name])
    panel._history_user = by
    panel.save(update_fields=changed)
    return changed


@transaction.atomic
def panel_close_expired(*, on: datetime.date | None = None, by=None) -> list[Panel]:
    """Close every time-limited panel whose end date has passed (run daily by Celery
    beat: `panels.tasks.close_expired_panels`). Answers the panels closed."""
    on = on or timezone.localdate()
    closed = []
    for panel in Panel.objects.past_end_date(on).select_for_update():
        panel.status = Panel.Status.CLOSED
        panel._history_user = by
        panel.save(update_fields=["status"])
        closed.append(panel)
    if closed:
        logger.info("closed %d panel(s) past their end date: %s", len(closed),
                    ", ".join(str(panel.pk) for panel in closed))
    return closed


@transaction.atomic
def membership_add(*, panel: Panel, partner=None, user=None, role: str = Membership.Role.MEMBER,
                   joined_on: datetime.date | None = None, by) -> Membership:
    """Put a partner or a staff member on a panel. They join the register of the
    panel's meetings still to come."""
    _require_staff(by)
    joined_on = joined_on or timezone.localdate()
    if (partner is None) == (user is None):
        raise ValidationError("Choose either a partner or a staff member, not both.")
    if panel.status == Panel.Status.CLOSED:
        raise ValidationError("This panel is closed: reopen it before adding members.")
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Choose their role on the panel."})
    if user is not None and not is_staff_member(user):
        raise ValidationError({"user": f"{user} is not a member of staff. Add partners as partners."})
    if partner is not None and partner.is_erased:
        raise ValidationError({"partner": "This partner's details were erased; they cannot join a panel."})
    if panel.ends_on and joined_on > panel.ends_on:
        raise ValidationError({"joined_on": f"The panel ends on {panel.ends_on:%d %B %Y}: "
                                            "choose a date before then."})
    person = {"partner": partner} if partner is not None else {"user": user}
    existing = Membership.objects.filter(panel=panel, left_on__isnull=True, **person).first()
    if existing is not None:
        raise ValidationError(f"{partner or user} is already on this panel "
                              f"({existing.get_role_display().lower()} since {existing.joined_on:%d %B %Y}).")
    membership = Membership(panel=panel, role=role, joined_on=joined_on, **person)
    membership._history_user = by
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:  # added at the same moment by someone else
        raise ValidationError(f"{partner or user} is already on this panel.") from None
    now = timezone.now()
    upcoming = (panel.meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gte=now)
                .exclude(attendance__in=Attendance.objects.filter(**person)))
    for meeting in upcoming:
        if timezone.localdate(meeting.starts_at) >= joined_on:
            _attendance_create(meeting=meeting, by=by, **person)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, left_on: datetime.date | None = None, by) -> Membership:
    """Record that someone left a panel. Their invitations to its meetings after that
    day are withdrawn; what they attended stays on the record."""
    _require_staff(by)
    left_on = left_on or timezone.localdate()
    if membership.left_on is not None:
        raise ValidationError(f"{membership.person} already left this panel "
                              f"on {membership.left_on:%d %B %Y}.")
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": f"They joined on {membership.joined_on:%d %B %Y}: "
                                          "the leaving date cannot be before that."})
    membership.left_on = left_on
    membership._history_user = by
    membership.save(update_fields=["left_on"])
    person = {"partner": membership.partner} if membership.partner_id else {"user": membership.user}
    day_after = left_on + datetime.timedelta(days=1)
    after = timezone.make_aware(datetime.datetime.combine(day_after, datetime.time()))
    for line in Attendance.objects.filter(
        meeting__panel=membership.panel, meeting__starts_at__gte=max(after, timezone.now()),
        status__in=[Attendance.Status.INVITED, Attendance.Status.CONFIRMED], **person,
    ):
        line._history_user = by
        line.delete()
    return membership


def _attendance_create(*, meeting: Meeting, by, partner=None, user=None) -> Attendance:
    line = Attendance(meeting=meeting, partner=partner, user=user, updated_by=by)
    line._history_user = by
    line.save()
    return line


def _clean_meeting(data: dict, *, meeting: Meeting | None) -> dict:
    data = {name: value.strip() if isinstance(value, str) else value for name, value in data.items()}
    merged = {name: getattr(meeting, name) for name in MEETING_FIELDS} if meeting else {}
    merged.update(data)
    errors = {}
    if not merged.get("title"):
        errors["title"] = "Give the meeting a title, for example “Review of the housing leaflet”."
    starts_at, ends_at = merged.get("starts_at"), merged.get("ends_at")
    if not starts_at:
        errors["starts_at"] = "Enter when the meeting starts."
    if not ends_at:
        errors["ends_at"] = "Enter when the meeting ends."
    elif starts_at and ends_at <= starts_at:
        errors["ends_at"] = "The meeting must end after it starts."
    elif starts_at and ends_at - starts_at > datetime.timedelta(hours=12):
        errors["ends_at"] = ("A meeting can last at most 12 hours. "
                             "Schedule a longer event as several meetings.")
    meeting_format = merged.get("format", Meeting.Format.IN_PERSON)
    if meeting_format not in Meeting.Format.values:
        errors["format"] = "Choose in person, online or hybrid."
    elif meeting_format != Meeting.Format.ONLINE and not merged.get("venue"):
        errors["venue"] = "Give the address and room, so people know where to go."
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def meeting_schedule(*, panel: Panel, data: dict, by, base_url: str = "") -> Meeting:
    """Schedule a meeting of a panel. Every current member goes on the register as
    invited, and is told by e-mail once the meeting is saved (`base_url`, such as
    "https://coprod.example.org", puts a link to the meeting in the e-mail)."""
    _require_staff(by)
    _unknown(data, MEETING_FIELDS)
    if panel.status == Panel.Status.CLOSED:
        raise ValidationError("This panel is closed: reopen it before scheduling a meeting.")
    data = _clean_meeting(data, meeting=None)
    if data["starts_at"] < timezone.now() - datetime.timedelta(days=366):
        raise ValidationError({"starts_at": "That is more than a year ago. Check the date."})
    meeting = Meeting(panel=panel, created_by=by, **data)
    meeting._history_user = by
    meeting.save()
    on_day = timezone.localdate(meeting.starts_at)
    for membership in panel.memberships.current(on=on_day).select_related("partner", "user"):
        _attendance_create(meeting=meeting, partner=membership.partner, user=membership.user, by=by)
    if meeting.starts_at >= timezone.now():
        _queue_notice(meeting, "scheduled", base_url)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: dict, by, base_url: str = "") -> list[str]:
    """Change a meeting (minutes included). When the time, place or format of a meeting
    still to come changes, the people on its register are told by e-mail."""
    _require_staff(by)
    _unknown(data, MEETING_FIELDS)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled; it can no longer be changed.")
    data = _clean_meeting(data, meeting=meeting)
    changed = [name for name, value in data.items() if getattr(meeting, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(meeting, name, data[name])
    meeting._history_user = by
    meeting.save(update_fields=changed)
    if meeting.ends_at >= timezone.now() and set(changed) & set(NOTIFIED_MEETING_FIELDS):
        _queue_notice(meeting, "changed", base_url)
    return changed


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by, base_url: str = "") -> Meeting:
    """Call a meeting off. The people on its register are told by e-mail."""
    _require_staff(by)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting is already cancelled.")
    if meeting.starts_at <= timezone.now():
        raise ValidationError("This meeting has already started, so it cannot be cancelled. "
                              "Record who came in the register instead.")
    meeting.status = Meeting.Status.CANCELLED
    meeting._history_user = by
    meeting.save(update_fields=["status"])
    _queue_notice(meeting, "cancelled", base_url)
    return meeting


def _queue_notice(meeting: Meeting, change: str, base_url: str) -> None:
    from .tasks import send_meeting_notice

    transaction.on_commit(lambda: send_meeting_notice.delay(meeting.pk, change, base_url))


NOTICE_SUBJECTS = {
    "scheduled": "New meeting: {title}, {when}",
    "changed": "Meeting changed: {title}, {when}",
    "cancelled": "Meeting cancelled: {title}, {when}",
}


def meeting_notice_send(*, meeting_id: int, change: str, base_url: str = "") -> int:
    """E-mail the people on a meeting's register that it was scheduled, changed or
    cancelled. Partners only when they have an e-mail address and their consent to be
    contacted is in force; staff always. Each gets their own e-mail (nobody sees who
    else was invited), with the calendar file attached. Answers how many were sent."""
    from participants.models import Partner

    from .calendar import meeting_calendar

    if change not in NOTICE_SUBJECTS:
        raise ValueError(f"Unknown meeting change: {change}")
    meeting = Meeting.objects.select_related("panel").get(pk=meeting_id)
    lines = list(meeting.attendance.select_related("partner", "user"))
    consenting = set(
        Partner.objects.filter(pk__in=[line.partner_id for line in lines if line.partner_id])
        .consenting_to("contact").values_list("pk", flat=True)
    )
    recipients = []
    for line in lines:
        if line.partner_id:
            partner = line.partner
            if partner.email and not partner.is_erased and partner.pk in consenting:
                recipients.append((partner.display_name, partner.email, True))
        elif line.user.is_active and line.user.email:
            recipients.append((line.user.get_short_name(), line.user.email, False))
    if not recipients:
        return 0
    organisation = Organisation.current()
    when = timezone.localtime(meeting.starts_at)
    subject = NOTICE_SUBJECTS[change].format(title=meeting.title, when=f"{when:%A} {when.day} {when:%B}")
    base_url = base_url.rstrip("/")
    ics = meeting_calendar(meeting, sequence=meeting.history.count(), host=_host(base_url))
    messages = []
    for name, email, is_partner in recipients:
        path = reverse("panels:my_meeting" if is_partner else "panels:meeting_detail", args=[meeting.pk])
        body = render_to_string("panels/email/meeting_notice.txt", {
            "name": name, "meeting": meeting, "change": change, "organisation": organisation,
            "is_partner": is_partner, "url": f"{base_url}{path}" if base_url else "",
        })
        message = EmailMessage(subject=f"{organisation.name}: {subject}", body=body, to=[email])
        message.attach(f"meeting-{meeting.pk}.ics", ics, "text/calendar")
        messages.append(message)
    return get_connection().send_messages(messages) or 0


def _host(base_url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(base_url).hostname or "coprod.invalid"


# Papers: what may be uploaded. Each type is checked by its extension and by its first bytes.
PAPER_MAX_BYTES = 10 * 1024 * 1024
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
PAPER_TYPES = {
    ".pdf": (b"%PDF-",),
    ".docx": _ZIP,
    ".doc": _OLE,
    ".odt": _ZIP,
    ".rtf": (b"{\\rtf",),
    ".txt": None,  # any UTF-8 text
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
PAPER_TYPES_TEXT = ("PDF, Word (.docx, .doc), OpenDocument (.odt), rich text (.rtf), plain text (.txt) "
                    "or an image (.png, .jpg, .gif, .webp)")


def paper_filename(name: str) -> str:
    """A safe file name from an uploaded one: no folders, only letters, digits, dots,
    dashes and underscores, at most 80 characters, extension kept in lower case."""
    name = PurePath(name.replace("\\", "/")).name
    stem, extension = os.path.splitext(name)
    stem = get_valid_filename(stem.strip() or "paper").strip("._-")[:70] or "paper"
    return f"{stem}{extension.lower()}"


def _check_paper_file(file: UploadedFile) -> str:
    filename = paper_filename(file.name or "")
    extension = os.path.splitext(filename)[1]
    if extension not in PAPER_TYPES:
        raise ValidationError({"file": f"This type of file cannot be shared. Upload a {PAPER_TYPES_TEXT}."})
    if file.size is None or file.size == 0:
        raise ValidationError({"file": "The file is empty."})
    if file.size > PAPER_MAX_BYTES:
        raise ValidationError({"file": f"The file is {file.size / 1024 / 1024:.1f} MB; "
                                       "papers can be at most 10 MB."})
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    signatures = PAPER_TYPES[extension]
    if signatures is None:
        # A plain text file: text in UTF-8 (cut at an arbitrary byte, so allow a partial character).
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            ok = error.start >= len(head) - 3
        else:
            ok = True
        ok = ok and b"\x00" not in head
    else:
        ok = head.startswith(signatures)
        if extension == ".webp":
            ok = ok and head[8:12] == b"WEBP"
    if not ok:
        raise ValidationError({"file": f"This file does not look like a real {extension[1:].upper()} file. "
                                       "Save it again and upload the new copy."})
    return filename


@transaction.atomic
def paper_add(*, meeting: Meeting, title: str, file: UploadedFile, by) -> MeetingPaper:
    """Share a paper with a meeting's members. Stored privately; only members and staff
    can download it."""
    _require_staff(by)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled; papers can no longer be added.")
    filename = _check_paper_file(file)
    title = (title or "").strip() or os.path.splitext(filename)[0].replace("_", " ")
    limit = MeetingPaper._meta.get_field("title").max_length
    if len(title) > limit:
        raise ValidationError({"title": f"Keep the title to {limit} characters or fewer."})
    paper = MeetingPaper(meeting=meeting, title=title, uploaded_by=by)
    paper.file.save(filename, file, save=False)
    try:
        paper.save()
    except Exception:
        paper.file.delete(save=False)
        raise
    return paper


@transaction.atomic
def paper_remove(*, paper: MeetingPaper, by) -> None:
    """Take a paper away from a meeting, and delete its file once that is saved."""
    _require_staff(by)
    storage, name = paper.file.storage, paper.file.name
    paper.delete()
    logger.info("paper %s (%s) removed by %s", paper.title, name, by.pk)
    transaction.on_commit(lambda: storage.delete(name))


# What staff may record on a register line, and when.
AFTER_THE_START = {Attendance.Status.ATTENDED, Attendance.Status.NO_SHOW}


def _clean_hours(hours, *, who: str) -> Decimal | None:
    if hours is None:
        return None
    if not isinstance(hours, Decimal):
        raise ValidationError(f"{who}: enter the hours as a number, for example 2.5.")
    if hours < 0 or hours > 24:
        raise ValidationError(f"{who}: hours must be between 0 and 24.")
    return hours.quantize(Decimal("0.01"))


def _attendance_apply(attendance: Attendance, *, status: str, hours, by) -> bool:
    meeting = attendance.meeting
    who = str(attendance.partner or attendance.user)
    if status not in Attendance.Status.values:
        raise ValidationError(f"{who}: choose what happened.")
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled; its register can no longer be changed.")
    if status in AFTER_THE_START and meeting.starts_at > timezone.now():
        raise ValidationError(f"{who}: you can record who came once the meeting has started.")
    hours = _clean_hours(hours, who=who)
    if status == Attendance.Status.ATTENDED:
        if hours is None:
            hours = meeting.duration_hours
    elif hours:
        raise ValidationError(f"{who}: hours are only recorded for people who attended. "
                              "Clear the hours or mark them as attended.")
    else:
        hours = None
    if attendance.status == status and attendance.hours == hours:
        return False
    attendance.status, attendance.hours = status, hours
    attendance.updated_at, attendance.updated_by = timezone.now(), by
    attendance._history_user = by
    attendance.save(update_fields=["status", "hours", "updated_at", "updated_by"])
    return True


@transaction.atomic
def attendance_set(*, attendance: Attendance, status: str, hours: Decimal | None = None, by) -> bool:
    """Staff record one line of a register. Hours default to the meeting's length when
    someone is marked as attended. Answers whether anything changed."""
    _require_staff(by)
    return _attendance_apply(attendance, status=status, hours=hours, by=by)


@transaction.atomic
def attendance_record_register(*, meeting: Meeting, lines: list[tuple[Attendance, str, Decimal | None]],
                               by) -> int:
    """Staff record a meeting's whole register at once: (line, status, hours) for each
    person. Nothing is saved unless every line is valid. Answers how many changed."""
    _require_staff(by)
    errors, changed = [], 0
    for attendance, status, hours in lines:
        if attendance.meeting_id != meeting.pk:
            raise ValueError("A register line of another meeting")
        attendance.meeting = meeting
        try:
            changed += _attendance_apply(attendance, status=status, hours=hours, by=by)
        except ValidationError as error:
            errors += error.messages
    if errors:
        raise ValidationError(errors)  # leaving the atomic block undoes the lines already saved
    return changed


@transaction.atomic
def attendance_respond(*, attendance: Attendance, confirm: bool, by) -> Attendance:
    """A partner says whether they are coming to a meeting they were invited to."""
    partner = partner_for(by)
    if partner is None or attendance.partner_id != partner.pk:
        raise PermissionDenied("You can only answer your own invitations.")
    meeting = attendance.meeting
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled, so there is nothing to answer.")
    if meeting.starts_at <= timezone.now():
        raise ValidationError("This meeting has already started. If you could not come, please tell "
                              "the staff team.")
    if attendance.status not in (Attendance.Status.INVITED, Attendance.Status.CONFIRMED,
                                 Attendance.Status.DECLINED):
        raise ValidationError("Your answer is already recorded by the staff team.")
    status = Attendance.Status.CONFIRMED if confirm else Attendance.Status.DECLINED
    if attendance.status != status:
        attendance.status, attendance.updated_at, attendance.updated_by = status, timezone.now(), by
        attendance._history_user = by
        attendance.save(update_fields=["status", "updated_at", "updated_by"])
    return attendance
