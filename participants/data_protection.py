"""Data protection: everything held about a partner, and the hooks that erase it.

A data-subject export is the sum of sections. Each app that keeps data about a
partner registers an *exporter* in `coprod.registry.data_exporters`: a function `(partner) -> (title, data)`
where `data` is a dict (one record) or a list of dicts (many records) of plain
values (strings, numbers, booleans, None, dates, times and Decimals; lists and
dicts of those). Keys are snake_case; people read them through `readable_sections`.
An exporter runs a fixed number of queries however much it returns.

Erasure (`participants.services.partner_erase`) anonymises the partner record
itself, after `erase_own_records` has removed what this app and the core hold about
them (documents, e-mails, notices, invitations, consents, old versions); each app
that keeps free text or other personal data about a partner adds an *eraser* in
`coprod.registry.data_erasers`: a function `(partner, by) -> None` that anonymises its
own rows while keeping what must be retained (amounts, dates).
"""

import logging
from collections.abc import Iterable
from datetime import date
from datetime import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop

from coprod import registry
from coprod import reports
from coprod.models import Notice
from coprod.models import Organisation
from coprod.models import OutgoingEmail
from coprod.models import Report
from coprod.models import Service
from coprod.money import pounds

from .models import Consent
from .models import Invitation
from .models import Partner
from .models import StatusChange
from .models import TrainingRecord
from .rules import ERASE_PERMISSION

logger = logging.getLogger(__name__)

EXPORT_FORMAT = "coprod partner export"
EXPORT_VERSION = 1


def _name(user) -> str | None:
    return user.get_full_name() or user.email if user is not None else None


def _copy(record, *names: str) -> dict:
    """The named attributes of `record`, each exported under its own name."""
    return {name: getattr(record, name) for name in names}


def _withhold(data, keys: set[str]):
    """`data` without any dict entry named in `keys`, at any depth."""
    if isinstance(data, dict):
        return {key: _withhold(value, keys) for key, value in data.items() if key not in keys}
    if isinstance(data, list):
        return [_withhold(item, keys) for item in data]
    return data


def partner_export(partner: Partner, *, sensitive: bool = True) -> dict:
    """Everything held about `partner`, section by section.

    With `sensitive=False` the fields in `Partner.SENSITIVE_FIELDS` (access needs,
    lived experience, benefit flag...) are left out everywhere, for staff who may
    not see them; the export says so in `withheld`.
    """
    sections = {}
    for export in registry.data_exporters:
        title, data = export(partner)
        sections[title] = data
    withheld = [] if sensitive else list(Partner.SENSITIVE_FIELDS)
    if withheld:
        sections = _withhold(sections, set(withheld))
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now(),
        "partner_id": partner.pk,
        "withheld": withheld,
        "sections": sections,
    }


def run_erasers(partner: Partner, by) -> None:
    for erase in registry.data_erasers:
        erase(partner, by)


# --- Erasure: what goes with a partner's personal data ------------------------------------


def _delete_history(model, **filters) -> None:
    """Delete the saved versions of `model` rows matching `filters`, with their
    many-to-many versions (those point at the versions without a database constraint)."""
    history = model.history.model
    versions = history.objects.filter(**filters)
    for field in getattr(history, "_history_m2m_fields", []):
        m2m = apps.get_model(history._meta.app_label, f"{history.__name__}_{field.name}")
        m2m.objects.filter(history__in=versions.values("history_id")).delete()
    versions.delete()


def _only_theirs(user) -> bool:
    """Is this login only the partner's (not also a staff member's, trustee's or superuser's)?"""
    return not (user.is_staff_member or user.is_trustee or user.is_superuser)


def _erase_login(partner: Partner, by) -> None:
    """Close and anonymise the partner's login, unless it also serves another role
    (staff member, trustee, superuser): then it is only unlinked from the record."""
    user = partner.user
    if user is None:
        return
    if not _only_theirs(user):
        logger.info("partner %s erased: login %s kept for its other roles", partner.pk, user.pk)
        return
    user.email = f"erased-{partner.pk}@invalid"
    user.full_name = f"Erased partner {partner.pk}"
    user.is_active = False
    user.last_login = None
    user.set_unusable_password()
    user.save(update_fields=["email", "full_name", "is_active", "last_login", "password"])
    user.groups.clear()
    user.user_permissions.clear()
    EmailAddress.objects.filter(user=user).delete()
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(user),
                            object_id=str(user.pk)).delete()


def erase_own_records(partner: Partner, by) -> None:
    """What erasing a partner removes from this app and the core, once the other apps'
    erasers have run (`participants.services.partner_erase` then anonymises the record)."""
    # Certificates, statements and exports are personal documents: rows and files go.
    reports = Report.objects.filter(partner=partner)
    files = [name for name in reports.values_list("file", flat=True) if name]
    reports.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])

    # E-mails to or about them hold their name, address and what was said; unsent ones go too.
    emails = OutgoingEmail.objects.filter(partner=partner)
    if partner.email:
        emails |= OutgoingEmail.objects.filter(to__iexact=partner.email)
    # Reminders and notices by text, letter or phone hold their number, address and the message.
    notices = Notice.objects.filter(partner=partner)
    if partner.user is not None and _only_theirs(partner.user):
        emails |= OutgoingEmail.objects.filter(user=partner.user)
        notices |= Notice.objects.filter(user=partner.user)
    emails.delete()
    notices.delete()

    invitation_ids = list(Invitation.objects.filter(partner=partner).values_list("pk", flat=True))
    Invitation.objects.filter(pk__in=invitation_ids).delete()
    _delete_history(Invitation, id__in=invitation_ids)
    _delete_history(Invitation, partner_id=partner.pk)
    # With nothing personal left there is nothing to consent to; the erasure record
    # (who and when) takes the place of the consent records.
    Consent.objects.filter(partner=partner).delete()
    _delete_history(Consent, partner_id=partner.pk)
    # Training records stay (course and dates); their old versions go with the rest.
    _delete_history(TrainingRecord, partner_id=partner.pk)
    # Status changes stay as dates; their notes are free text that may say anything.
    StatusChange.objects.filter(partner=partner).exclude(note="").update(note="")

    _erase_login(partner, by)
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Partner),
                            object_id=str(partner.pk)).delete()

    partner.skip_history_when_saving = True
    try:
        partner.access_needs.clear()
        partner.lived_experience.clear()
    finally:
        del partner.skip_history_when_saving
    _delete_history(Partner, id=partner.pk)


def erasure_reviewers(partner: Partner) -> list[str]:
    """Who hears of a request to erase: staff allowed to erase, and the link worker;
    every active staff member if there is nobody else."""
    User = get_user_model()
    app_label, codename = ERASE_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    staff = User.objects.filter(is_active=True, is_staff_member=True).exclude(email="")
    allowed = staff.filter(Q(user_permissions__in=permission) | Q(groups__permissions__in=permission)
                           | Q(is_superuser=True))
    emails = set(allowed.values_list("email", flat=True))
    if partner.link_worker_id:
        emails |= set(staff.filter(pk=partner.link_worker_id).values_list("email", flat=True))
    return sorted(emails or staff.values_list("email", flat=True))


def erasure_reviewers_by_language(partner: Partner) -> dict[str, list[str]]:
    """`erasure_reviewers`, grouped by the language each chose on their login ("" for the
    default), so each hears of it in their own language."""
    emails = erasure_reviewers(partner)
    chosen = dict(get_user_model().objects.filter(email__in=emails).values_list("email", "language"))
    groups: dict[str, list[str]] = {}
    for email in emails:
        groups.setdefault(chosen.get(email, ""), []).append(email)
    return groups


# --- Exporters for the participants app --------------------------------------------------


def export_profile(partner: Partner) -> tuple[str, dict]:
    partner = (
        Partner.objects.select_related("service", "link_worker", "erased_by")
        .prefetch_related("access_needs", "lived_experience")
        .get(pk=partner.pk)
    )
    return gettext_noop("Profile"), {
        "id": partner.pk,
        **_copy(partner, "full_name", "preferred_name", "pronouns", "email", "phone", "address"),
        "preferred_contact": partner.get_preferred_contact_display(),
        "reminders": partner.get_reminders_display(),
        "access_needs": [need.name for need in partner.access_needs.all()],
        **_copy(partner, "interpreter_language", "access_notes"),
        "lived_experience": [area.name for area in partner.lived_experience.all()],
        **_copy(partner, "benefit_check", "strengths", "skills", "interests", "availability"),
        "status": partner.get_status_display(),
        "service": str(partner.service) if partner.service else None,
        "link_worker": _name(partner.link_worker),
        "payment_preference": partner.get_payment_preference_display(),
        "created": partner.created,
        "erased_at": partner.erased_at,
        "erased_by": _name(partner.erased_by),
    }


def export_status_history(partner: Partner) -> tuple[str, list[dict]]:
    changes = StatusChange.objects.filter(partner=partner).select_related("changed_by").order_by(
        "changed_at", "pk")
    return gettext_noop("Status history"), [
        {
            "changed_at": change.changed_at,
            "from_status": change.get_from_status_display() or None,
            "to_status": change.get_to_status_display(),
            "changed_by": _name(change.changed_by),
            "note": change.note,
        }
        for change in changes
    ]


def export_consents(partner: Partner) -> tuple[str, list[dict]]:
    consents = (
        Consent.objects.filter(partner=partner)
        .select_related("statement", "recorded_by", "withdrawn_by")
        .order_by("agreed_at", "pk")
    )
    return gettext_noop("Consents"), [
        {
            "topic": consent.statement.get_topic_display(),
            "version": consent.statement.version,
            "wording": consent.statement.wording,
            "wording_effective_from": consent.statement.effective_from,
            "agreed_at": consent.agreed_at,
            "recorded_by": _name(consent.recorded_by),
            "withdrawn_at": consent.withdrawn_at,
            "withdrawn_by": _name(consent.withdrawn_by),
            "in_force": consent.withdrawn_at is None,
        }
        for consent in consents
    ]


def export_training(partner: Partner) -> tuple[str, list[dict]]:
    records = TrainingRecord.objects.filter(partner=partner).select_related("course", "recorded_by").order_by(
        "completed_on", "pk")
    return gettext_noop("Training"), [
        {
            "course": record.course.name,
            **_copy(record, "completed_on", "expires_on"),
            "recorded_by": _name(record.recorded_by),
        }
        for record in records
    ]


def export_invitations(partner: Partner) -> tuple[str, list[dict]]:
    # The invitation token is a secret sign-in credential, so it is never exported.
    invitations = Invitation.objects.filter(partner=partner).select_related("created_by").order_by(
        "created_at", "pk")
    return gettext_noop("Invitations"), [
        {
            **_copy(invitation, "email", "full_name"),
            "role": invitation.get_role_display(),
            "created_at": invitation.created_at,
            "created_by": _name(invitation.created_by),
            "sent_at": invitation.sent_at,
            "times_sent": invitation.send_count,
            **_copy(invitation, "expires_at", "accepted_at", "revoked_at", "state"),
        }
        for invitation in invitations
    ]


def export_login(partner: Partner) -> tuple[str, dict]:
    user = get_user_model().objects.filter(partner=partner).first()
    if user is None:
        return gettext_noop("Login account"), {}
    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return gettext_noop("Login account"), {
        **_copy(user, "email", "full_name"),
        "active": user.is_active,
        **_copy(user, "date_joined", "last_login"),
        "staff_member": user.is_staff_member,
        "trustee": user.is_trustee,
        "email_addresses": [
            _copy(address, "email", "verified", "primary")
            for address in addresses
        ],
    }


def export_documents(partner: Partner) -> tuple[str, list[dict]]:
    reports = Report.objects.filter(partner=partner).select_related("requested_by").order_by(
        "requested_at", "pk")
    return gettext_noop("Personal documents"), [
        {
            "title": report.title,
            "kind": report.get_kind_display(),
            "requested_at": report.requested_at,
            "requested_by": _name(report.requested_by),
            "status": report.get_status_display(),
        }
        for report in reports
    ]


def export_emails(partner: Partner) -> tuple[str, list[dict]]:
    """E-mails to or about them (a sign-in code or personal link is removed once sent)."""
    return gettext_noop("E-mails"), [
        {
            "to": email.recipients,
            "subject": email.subject,
            "body": email.body,
            "status": email.get_status_display(),
            "saved_at": email.created_at,
            "sent_at": email.sent_at,
        }
        for email in OutgoingEmail.objects.filter(partner=partner).order_by("created_at", "pk")
    ]


def export_notices(partner: Partner) -> tuple[str, list[dict]]:
    """Reminders and notices by e-mail, text, letter or phone call, and how each went."""
    return gettext_noop("Reminders and notices"), [
        {
            "channel": notice.get_channel_display(),
            "to": notice.to,
            "subject": notice.subject,
            "body": notice.body,
            "status": notice.outcome,
            "saved_at": notice.created_at,
            "sent_at": notice.sent_at,
        }
        for notice in Notice.objects.filter(partner=partner).select_related("email")
        .order_by("created_at", "pk")
    ]


# The audit trail: every saved version of the partner record (django-simple-history),
# turned into "what changed", including the many-to-many lists.
_HISTORY_TYPES = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}
_HISTORY_SKIP = {"id"}


def _history_m2m_models() -> list[tuple[str, object, str, object]]:
    """(field name, historical m2m model, column naming the target, target model) per m2m field."""
    history = Partner.history.model
    found = []
    for field in history._history_m2m_fields:
        model = apps.get_model(history._meta.app_label, f"{history.__name__}_{field.name}")
        found.append((field.name, model, field.m2m_reverse_field_name(), field.related_model))
    return found


def _history_versions(partner_id: int) -> list[tuple[object, dict]]:
    """(historical row, {field: readable value}) for each saved version, oldest first."""
    User = get_user_model()
    rows = list(
        Partner.history.model.objects.filter(id=partner_id).select_related("history_user")
        .order_by("history_date", "history_id")
    )
    history_ids = [row.history_id for row in rows]
    m2m_values: dict[str, dict[int, list[str]]] = {}
    for name, model, target, related in _history_m2m_models():
        links = list(model.objects.filter(history_id__in=history_ids)
                     .values_list("history_id", f"{target}_id"))
        names = {pk: str(obj) for pk, obj in related.objects.in_bulk({pk for _, pk in links}).items()}
        per_version: dict[int, list[str]] = {}
        for history_id, target_id in links:
            per_version.setdefault(history_id, []).append(names.get(target_id, f"#{target_id}"))
        m2m_values[name] = per_version

    fields = [f for f in Partner._meta.concrete_fields if f.name not in _HISTORY_SKIP]
    user_fields = [f for f in fields if f.is_relation and f.related_model is User]
    user_ids = {getattr(row, f.attname) for row in rows for f in user_fields} - {None}
    users = User.objects.in_bulk(user_ids)
    services = Service.objects.in_bulk({row.service_id for row in rows} - {None})
    lookups = {"service": services, **{f.name: users for f in user_fields}}

    versions = []
    for row in rows:
        values: dict = {}
        for field in fields:
            raw = getattr(row, field.attname)
            if field.is_relation:
                related = lookups[field.name].get(raw) if raw is not None else None
                values[field.name] = _name(related) if field.related_model is User else (
                    str(related) if related else None)
            elif field.choices:
                values[field.name] = dict(field.flatchoices).get(raw, raw)
            else:
                values[field.name] = raw
        for name, per_version in m2m_values.items():
            values[name] = sorted(per_version.get(row.history_id, []))
        versions.append((row, values))
    return versions


def export_record_history(partner: Partner) -> tuple[str, list[dict]]:
    entries = []
    previous: dict = {}
    for row, values in _history_versions(partner.pk):
        if row.history_type == "+" or not previous:
            # A creation, or the oldest version kept (after an erasure): what it held.
            changes = {key: {"from": None, "to": value} for key, value in values.items()
                       if value not in (None, "", [], False)}
        else:
            changes = {key: {"from": previous.get(key), "to": value} for key, value in values.items()
                       if previous.get(key) != value}
        entries.append({
            "when": row.history_date,
            "what": _HISTORY_TYPES.get(row.history_type, row.history_type),
            "by": _name(row.history_user),
            "reason": row.history_change_reason or "",
            "changes": changes,
        })
        previous = values
    return gettext_noop("Changes to the record"), entries


# --- Reading an export -------------------------------------------------------------------

LABELS = {
    "id": gettext_lazy("Reference number"),
    "email": gettext_lazy("E-mail address"),
    "email_addresses": gettext_lazy("E-mail addresses"),
    "benefit_check": gettext_lazy("Payments checked against benefit rules"),
    "access_notes": gettext_lazy("Other access needs"),
    "lived_experience": gettext_lazy("Areas of lived experience"),
    "preferred_contact": gettext_lazy("Preferred way to contact"),
    "reminders": gettext_lazy("Meeting reminders"),
    "erased_at": gettext_lazy("Personal data erased"),
    "erased_by": gettext_lazy("Erased by"),
    "link_worker": gettext_lazy("Link worker"),
    "from_status": gettext_lazy("From"),
    "to_status": gettext_lazy("To"),
    "when": gettext_lazy("When"),
    "what": gettext_lazy("What happened"),
    "by": gettext_lazy("Who"),
    "created": gettext_lazy("Record created"),
    # The other details of a partner's record and of this app's sections.
    "full_name": gettext_lazy("Full name"),
    "preferred_name": gettext_lazy("Preferred name"),
    "pronouns": gettext_lazy("Pronouns"),
    "phone": gettext_lazy("Phone"),
    "address": gettext_lazy("Address"),
    "access_needs": gettext_lazy("Access needs"),
    "interpreter_language": gettext_lazy("Interpreter language"),
    "language": gettext_lazy("Language"),
    "strengths": gettext_lazy("Strengths"),
    "skills": gettext_lazy("Skills"),
    "interests": gettext_lazy("Interests"),
    "availability": gettext_lazy("Availability"),
    "status": gettext_lazy("Status"),
    "service": gettext_lazy("Service"),
    "payment_preference": gettext_lazy("Payment preference"),
    "user": gettext_lazy("Login"),
    "changed_at": gettext_lazy("Changed at"),
    "changed_by": gettext_lazy("Changed by"),
    "note": gettext_lazy("Note"),
    "topic": gettext_lazy("Topic"),
    "version": gettext_lazy("Version"),
    "wording": gettext_lazy("Wording"),
    "wording_effective_from": gettext_lazy("Wording effective from"),
    "agreed_at": gettext_lazy("Agreed at"),
    "recorded_by": gettext_lazy("Recorded by"),
    "withdrawn_at": gettext_lazy("Withdrawn at"),
    "withdrawn_by": gettext_lazy("Withdrawn by"),
    "in_force": gettext_lazy("In force"),
    "course": gettext_lazy("Course"),
    "completed_on": gettext_lazy("Completed on"),
    "expires_on": gettext_lazy("Expires on"),
    "role": gettext_lazy("Role"),
    "created_at": gettext_lazy("Created at"),
    "created_by": gettext_lazy("Created by"),
    "sent_at": gettext_lazy("Sent at"),
    "times_sent": gettext_lazy("Times sent"),
    "expires_at": gettext_lazy("Expires at"),
    "accepted_at": gettext_lazy("Accepted at"),
    "revoked_at": gettext_lazy("Revoked at"),
    "state": gettext_lazy("State"),
    "active": gettext_lazy("Active"),
    "date_joined": gettext_lazy("Date joined"),
    "last_login": gettext_lazy("Last login"),
    "staff_member": gettext_lazy("Staff member"),
    "trustee": gettext_lazy("Trustee"),
    "verified": gettext_lazy("Verified"),
    "primary": gettext_lazy("Primary"),
    "title": gettext_lazy("Title"),
    "kind": gettext_lazy("Kind"),
    "requested_at": gettext_lazy("Requested at"),
    "requested_by": gettext_lazy("Requested by"),
    "to": gettext_lazy("To"),
    "subject": gettext_lazy("Subject"),
    "body": gettext_lazy("Body"),
    "saved_at": gettext_lazy("Saved at"),
    "channel": gettext_lazy("Channel"),
    "reason": gettext_lazy("Reason"),
    "changes": gettext_lazy("Changes"),
    "from": gettext_lazy("From"),
    # The other apps' sections are read here too (see `readable_sections`).
    "claim": gettext_lazy("Claim"),
    "what_it_was_for": gettext_lazy("What it was for"),
    "date": gettext_lazy("Date"),
    "fee_type": gettext_lazy("Fee type"),
    "hours": gettext_lazy("Hours"),
    "total_claimed": gettext_lazy("Total claimed"),
    "asked_to_be_paid": gettext_lazy("Asked to be paid"),
    "approved_amount": gettext_lazy("Approved amount"),
    "sent_on": gettext_lazy("Sent on"),
    "decided_on": gettext_lazy("Decided on"),
    "reason_not_agreed": gettext_lazy("Reason not agreed"),
    "declined_payment": gettext_lazy("Declined payment"),
    "lines": gettext_lazy("Lines"),
    "amount": gettext_lazy("Amount"),
    "description": gettext_lazy("Description"),
    "receipt": gettext_lazy("Receipt"),
    "paid_on": gettext_lazy("Paid on"),
    "paid": gettext_lazy("Paid"),
    "paid_how": gettext_lazy("Paid how"),
    "payment_reference": gettext_lazy("Payment reference"),
    "vouchers": gettext_lazy("Vouchers"),
    "panels": gettext_lazy("Panels"),
    "panel": gettext_lazy("Panel"),
    "joined_on": gettext_lazy("Joined on"),
    "left_on": gettext_lazy("Left on"),
    "meetings": gettext_lazy("Meetings"),
    "meeting": gettext_lazy("Meeting"),
    "starts_at": gettext_lazy("Starts at"),
    "what_was_recorded": gettext_lazy("What was recorded"),
    "round": gettext_lazy("Round"),
    "area": gettext_lazy("Area"),
    "rung": gettext_lazy("Rung"),
    "what_makes_you_say_so": gettext_lazy("What makes you say so"),
    "next_step": gettext_lazy("Next step"),
    "entered_for_you_by_staff": gettext_lazy("Entered for you by staff"),
    "answered_on": gettext_lazy("Answered on"),
}


# Amounts of money in any app's section (the claims'), shown in pounds; other numbers (hours) as they are.
MONEY_KEYS = {"total_claimed", "asked_to_be_paid", "approved_amount", "amount", "paid"}


def label(key: str) -> str:
    """A key as people read it, in the active language (a key without a label here is
    looked up in the catalogue as its words, "some_key" → "Some key")."""
    return str(LABELS.get(key) or _(key.replace("_", " ").capitalize()))


def readable(value, *, inline: bool = False, key: str = "") -> str:
    """One value as a person would read it. Several entries of a dict go on lines of
    their own (templates show them with `linebreaksbr`) unless `inline`."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return format_date(timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y, H:i")
    if isinstance(value, date):
        return format_date(value, "j F Y")
    if isinstance(value, Decimal | int) and key in MONEY_KEYS:
        return pounds(value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, list):
        if any(isinstance(item, dict) for item in value):
            return "\n".join(readable(item, inline=True) for item in value)
        return ", ".join(readable(item, inline=True) for item in value)
    if isinstance(value, dict):
        if set(value) == {"from", "to"}:
            if value["from"] in (None, "", [], False):
                return readable(value["to"], inline=True)
            return f"{readable(value['from'], inline=True)} → {readable(value['to'], inline=True)}"
        return ("; " if inline else "\n").join(
            f"{label(key)}: {readable(item, inline=True, key=key)}" for key, item in value.items()
        )
    if inline and isinstance(value, str):
        return ", ".join(line.strip() for line in value.splitlines() if line.strip())
    return str(value)


def _columns(rows: Iterable[dict]) -> list[str]:
    keys: list[str] = []
    for row in rows:
        keys += [key for key in row if key not in keys]
    return keys


def readable_sections(export: dict) -> list[dict]:
    """The export ready for a template: per section its title, an anchor, and either
    `fields` (label, text) for one record, or for many `columns` and `rows` (a table)
    and `records` (per record its (label, text) pairs)."""
    sections = []
    for title, data in export["sections"].items():
        # The anchor comes from the title as exported, so it is the same in every language.
        section = {"title": _(title), "anchor": f"section-{slugify(title)}", "empty": not data}
        if isinstance(data, dict):
            section["fields"] = [(label(key), readable(value, key=key)) for key, value in data.items()]
        else:
            keys = _columns(data)
            section["columns"] = [label(key) for key in keys]
            section["rows"] = [[readable(row.get(key), key=key) for key in keys] for row in data]
            # One record at a time (phones, print): only the details that hold something.
            section["records"] = [
                [(label(key), readable(value, key=key)) for key, value in row.items()
                 if value not in (None, "", [], {})]
                for row in data
            ]
        sections.append(section)
    return sections


def render_export_report(report) -> tuple[str, dict]:
    """PDF renderer for `Report.Kind.DATA_EXPORT` (see coprod/reports.py). The sensitive
    fields are in it only when the report was requested as holding them, which also limits
    who may open it (`Report.objects.visible_to`)."""
    export = partner_export(report.partner, sensitive=report.includes_sensitive_data)
    # Made for the partner: coprod.reports renders it in their language (`report_language`).
    return "reports/partner_export.html", {
        "organisation": Organisation.current(), "report": report, "partner": report.partner,
        "export": export, "sections": readable_sections(export),
    }


def register() -> None:
    """The partners' own sections of the export (called from `ParticipantsConfig.ready()`)."""
    for order, export in [(10, export_profile), (20, export_status_history), (30, export_consents),
                          (40, export_training), (50, export_invitations), (60, export_login),
                          (70, export_documents), (80, export_record_history), (130, export_emails),
                          (140, export_notices)]:
        registry.data_exporters.register(f"participants.{export.__name__}", export, order=order)
    reports.register_renderer(Report.Kind.DATA_EXPORT, render_export_report)
