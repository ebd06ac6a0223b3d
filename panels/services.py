"""Writes for panels, meetings and what panels do. Each function is one step: it
validates before saving, records who did it (`by`, also named in the history),
and raises ValidationError with a message people can act on. Each feature keeps
its own block below."""

import datetime
import logging
import os
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.formats import number_format
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from coprod import bounds
from coprod import uploads
from coprod.changes import model_create
from coprod.changes import model_delete
from coprod.changes import model_save
from coprod.changes import model_update
from coprod.models import Ladder
from coprod.models import Organisation
from coprod.models import Rung
from coprod.models import Service
from coprod.roles import is_staff_member
from coprod.roles import partner_for
from participants.models import Partner

from . import reminders
from .models import Attendance
from .models import Decision
from .models import FeedbackPoint
from .models import FeedbackResponse
from .models import Meeting
from .models import MeetingPaper
from .models import Membership
from .models import Panel
from .models import Proposal
from .models import RecruitmentRound
from .models import RecruitmentStage
from .models import StaffTime
from .models import StageParticipant
from .rules import ANSWERABLE
from .rules import may_add_points
from .rules import require_staff

logger = logging.getLogger(__name__)


# --- Panels, memberships, meetings, papers and attendance ---

PANEL_FIELDS = ("name", "kind", "purpose", "purpose_cy", "terms_of_reference", "area", "service", "starts_on",
                "ends_on", "status")
MEETING_FIELDS = ("title", "title_cy", "starts_at", "ends_at", "format", "venue", "access_information",
                  "access_information_cy", "online_joining", "agenda", "minutes")
# A change to any of these tells the members: it changes when or where they go.
NOTIFIED_MEETING_FIELDS = ("starts_at", "ends_at", "format", "venue", "online_joining")


def _unknown(data: dict, allowed: tuple) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"Not a field that can be set here: {', '.join(sorted(unknown))}")


def _reason(reason: str, field, *, missing: str) -> str:
    """The reason given for a record (why a meeting did not take place, why a decision is
    archived): needed, and it must fit `field`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": missing})
    if len(reason) > field.max_length:
        raise ValidationError({"reason": _("Keep the reason to %(limit)s characters or fewer.") % {
            "limit": field.max_length}})
    return reason


def _merge_checked(data: dict, *, instance, model, fields: tuple, title: str, missing: str,
                   errors: dict) -> tuple[dict, dict]:
    """The start of checking a panel's or a meeting's details: `data` with its text checked,
    and `data` over the record's saved values (`fields`), whose `title` field must be
    given (`missing` says so) and fit its column. Problems go into `errors`."""
    data = {name: bounds.check_text(name, value, errors=errors) if isinstance(value, str) else value
            for name, value in data.items()}
    merged = {name: getattr(instance, name) for name in fields} if instance else {}
    merged.update(data)
    limit = model._meta.get_field(title).max_length
    if not merged.get(title) and title not in errors:
        errors[title] = missing
    elif len(merged.get(title) or "") > limit:
        errors[title] = _("Keep the %(field)s to %(limit)s characters or fewer.") % {
            "field": model._meta.get_field(title).verbose_name, "limit": limit}
    if len(merged.get(f"{title}_cy") or "") > limit:
        errors[f"{title}_cy"] = _("Keep the Welsh version to %(limit)s characters or fewer.") % {
            "limit": limit}
    return data, merged


def _clean_panel(data: dict, *, panel: Panel | None) -> dict:
    errors = {}
    data, merged = _merge_checked(data, instance=panel, model=Panel, fields=PANEL_FIELDS, title="name",
                                  missing=_("Give the panel a name."), errors=errors)
    if merged.get("kind") not in Panel.Kind.values:
        errors["kind"] = _("Choose what kind of panel it is.")
    if not merged.get("purpose"):
        errors["purpose"] = _("Say in a sentence or two why the panel exists.")
    if merged.get("status", Panel.Status.ACTIVE) not in Panel.Status.values:
        errors["status"] = _("Choose whether the panel is planned, running or closed.")
    starts_on, ends_on = merged.get("starts_on"), merged.get("ends_on")
    if not starts_on:
        errors["starts_on"] = _("Enter the date the panel starts.")
    else:
        # Checked when given, so a panel's other details can change whatever its dates.
        if "starts_on" in data:
            bounds.PANEL_STARTS.check("starts_on", starts_on, errors)
        if "ends_on" in data:
            bounds.PANEL_ENDS.check("ends_on", ends_on, errors)
        if ends_on and "starts_on" not in errors and "ends_on" not in errors and ends_on < starts_on:
            errors["ends_on"] = _("The end date must be on or after the start date.")
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def panel_create(*, data: dict, by) -> Panel:
    """Set up a panel. `data` holds PANEL_FIELDS (status defaults to running)."""
    require_staff(by)
    _unknown(data, PANEL_FIELDS)
    data = _clean_panel(data, panel=None)
    panel = model_create(Panel, by=by, created_by=by, **data)
    logger.info("panel %s created by %s", panel.pk, by.pk)
    return panel


@transaction.atomic
def panel_update(*, panel: Panel, data: dict, by) -> list[str]:
    """Change a panel's details; answers the names of the fields that changed."""
    require_staff(by)
    _unknown(data, PANEL_FIELDS)
    data = _clean_panel(data, panel=panel)
    return model_update(instance=panel, data=data, by=by)


@transaction.atomic
def panel_close_expired(*, on: datetime.date | None = None, by=None) -> list[Panel]:
    """Close every time-limited panel whose end date has passed (run daily by Celery
    beat: `panels.tasks.close_expired_panels`). Answers the panels closed."""
    on = on or timezone.localdate()
    closed = []
    for panel in Panel.objects.past_end_date(on).select_for_update():
        model_update(instance=panel, data={"status": Panel.Status.CLOSED}, by=by)
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
    require_staff(by)
    joined_on = joined_on or timezone.localdate()
    bounds.MEMBERSHIP_JOINED.check("joined_on", joined_on)
    if (partner is None) == (user is None):
        raise ValidationError(_("Choose either a partner or a staff member, not both."))
    if panel.status == Panel.Status.CLOSED:
        raise ValidationError(_("This panel is closed: reopen it before adding members."))
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose their role on the panel.")})
    if user is not None and not is_staff_member(user):
        raise ValidationError({"user": _("%(user)s is not a member of staff. Add partners as partners.") % {
            "user": user}})
    if partner is not None and partner.is_erased:
        raise ValidationError({"partner": _("This partner's details were erased; they cannot join a panel.")})
    if panel.ends_on and joined_on > panel.ends_on:
        raise ValidationError({"joined_on": _("The panel ends on %(day)s: choose a date before then.") % {
            "day": date_format(panel.ends_on, "d F Y")}})
    person = {"partner": partner} if partner is not None else {"user": user}
    existing = Membership.objects.filter(panel=panel, left_on__isnull=True, **person).first()
    if existing is not None:
        raise ValidationError(_("%(person)s is already on this panel (%(role)s since %(day)s).") % {
            "person": partner or user, "role": existing.get_role_display().lower(),
            "day": date_format(existing.joined_on, "d F Y")})
    membership = Membership(panel=panel, role=role, joined_on=joined_on, **person)
    membership._history_user = by
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:  # added at the same moment by someone else
        raise ValidationError(_("%(person)s is already on this panel.") % {
            "person": partner or user}) from None
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
    require_staff(by)
    left_on = left_on or timezone.localdate()
    bounds.MEMBERSHIP_LEFT.check("left_on", left_on)
    if membership.left_on is not None:
        raise ValidationError(_("%(person)s already left this panel on %(day)s.") % {
            "person": membership.person, "day": date_format(membership.left_on, "d F Y")})
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("They joined on %(day)s: the leaving date cannot be before "
                                            "that.") % {"day": date_format(membership.joined_on, "d F Y")}})
    model_update(instance=membership, data={"left_on": left_on}, by=by)
    person = {"partner": membership.partner} if membership.partner_id else {"user": membership.user}
    day_after = left_on + datetime.timedelta(days=1)
    after = timezone.make_aware(datetime.datetime.combine(day_after, datetime.time()))
    for line in Attendance.objects.filter(
        meeting__panel=membership.panel, meeting__starts_at__gte=max(after, timezone.now()),
        status__in=[Attendance.Status.INVITED, Attendance.Status.CONFIRMED], **person,
    ):
        model_delete(line, by=by)
    return membership


def _attendance_create(*, meeting: Meeting, by, partner=None, user=None) -> Attendance:
    line = model_create(Attendance, by=by, meeting=meeting, partner=partner, user=user, updated_by=by)
    return line


def _clean_meeting(data: dict, *, meeting: Meeting | None) -> dict:
    errors = {}
    data, merged = _merge_checked(
        data, instance=meeting, model=Meeting, fields=MEETING_FIELDS, title="title",
        missing=_("Give the meeting a title, for example “Review of the housing leaflet”."), errors=errors)
    starts_at, ends_at = merged.get("starts_at"), merged.get("ends_at")
    if not starts_at:
        errors["starts_at"] = _("Enter when the meeting starts.")
    elif meeting is None or timezone.localdate(starts_at) != timezone.localdate(meeting.starts_at):
        # A meeting keeps its date when other details (its times, say) change, however long ago it was.
        bounds.MEETING.check("starts_at", timezone.localdate(starts_at), errors)
    if not ends_at:
        errors["ends_at"] = _("Enter when the meeting ends.")
    elif starts_at and ends_at <= starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    elif starts_at and ends_at - starts_at > datetime.timedelta(hours=12):
        errors["ends_at"] = _("A meeting can last at most 12 hours. "
                              "Schedule a longer event as several meetings.")
    meeting_format = merged.get("format", Meeting.Format.IN_PERSON)
    if meeting_format not in Meeting.Format.values:
        errors["format"] = _("Choose in person, online or hybrid.")
    elif meeting_format != Meeting.Format.ONLINE and not merged.get("venue"):
        errors["venue"] = _("Give the address and room, so people know where to go.")
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def meeting_schedule(*, panel: Panel, data: dict, by, base_url: str = "") -> Meeting:
    """Schedule a meeting of a panel. Every current member goes on the register as
    invited, and is told by e-mail once the meeting is saved (`base_url`, such as
    "https://coprod.example.org", puts a link to the meeting in the e-mail)."""
    require_staff(by)
    _unknown(data, MEETING_FIELDS)
    if panel.status == Panel.Status.CLOSED:
        raise ValidationError(_("This panel is closed: reopen it before scheduling a meeting."))
    data = _clean_meeting(data, meeting=None)
    meeting = model_create(Meeting, by=by, panel=panel, created_by=by, **data)
    on_day = timezone.localdate(meeting.starts_at)
    for membership in panel.memberships.current(on=on_day).select_related("partner", "user"):
        _attendance_create(meeting=meeting, partner=membership.partner, user=membership.user, by=by)
    if meeting.starts_at >= timezone.now():
        reminders.meeting_notice_send(meeting_id=meeting.pk, change="scheduled", base_url=base_url)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: dict, by, base_url: str = "") -> list[str]:
    """Change a meeting (minutes included). When the time, place or format of a meeting
    still to come changes, the people on its register are told by e-mail."""
    require_staff(by)
    _unknown(data, MEETING_FIELDS)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled; it can no longer be changed."))
    data = _clean_meeting(data, meeting=meeting)
    changed = model_update(instance=meeting, data=data, by=by)
    if meeting.ends_at >= timezone.now() and set(changed) & set(NOTIFIED_MEETING_FIELDS):
        reminders.meeting_notice_send(meeting_id=meeting.pk, change="changed", base_url=base_url)
    return changed


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by, base_url: str = "") -> Meeting:
    """Call a meeting off. The people on its register are told by e-mail."""
    require_staff(by)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is already cancelled."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has already started, so it cannot be cancelled. "
                              "Record who came in the register instead."))
    model_update(instance=meeting, data={"status": Meeting.Status.CANCELLED, "cancelled_at": timezone.now(),
                                         "cancelled_by": by}, by=by)
    reminders.meeting_notice_send(meeting_id=meeting.pk, change="cancelled", base_url=base_url)
    return meeting


@transaction.atomic
def meeting_record_not_held(*, meeting: Meeting, reason: str, by) -> Meeting:
    """Record that a meeting whose time has come did not take place (a meeting is never
    deleted). It becomes cancelled, with who recorded it, when and why, and stops counting
    as held; nobody is e-mailed. Refused when the register shows someone attended (a fee
    can only be claimed for a meeting the register shows they attended): correct it first."""
    require_staff(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is already recorded as cancelled."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("This meeting has not started yet: cancel it instead, so the people invited "
                              "are told."))
    reason = _reason(reason, Meeting._meta.get_field("cancel_reason"),
                     missing=_("Say why the meeting did not take place, for the record."))
    attended = meeting.attendance.filter(status=Attendance.Status.ATTENDED).count()
    if attended:
        raise ValidationError(ngettext(
            "The register shows %(count)s person attended, so the meeting took place. If the register is "
            "wrong, correct it first.",
            "The register shows %(count)s people attended, so the meeting took place. If the register is "
            "wrong, correct it first.", attended) % {"count": attended})
    model_update(instance=meeting, data={"status": Meeting.Status.CANCELLED, "cancelled_at": timezone.now(),
                                         "cancelled_by": by, "cancel_reason": reason},
                 by=by, reason="Did not take place")
    return meeting


# Papers: what may be uploaded. Each is checked by its content against coprod.uploads.FILE_TYPES.
PAPER_MAX_BYTES = 10 * 1024 * 1024
PAPER_TYPES = (".pdf", ".docx", ".doc", ".odt", ".rtf", ".txt", ".png", ".jpg", ".jpeg", ".gif", ".webp")
PAPER_TYPES_TEXT = gettext_lazy("PDF, Word (.docx, .doc), OpenDocument (.odt), rich text (.rtf), plain text "
                                "(.txt) or an image (.png, .jpg, .gif, .webp)")


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
        raise ValidationError({"file": _("This type of file cannot be shared. Upload a %(types)s.") % {
            "types": PAPER_TYPES_TEXT}})
    if file.size is None or file.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if file.size > PAPER_MAX_BYTES:
        raise ValidationError({"file": _("The file is %(size)s MB; papers can be at most 10 MB.") % {
            "size": number_format(file.size / 1024 / 1024, 1)}})
    if not uploads.content_matches(file, extension):
        raise ValidationError({"file": _("This file does not look like a real %(kind)s file. Save it again "
                                         "and upload the new copy.") % {"kind": extension[1:].upper()}})
    return filename


@transaction.atomic
def paper_add(*, meeting: Meeting, title: str, file: UploadedFile, by) -> MeetingPaper:
    """Share a paper with a meeting's members. Stored privately; only members and staff
    can download it."""
    require_staff(by)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled; papers can no longer be added."))
    filename = _check_paper_file(file)
    title = (title or "").strip() or os.path.splitext(filename)[0].replace("_", " ")
    limit = MeetingPaper._meta.get_field("title").max_length
    if len(title) > limit:
        raise ValidationError({"title": _("Keep the title to %(limit)s characters or fewer.") % {
            "limit": limit}})
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
    require_staff(by)
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
        raise ValidationError(_("%(who)s: enter the hours as a number, for example 2.5.") % {"who": who})
    if hours < 0 or hours > 24:
        raise ValidationError(_("%(who)s: hours must be between 0 and 24.") % {"who": who})
    return hours.quantize(Decimal("0.01"))


def _attendance_apply(attendance: Attendance, *, status: str, hours, by) -> bool:
    meeting = attendance.meeting
    who = str(attendance.partner or attendance.user)
    if status not in Attendance.Status.values:
        raise ValidationError(_("%(who)s: choose what happened.") % {"who": who})
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled; its register can no longer be changed."))
    if status in AFTER_THE_START and meeting.starts_at > timezone.now():
        raise ValidationError(_("%(who)s: you can record who came once the meeting has started.") % {
            "who": who})
    hours = _clean_hours(hours, who=who)
    if status == Attendance.Status.ATTENDED:
        if hours is None:
            hours = meeting.duration_hours
    elif hours:
        raise ValidationError(_("%(who)s: hours are only recorded for people who attended. "
                                "Clear the hours or "
                                "mark them as attended.") % {"who": who})
    else:
        hours = None
    if attendance.status == status and attendance.hours == hours:
        return False
    model_update(instance=attendance, data={"status": status, "hours": hours, "updated_at": timezone.now(),
                                            "updated_by": by}, by=by)
    return True


@transaction.atomic
def attendance_set(*, attendance: Attendance, status: str, hours: Decimal | None = None, by) -> bool:
    """Staff record one line of a register. Hours default to the meeting's length when
    someone is marked as attended. Answers whether anything changed."""
    require_staff(by)
    return _attendance_apply(attendance, status=status, hours=hours, by=by)


@transaction.atomic
def attendance_record_register(*, meeting: Meeting, lines: list[tuple[Attendance, str, Decimal | None]],
                               by) -> int:
    """Staff record a meeting's whole register at once: (line, status, hours) for each
    person. Nothing is saved unless every line is valid. Answers how many changed."""
    require_staff(by)
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
        raise PermissionDenied(_("You can only answer your own invitations."))
    meeting = attendance.meeting
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled, so there is nothing to answer."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has already started. If you could not come, please tell "
                              "the staff team."))
    if attendance.status not in ANSWERABLE:
        raise ValidationError(_("Your answer is already recorded by the staff team."))
    status = Attendance.Status.CONFIRMED if confirm else Attendance.Status.DECLINED
    if attendance.status != status:
        model_update(instance=attendance, by=by,
                     data={"status": status, "updated_at": timezone.now(), "updated_by": by})
        if status == Attendance.Status.DECLINED:
            reminders.attendance_declined_tell_lead(attendance=attendance)
    return attendance


# --- Proposals for challenge: "you said, we did" ---------------------------------------------

def _proposal_values(*, title: str, summary: str, panel: Panel, owner,
                     response_deadline: datetime.date | None, document=None,
                     proposal: Proposal | None = None) -> dict:
    """A proposal's details, checked, as the values to save. Its panel can change only while
    it is a draft; a new deadline cannot be in the past."""
    panel_changed = proposal is None or panel.pk != proposal.panel_id
    if panel_changed and proposal is not None and proposal.status != Proposal.Status.DRAFT:
        raise ValidationError({"panel": _("The proposal has already gone to its panel, so the panel "
                                        "cannot change.")})
    deadline_changed = proposal is None or response_deadline != proposal.response_deadline
    errors = {}
    title = bounds.check_text("title", title, max_length=Proposal._meta.get_field("title").max_length,
                              errors=errors)
    summary = bounds.check_text("summary", summary, errors=errors)
    if not title.strip() and "title" not in errors:
        errors["title"] = _("Give the proposal a title.")
    if not summary.strip() and "summary" not in errors:
        errors["summary"] = _("Say in a few sentences what the proposal is, so the panel knows what to "
                                "look at.")
    if panel_changed and panel.kind != Panel.Kind.CHALLENGE:
        errors["panel"] = _("Proposals go to a challenge panel. Choose one, or change the panel's "
                              "kind first.")
    elif panel_changed and panel.status == Panel.Status.CLOSED:
        errors["panel"] = _("%(panel)s has closed. Choose a panel that is meeting.") % {"panel": panel}
    if not is_staff_member(owner):
        errors["owner"] = _("The owner must be a staff member: they answer for the response.")
    if response_deadline is None:
        errors["response_deadline"] = _("Give the date by which every point will get an answer.")
    elif deadline_changed:
        bounds.RESPONSE_DEADLINE.check("response_deadline", response_deadline, errors)
    if document:
        # The same rules as meeting papers: type checked by extension and first bytes, 10 MB at most.
        try:
            _check_paper_file(document)
        except ValidationError as error:
            errors["document"] = error.message_dict["file"]
    if errors:
        raise ValidationError(errors)
    return {"title": title.strip(), "summary": summary.strip(), "panel": panel, "owner": owner,
            "response_deadline": response_deadline}


@transaction.atomic
def proposal_create(*, document=None, by, **details) -> Proposal:
    """A draft proposal for a challenge panel (`details`: title, summary, panel, owner and
    response_deadline). It stays with staff until it is sent."""
    require_staff(by, _("Only staff can change proposals and decisions."))
    proposal = model_create(Proposal, by=by, created_by=by, **_proposal_values(**details, document=document))
    if document:
        # Saved once the proposal has its id, so the file sits in the proposal's own folder.
        proposal.document.save(paper_filename(document.name or ""), document, save=False)
        proposal.save(update_fields=["document"])
    return proposal


@transaction.atomic
def proposal_update(*, proposal: Proposal, document=None, by, **details) -> Proposal:
    """Change a proposal (`details` as for `proposal_create`). `document=None` keeps the
    current document."""
    require_staff(by, _("Only staff can change proposals and decisions."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    values = _proposal_values(**details, document=document, proposal=proposal)
    for name, value in values.items():
        setattr(proposal, name, value)
    if document:
        proposal.document.save(paper_filename(document.name or ""), document, save=False)
    model_save(proposal, by=by, update_fields=[*values, *(["document"] if document else [])])
    return proposal


@transaction.atomic
def proposal_send_to_panel(*, proposal: Proposal, by, base_url: str = "") -> Proposal:
    """Put a draft to its challenge panel: members can now read it and add points.
    Members are e-mailed once the change is saved (partners only with consent to contact)."""
    require_staff(by, _("Only staff can change proposals and decisions."))
    proposal = Proposal.objects.select_for_update().select_related("panel").get(pk=proposal.pk)
    if proposal.status != Proposal.Status.DRAFT:
        raise ValidationError(_("“%(proposal)s” has already been sent to %(panel)s.") % {
            "proposal": proposal, "panel": proposal.panel})
    if proposal.panel.status == Panel.Status.CLOSED:
        raise ValidationError(_("%(panel)s has closed. Choose another challenge panel first.") % {
            "panel": proposal.panel})
    model_update(instance=proposal, data={"status": Proposal.Status.WITH_PANEL}, by=by)
    reminders.proposal_notify_panel(proposal_id=proposal.pk, base_url=base_url)
    return proposal


@transaction.atomic
def feedback_point_add(*, proposal: Proposal, text: str, raised_by: Partner | None = None,
                       by) -> FeedbackPoint:
    """Record one of the panel's points ("you said"). Staff record points for the panel
    (naming the partner who made it, if one did). A partner adds their own points, and
    only to proposals that are with a panel they belong to now. A new point on a proposal
    whose points were all answered puts it back with the panel."""
    proposal = Proposal.objects.select_for_update().select_related("panel").get(pk=proposal.pk)
    text = bounds.check_text("text", text, max_length=4000)
    if not text:
        raise ValidationError({"text": _("Write the point before saving it.")})
    if is_staff_member(by):
        if proposal.status == Proposal.Status.DRAFT:
            raise ValidationError(_("Send the proposal to the panel before recording its points."))
        if raised_by is not None and not may_add_points(proposal=proposal, partner=raised_by):
            raise ValidationError({"raised_by": _("%(person)s is not a member of %(panel)s now.") % {
                "person": raised_by, "panel": proposal.panel}})
    else:
        own = partner_for(by)
        if own is None or (raised_by is not None and raised_by.pk != own.pk):
            raise PermissionDenied(_("A partner can only add their own points."))
        raised_by = own
        if not may_add_points(proposal=proposal, partner=own):
            raise PermissionDenied(_("Only members of the panel can add points to this proposal."))
        if proposal.status != Proposal.Status.WITH_PANEL:
            raise ValidationError(_("The panel has finished looking at this proposal, so new points "
                                  "cannot be added. You can still tell your link worker."))
    point = model_create(
        FeedbackPoint, by=by, proposal=proposal, text=text, raised_by=raised_by, recorded_by=by)
    if proposal.status == Proposal.Status.RESPONDED:
        model_update(instance=proposal, data={"status": Proposal.Status.WITH_PANEL}, by=by)
    return point


REASON_NEEDED = {FeedbackResponse.Outcome.DECLINED, FeedbackResponse.Outcome.PARTLY}


@transaction.atomic
def feedback_respond(*, point: FeedbackPoint, outcome: str, response: str, reason: str = "",
                     due_on: datetime.date | None = None, by, base_url: str = "") -> FeedbackResponse:
    """The organisation's answer to one point ("we did"), or a change to it. A declined or
    partly accepted point needs a reason. When every point of the proposal has an answer
    the proposal is "responded". The partner who made the point is told by e-mail if they
    agreed to be contacted."""
    if not is_staff_member(by):
        raise PermissionDenied(_("Only staff answer the panel's points."))
    point = FeedbackPoint.objects.select_related("proposal").get(pk=point.pk)
    proposal = Proposal.objects.select_for_update().get(pk=point.proposal_id)
    errors = {}
    response = bounds.check_text("response", response, errors=errors)
    reason = bounds.check_text("reason", reason, errors=errors)
    bounds.CHANGE_DUE.check("due_on", due_on, errors)
    if outcome not in FeedbackResponse.Outcome.values:
        errors["outcome"] = _("Choose whether the point was accepted, partly accepted or declined.")
    if not response.strip() and "response" not in errors:
        errors["response"] = _("Say what we did, or will do, about this point.")
    if outcome in REASON_NEEDED and not reason.strip():
        label = FeedbackResponse.Outcome(outcome).label.lower()
        errors["reason"] = _("Give the reason the point was %(outcome)s: the panel is owed an "
                             "explanation.") % {
            "outcome": label}
    if errors:
        raise ValidationError(errors)
    if proposal.status == Proposal.Status.DRAFT:
        raise ValidationError(_("This proposal has not been sent to the panel yet."))
    answer = FeedbackResponse.objects.filter(point=point).first()
    created = answer is None
    if created:
        answer = FeedbackResponse(point=point)
    answer.outcome, answer.response, answer.reason = outcome, response.strip(), reason.strip()
    answer.due_on, answer.responded_by, answer.responded_at = due_on, by, timezone.now()
    model_save(answer, by=by)
    if proposal.status == Proposal.Status.WITH_PANEL and not proposal.points.unanswered().exists():
        model_update(instance=proposal, data={"status": Proposal.Status.RESPONDED}, by=by)
    if point.raised_by_id:
        reminders.feedback_response_notify(response_id=answer.pk, first_answer=created, base_url=base_url)
    return answer


# --- Decision log ----------------------------------------------------------------------------


def _decision_values(*, title: str, decided_on: datetime.date | None, decided_by: str, description: str = "",
                     service: Service | None = None, rung: Rung | None = None,
                     shaped_by_panel: Panel | None = None, shaped_by_proposal: Proposal | None = None,
                     how_shaped: str = "", implementation: str = Decision.Implementation.PLANNED,
                     is_public: bool = False, decision: Decision | None = None) -> dict:
    """A decision's details, checked, as the values to save. A newly chosen rung must be on
    the current ladder (a rung of an older ladder may stay on a logged `decision`); the panel
    that shaped it is taken from the proposal when only the proposal is given."""
    errors = {}
    for name, text, limit in (("title", title, Decision._meta.get_field("title").max_length),
                              ("description", description, None), ("how_shaped", how_shaped, None)):
        bounds.check_text(name, text, max_length=limit, errors=errors)
    if not title.strip() and "title" not in errors:
        errors["title"] = _("Give the decision a title.")
    if decided_on is None:
        errors["decided_on"] = _("Give the date the decision was made.")
    else:
        bounds.DECISION.check("decided_on", decided_on, errors)
    if decided_by not in Decision.DecidedBy.values:
        errors["decided_by"] = _("Choose who made the decision.")
    if implementation not in Decision.Implementation.values:
        errors["implementation"] = _("Choose how far the decision has been carried out.")
    rung_changed = decision is None or (rung.pk if rung else None) != decision.rung_id
    if rung is not None and rung_changed:
        current = Ladder.current()
        if current is None or rung.ladder_id != current.pk:
            errors["rung"] = (_("Choose a rung of the current ladder (%(ladder)s).") % {"ladder": current}
                              if current else
                              _("There is no current ladder: choose one on the ladder pages first."))
    if shaped_by_proposal is not None:
        if shaped_by_panel is None:
            shaped_by_panel = shaped_by_proposal.panel
        elif shaped_by_panel.pk != shaped_by_proposal.panel_id:
            errors["shaped_by_panel"] = _("“%(proposal)s” went to %(panel)s, not %(chosen)s.") % {
                "proposal": shaped_by_proposal, "panel": shaped_by_proposal.panel, "chosen": shaped_by_panel}
    if (shaped_by_panel or shaped_by_proposal) and not how_shaped.strip():
        errors["how_shaped"] = _("Say how the panel or proposal shaped the decision: this is what makes "
                                 "it visible.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title.strip(), "description": description.strip(), "decided_on": decided_on,
        "decided_by": decided_by, "service": service, "rung": rung, "shaped_by_panel": shaped_by_panel,
        "shaped_by_proposal": shaped_by_proposal, "how_shaped": how_shaped.strip(),
        "implementation": implementation, "is_public": is_public,
    }


@transaction.atomic
def decision_record(*, by, **details) -> Decision:
    """Log a significant decision, and how lived experience shaped it. `details` are its
    fields (see `_decision_values`: title, decided_on and decided_by are needed). The rung
    must be one of the current ladder's."""
    require_staff(by, _("Only staff can change proposals and decisions."))
    return model_create(Decision, by=by, recorded_by=by, **_decision_values(**details))


@transaction.atomic
def decision_update(*, decision: Decision, by, **details) -> list[str]:
    """Change a logged decision (its implementation status, usually); `details` as for
    `decision_record`. A rung of an older ladder may stay; a newly chosen rung must be on
    the current ladder. Answers the names of the fields that changed."""
    require_staff(by, _("Only staff can change proposals and decisions."))
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    return model_update(instance=decision, data=_decision_values(**details, decision=decision), by=by)


@transaction.atomic
def decision_archive(*, decision: Decision, reason: str, by) -> Decision:
    """Take a decision out of the log — logged by mistake or twice — without deleting it
    (decisions are never deleted). It leaves the log, the dashboard and reports, and keeps
    who archived it, when and why; `decision_restore` puts it back."""
    require_staff(by)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.is_archived:
        raise ValidationError(_("This decision was already archived on %(day)s.") % {
            "day": date_format(timezone.localtime(decision.archived_at), "d F Y")})
    reason = _reason(reason, Decision._meta.get_field("archive_reason"),
                     missing=_("Say why the decision is archived, for example “Logged twice: see the "
                               "decision of 3 May”."))
    model_update(instance=decision, by=by, reason="Archived",
                 data={"archived_at": timezone.now(), "archived_by": by, "archive_reason": reason})
    return decision


@transaction.atomic
def decision_restore(*, decision: Decision, by) -> Decision:
    """Put an archived decision back in the log. Its history keeps the archiving."""
    require_staff(by)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.is_archived:
        raise ValidationError(_("This decision is in the log already."))
    model_update(instance=decision, data={"archived_at": None, "archived_by": None, "archive_reason": ""},
                 by=by, reason="Put back in the log")
    return decision


# --- Protected staff time --------------------------------------------------------------------

MOST_HOURS_A_DAY = Decimal("24")


@transaction.atomic
def staff_time_log(*, panel: Panel, category: str, hours: Decimal, spent_on: datetime.date,
                   meeting: Meeting | None = None, note: str = "", user=None, by) -> StaffTime:
    """Log protected staff time on a panel (and, if given, one of its meetings). `user` is
    whose time it was: the person logging it unless they log it for a colleague."""
    user = user or by
    errors = {}
    if not is_staff_member(by) or not is_staff_member(user):
        raise PermissionDenied(_("Staff time is logged by and for staff members."))
    if category not in StaffTime.Category.values:
        errors["category"] = _("Choose what the time was spent on.")
    try:
        hours = Decimal(str(hours).strip()) if hours is not None else None
    except ArithmeticError:
        hours = None
    if hours is None or not hours.is_finite() or hours <= 0:
        errors["hours"] = _("Enter the hours spent as a number more than 0, for example 1.5.")
    elif hours > MOST_HOURS_A_DAY:
        errors["hours"] = _("A day has at most 24 hours: log each day separately.")
    elif hours != hours.quantize(Decimal("0.01")):
        errors["hours"] = _("Enter hours to two decimal places at most (for example 1.5 or 0.25).")
    if spent_on is None:
        errors["spent_on"] = _("Enter the day the time was spent.")
    else:
        bounds.STAFF_TIME.check("spent_on", spent_on, errors)
    note = bounds.check_text("note", note, max_length=StaffTime._meta.get_field("note").max_length,
                             errors=errors)
    if meeting is not None and meeting.panel_id != panel.pk:
        errors["meeting"] = _("That meeting belongs to %(panel)s, not %(chosen)s.") % {
            "panel": meeting.panel, "chosen": panel}
    if errors:
        raise ValidationError(errors)
    entry = model_create(StaffTime, by=by, user=user, panel=panel, meeting=meeting, category=category,
                         spent_on=spent_on, hours=hours, note=note)
    return entry


# --- Recruitment rounds and the involvement rate ---------------------------------------------


def _round_values(*, post_title: str, opens_on: datetime.date | None, closes_on: datetime.date | None,
                  service: Service | None = None, notes: str = "") -> dict:
    """A recruitment round's details, checked, as the values to save."""
    errors = {}
    limit = RecruitmentRound._meta.get_field("post_title").max_length
    bounds.check_text("post_title", post_title, max_length=limit, errors=errors)
    if not post_title.strip() and "post_title" not in errors:
        errors["post_title"] = _("Give the title of the post being recruited to.")
    if opens_on is None:
        errors["opens_on"] = _("Give the date the round opened.")
    if closes_on is None:
        errors["closes_on"] = _("Give the date the appointment was made or the round ended.")
    bounds.ROUND_OPENS.check("opens_on", opens_on, errors)
    bounds.ROUND_CLOSES.check("closes_on", closes_on, errors)
    if opens_on and closes_on and not errors and closes_on < opens_on:
        errors["closes_on"] = _("The round cannot close before it opens.")
    if errors:
        raise ValidationError(errors)
    return {"post_title": post_title.strip(), "service": service, "notes": notes.strip(),
            "opens_on": opens_on, "closes_on": closes_on}


@transaction.atomic
def recruitment_round_create(*, stages: list[str] | tuple = (), by, **details) -> RecruitmentRound:
    """A recruitment round (`details`: post_title, opens_on, closes_on, service, notes), with
    the stages planned for it (shortlisting, interview...)."""
    require_staff(by, _("Only staff can change recruitment."))
    values = _round_values(**details)
    unknown = set(stages) - set(RecruitmentStage.Kind.values)
    if unknown:
        raise ValidationError({"stages": _("Choose stages from the list.")})
    round_ = model_create(RecruitmentRound, by=by, created_by=by, **values)
    for kind in RecruitmentStage.Kind.values:  # in the order they happen
        if kind in stages:
            model_create(RecruitmentStage, by=by, round=round_, kind=kind)
    return round_


@transaction.atomic
def recruitment_round_update(*, round_: RecruitmentRound, by, **details) -> RecruitmentRound:
    """Change a round's details (`details` as for `recruitment_round_create`, without stages)."""
    require_staff(by, _("Only staff can change recruitment."))
    values = _round_values(**details)
    round_ = RecruitmentRound.objects.select_for_update().get(pk=round_.pk)
    late = round_.stages.filter(held_on__gt=values["closes_on"]).first()
    if late is not None:
        held = date_format(late.held_on, "j F Y")
        raise ValidationError({"closes_on": _("The %(stage)s stage was held on %(day)s, after this closing "
                                              "date.") % {
            "stage": late.get_kind_display().lower(), "day": held}})
    model_update(instance=round_, data=values, by=by)
    return round_


@transaction.atomic
def stage_set(*, round_: RecruitmentRound, kind: str, held_on: datetime.date | None = None,
              cancelled: bool | None = None, by) -> RecruitmentStage:
    """Add a stage to a round, or change its date or whether it was cancelled (None keeps
    it as it is). People on a cancelled stage stay on record, but do not make the round
    involved."""
    require_staff(by, _("Only staff can change recruitment."))
    if kind not in RecruitmentStage.Kind.values:
        raise ValidationError({"kind": _("Choose a stage from the list.")})
    bounds.STAGE_HELD.check("held_on", held_on)
    if held_on is not None and held_on > round_.closes_on:
        closed = date_format(round_.closes_on, "j F Y")
        raise ValidationError({"held_on": _("The round closed on %(day)s; a stage cannot be held after it. "
                                            "Change the round's dates first.") % {"day": closed}})
    stage = RecruitmentStage.objects.select_for_update().filter(round=round_, kind=kind).first()
    if stage is None:
        stage = RecruitmentStage(round=round_, kind=kind)
    stage.held_on = held_on
    if cancelled is not None:
        stage.cancelled = cancelled
    model_save(stage, by=by)
    return stage


@transaction.atomic
def stage_participant_add(*, stage: RecruitmentStage, partner: Partner | None = None, user=None,
                          by) -> StageParticipant:
    """Record that a partner or a staff member took part in a stage."""
    require_staff(by, _("Only staff can change recruitment."))
    if (partner is None) == (user is None):
        raise ValidationError(_("Choose either a partner or a staff member."))
    stage = RecruitmentStage.objects.select_for_update().get(pk=stage.pk)
    if stage.cancelled:
        raise ValidationError(_("The %(stage)s stage was cancelled, so nobody can be added to it.") % {
            "stage": stage.get_kind_display().lower()})
    if partner is not None:
        if partner.is_erased:
            raise ValidationError({"partner": _("This partner's record was erased.")})
        if stage.participants.filter(partner=partner).exists():
            raise ValidationError({"partner": _("%(person)s is already recorded on this stage.") % {
                "person": partner}})
    else:
        if not is_staff_member(user):
            raise ValidationError({"user": _("%(person)s is not a staff member.") % {"person": user}})
        if stage.participants.filter(user=user).exists():
            raise ValidationError({"user": _("%(person)s is already recorded on this stage.") % {
                "person": user.get_full_name()}})
    participant = model_create(StageParticipant, by=by, stage=stage, partner=partner, user=user)
    return participant


@transaction.atomic
def stage_participant_remove(*, participant: StageParticipant, by) -> None:
    require_staff(by, _("Only staff can change recruitment."))
    model_delete(participant, by=by)


@transaction.atomic
def involvement_target_set(*, target: Decimal, by) -> Organisation:
    """Set the organisation's target for the share of recruitment rounds partners take part in."""
    require_staff(by, _("Only staff can change recruitment."))
    if target is None or not Decimal("0") <= target <= Decimal("100"):
        raise ValidationError({"target": _("Enter a target between 0 and 100 per cent.")})
    organisation = Organisation.current()
    model_update(instance=organisation, data={"recruitment_involvement_target": target}, by=by)
    return organisation
