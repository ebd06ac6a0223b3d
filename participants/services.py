"""Writes for people and partner records. Each function is one step: it
validates before saving, records who did it, and raises ValidationError with a
message people can act on. Each feature keeps its own block below."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from coprod.models import Organisation
from coprod.roles import is_staff_member

from .models import AccessNeed, LivedExperienceArea, Partner, StatusChange

logger = logging.getLogger(__name__)


# --- Partner records (staff) ---

SENSITIVE_PERMISSION = "participants.view_sensitive_partner_data"
PARTNER_M2M_FIELDS = ("access_needs", "lived_experience")
# Everything staff may set on a partner record through partner_create / partner_update.
PARTNER_FIELDS = (
    "full_name", "preferred_name", "pronouns", "email", "phone", "address", "preferred_contact",
    "strengths", "skills", "interests", "availability", "service", "link_worker", "payment_preference",
    *Partner.SENSITIVE_FIELDS,
)


def can_see_sensitive(user) -> bool:
    """May this person see and change lived experience, access needs and the benefit flag?"""
    return is_staff_member(user) and user.has_perm(SENSITIVE_PERMISSION)


def _clean_partner_data(data: dict, *, partner: Partner | None, by) -> dict:
    """Check a partner's details before they are saved; answer the cleaned values."""
    unknown = set(data) - set(PARTNER_FIELDS)
    if unknown:
        raise ValueError(f"Not a partner detail staff can set: {', '.join(sorted(unknown))}")
    if set(data) & set(Partner.SENSITIVE_FIELDS) and not can_see_sensitive(by):
        raise PermissionDenied("Only staff allowed to see sensitive data can change access needs, "
                               "lived experience or the benefit check.")
    data = {name: value.strip() if isinstance(value, str) else value for name, value in data.items()}
    errors = {}
    # Only fields being set are checked, except the name a record cannot be without.
    if partner is None or "full_name" in data:
        if not data.get("full_name"):
            errors["full_name"] = "Enter their full name. Every other detail can be added later."
    email = data.get("email", partner.email if partner else "")
    if data.get("email"):
        try:
            validate_email(data["email"])
        except ValidationError:
            errors["email"] = "Enter an e-mail address in the form name@example.org, or leave it empty."
        else:
            others = Partner.objects.filter(email__iexact=data["email"], erased_at__isnull=True)
            if partner is not None:
                others = others.exclude(pk=partner.pk)
            other = others.first()
            if other is not None:
                errors["email"] = (f"{other.full_name} already has this e-mail address. "
                                   "Each partner needs their own.")
    contact = data.get("preferred_contact", partner.preferred_contact if partner else "")
    phone = data.get("phone", partner.phone if partner else "")
    address = data.get("address", partner.address if partner else "")
    needs = {
        Partner.ContactMethod.EMAIL: (email, "e-mail address"),
        Partner.ContactMethod.PHONE: (phone, "phone number"),
        Partner.ContactMethod.TEXT: (phone, "phone number"),
        Partner.ContactMethod.POST: (address, "postal address"),
    }
    if contact in needs and not needs[contact][0]:
        value, what = needs[contact]
        errors["preferred_contact"] = (
            f"They prefer {Partner.ContactMethod(contact).label.lower()}, but there is no {what} on "
            f"their record. Add their {what} or choose another way to contact them."
        )
    link_worker = data.get("link_worker")
    if link_worker is not None and not is_staff_member(link_worker):
        errors["link_worker"] = "The link worker must be a member of staff."
    if errors:
        raise ValidationError(errors)
    return data


def _apply(partner: Partner, data: dict, *, by) -> list[str]:
    """Set `data` on `partner` and save, so that one historical record (naming `by`)
    holds the whole change, many-to-many fields included. Answers the names changed."""
    changed = []
    for name, value in data.items():
        if name in PARTNER_M2M_FIELDS:
            if set(getattr(partner, name).values_list("pk", flat=True)) != {obj.pk for obj in value}:
                changed.append(name)
        elif getattr(partner, name) != value:
            setattr(partner, name, value)
            changed.append(name)
    if not changed:
        return []
    partner._history_user = by
    m2m = [name for name in changed if name in PARTNER_M2M_FIELDS]
    if m2m:
        # simple-history would write one record per add and per removal; hold those back
        # and let the save below record the new sets together with the other fields.
        partner.skip_history_when_saving = True
        try:
            for name in m2m:
                getattr(partner, name).set(data[name])
        finally:
            del partner.skip_history_when_saving
    scalar = [name for name in changed if name not in PARTNER_M2M_FIELDS]
    # A save is what makes the historical record; when only tags changed, rewrite the
    # (unchanged) name so the new tags are recorded with who changed them.
    partner.save(update_fields=scalar or ["full_name"])
    return changed


@transaction.atomic
def partner_create(*, data: dict, status: str = Partner.Status.ENQUIRY, by) -> Partner:
    """Record a new partner (with or without an e-mail address or a login)."""
    if status not in Partner.Status.values:
        raise ValidationError({"status": "Choose where they are in their journey."})
    data = _clean_partner_data(data, partner=None, by=by)
    partner = Partner(status=status)
    partner._history_user = by
    for name, value in data.items():
        if name not in PARTNER_M2M_FIELDS:
            setattr(partner, name, value)
    partner.save()
    StatusChange.objects.create(partner=partner, from_status="", to_status=status, changed_by=by,
                                changed_at=partner.created, note="Record created")
    _apply(partner, {name: data[name] for name in PARTNER_M2M_FIELDS if name in data}, by=by)
    logger.info("partner %s created by %s", partner.pk, by)
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, data: dict, by) -> list[str]:
    """Change a partner's details. Answers the names of the fields that changed
    (empty when nothing did: no historical record is written then)."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.is_erased:
        raise ValidationError("This partner's details were erased; they can no longer be changed.")
    data = _clean_partner_data(data, partner=partner, by=by)
    return _apply(partner, data, by=by)


@transaction.atomic
def partner_change_status(*, partner: Partner, status: str, note: str = "", by) -> StatusChange:
    """Move a partner along their journey (enquiry → induction → active → paused → left),
    recording who and when; the partner is told by e-mail if they agreed to be contacted."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    note = (note or "").strip()
    if status not in Partner.Status.values:
        raise ValidationError({"status": "Choose one of the statuses in the list."})
    if partner.is_erased:
        raise ValidationError("This partner's details were erased; their status can no longer change.")
    if status == partner.status:
        raise ValidationError({"status": f"Their status is already {partner.get_status_display()}."})
    if len(note) > StatusChange._meta.get_field("note").max_length:
        raise ValidationError({"note": "Keep the note to 300 characters or fewer."})
    change = StatusChange.objects.create(
        partner=partner, from_status=partner.status, to_status=status, changed_by=by,
        changed_at=timezone.now(), note=note,
    )
    partner.status = status
    partner._history_user = by
    partner.save(update_fields=["status"])

    from .tasks import send_status_change_email

    transaction.on_commit(lambda: send_status_change_email.delay(change.pk))
    return change


def status_change_notify(*, status_change_id: int) -> bool:
    """E-mail the partner about a change of status, in plain English, if they have an
    e-mail address and their consent to be contacted is in force. Answers whether it was sent."""
    change = StatusChange.objects.select_related("partner__link_worker").get(pk=status_change_id)
    partner = change.partner
    if partner.is_erased or not partner.email or not partner.has_consent("contact"):
        return False
    organisation = Organisation.current()
    context = {"partner": partner, "change": change, "organisation": organisation}
    send_mail(
        subject=f"{organisation.name}: your involvement is now {change.get_to_status_display().lower()}",
        message=render_to_string("participants/email/status_change.txt", context),
        from_email=None,
        recipient_list=[partner.email],
    )
    return True


# --- Access needs and lived-experience areas (the editable lists) ---


def _clean_name(name: str, *, model, instance, what: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": f"Enter a name for the {what}."})
    limit = model._meta.get_field("name").max_length
    if len(name) > limit:
        raise ValidationError({"name": f"Keep the name to {limit} characters or fewer."})
    clash = model.objects.filter(name__iexact=name)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError({"name": f"There is already {what} called “{name}”."})
    return name


@transaction.atomic
def access_need_create(*, name: str, description: str = "", order: int = 0, by) -> AccessNeed:
    name = _clean_name(name, model=AccessNeed, instance=None, what="an access need")
    need = AccessNeed.objects.create(name=name, description=(description or "").strip(), order=order)
    logger.info("access need %s created by %s", need.pk, by)
    return need


@transaction.atomic
def access_need_update(*, access_need: AccessNeed, name: str, description: str = "", order: int = 0,
                       by) -> AccessNeed:
    access_need.name = _clean_name(name, model=AccessNeed, instance=access_need, what="an access need")
    access_need.description = (description or "").strip()
    access_need.order = order
    access_need.save(update_fields=["name", "description", "order"])
    logger.info("access need %s changed by %s", access_need.pk, by)
    return access_need


@transaction.atomic
def lived_experience_area_create(*, name: str, by) -> LivedExperienceArea:
    name = _clean_name(name, model=LivedExperienceArea, instance=None, what="an area")
    area = LivedExperienceArea.objects.create(name=name)
    logger.info("lived-experience area %s created by %s", area.pk, by)
    return area


@transaction.atomic
def lived_experience_area_update(*, area: LivedExperienceArea, name: str, by) -> LivedExperienceArea:
    area.name = _clean_name(name, model=LivedExperienceArea, instance=area, what="an area")
    area.save(update_fields=["name"])
    logger.info("lived-experience area %s changed by %s", area.pk, by)
    return area
