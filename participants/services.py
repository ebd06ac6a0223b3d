"""Writes for people and partner records. Each function is one step: it
validates before saving, records who did it, and raises ValidationError with a
message people can act on. Each feature keeps its own block below."""

import calendar
import datetime
import logging
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth import password_validation
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coprod import bounds
from coprod import notify
from coprod.changes import model_create
from coprod.changes import model_delete
from coprod.changes import model_save
from coprod.changes import model_update
from coprod.models import Notice
from coprod.models import Organisation
from coprod.models import OutgoingEmail
from coprod.models import Report
from coprod.reports import report_request
from coprod.roles import SENSITIVE_DATA
from coprod.roles import can_see_sensitive_data
from coprod.roles import is_staff_member
from coprod.roles import partner_for
from coprod.roles import require

from . import data_protection
from .contact import contact_address
from .contact import contact_withdrawn
from .contact import email_partner
from .models import AccessNeed
from .models import Consent
from .models import ConsentStatement
from .models import Course
from .models import Invitation
from .models import LivedExperienceArea
from .models import Partner
from .models import StatusChange
from .models import TrainingRecord

logger = logging.getLogger(__name__)


# --- Partner records (staff) ---

SENSITIVE_PERMISSION = SENSITIVE_DATA
PARTNER_M2M_FIELDS = ("access_needs", "lived_experience")
# Everything staff may set on a partner record through partner_create / partner_update.
PARTNER_FIELDS = (
    "full_name", "preferred_name", "pronouns", "email", "phone", "address", "preferred_contact",
    "strengths", "skills", "interests", "availability", "service", "link_worker", "payment_preference",
    *Partner.SENSITIVE_FIELDS,
)


def can_see_sensitive(user) -> bool:
    """May this person see and change lived experience, access needs and the benefit flag?"""
    return can_see_sensitive_data(user)


def can_run_participants(user) -> bool:
    """Partners' records and status, invitations, consent wording, courses and training, and
    the vocabularies (access needs, lived-experience areas) are kept by staff."""
    return is_staff_member(user)


def is_own_record(user, partner: Partner) -> bool:
    """Is this the partner's own login?"""
    return partner.user_id is not None and partner.user_id == user.pk


def can_act_for(user, partner: Partner) -> bool:
    """The partner themselves, or staff on their behalf (giving or withdrawing consent)."""
    return is_staff_member(user) or is_own_record(user, partner)


def _require_staff(by) -> None:
    require(can_run_participants, by, "Only staff can do this.")


def _clean_partner_data(data: dict, *, partner: Partner | None, by) -> dict:
    """Check a partner's details before they are saved; answer the cleaned values."""
    unknown = set(data) - set(PARTNER_FIELDS)
    if unknown:
        raise ValueError(f"Not a partner detail staff can set: {', '.join(sorted(unknown))}")
    if set(data) & set(Partner.SENSITIVE_FIELDS) and not can_see_sensitive(by):
        raise PermissionDenied("Only staff allowed to see sensitive data can change access needs, "
                               "lived experience or the benefit check.")
    errors = {}
    data = {name: bounds.check_text(name, value, max_length=Partner._meta.get_field(name).max_length,
                                    errors=errors) if isinstance(value, str) else value
            for name, value in data.items()}
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
    if partner is None and contact == Partner.ContactMethod.EMAIL and not any(
            data.get(name) for name in ("email", "phone", "address")):
        # A name alone is a whole record: with no way to reach them, staff go through their link worker.
        contact = data["preferred_contact"] = Partner.ContactMethod.LINK_WORKER
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


def partner_data_check(*, data: dict, partner: Partner | None, by) -> dict:
    """Check partner details exactly as `partner_create` / `partner_update` would, saving
    nothing (the spreadsheet import's preview). Answers the cleaned values."""
    return _clean_partner_data(data, partner=partner, by=by)


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
    _require_staff(by)
    if status not in Partner.Status.values:
        raise ValidationError({"status": "Choose where they are in their journey."})
    data = _clean_partner_data(data, partner=None, by=by)
    partner = model_create(Partner, by=by, status=status,
                           **{name: value for name, value in data.items() if name not in PARTNER_M2M_FIELDS})
    StatusChange.objects.create(partner=partner, from_status="", to_status=status, changed_by=by,
                                changed_at=partner.created, note="Record created")
    _apply(partner, {name: data[name] for name in PARTNER_M2M_FIELDS if name in data}, by=by)
    logger.info("partner %s created by %s", partner.pk, by)
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, data: dict, by) -> list[str]:
    """Change a partner's details. Answers the names of the fields that changed
    (empty when nothing did: no historical record is written then)."""
    _require_staff(by)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.is_erased:
        raise ValidationError("This partner's details were erased; they can no longer be changed.")
    data = _clean_partner_data(data, partner=partner, by=by)
    return _apply(partner, data, by=by)


@transaction.atomic
def partner_change_status(*, partner: Partner, status: str, note: str = "", by) -> StatusChange:
    """Move a partner along their journey (enquiry → induction → active → paused → left),
    recording who and when; the partner is told by e-mail if they agreed to be contacted."""
    _require_staff(by)
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
    model_save(partner, by=by, update_fields=["status"])
    status_change_notify(status_change_id=change.pk)
    return change


@transaction.atomic
def status_change_notify(*, status_change_id: int) -> bool:
    """E-mail the partner about a change of status, in plain English, if they have an
    e-mail address and their consent to be contacted is in force. Answers whether it was queued."""
    change = StatusChange.objects.select_related("partner__link_worker").get(pk=status_change_id)
    partner = change.partner
    if contact_address(partner) is None:
        return False
    organisation = Organisation.current()
    context = {"partner": partner, "change": change, "organisation": organisation}
    return email_partner(
        partner, kind="partner_status_changed",
        subject=f"{organisation.name}: your involvement is now {change.get_to_status_display().lower()}",
        body=render_to_string("participants/email/status_change.txt", context),
    ) is not None


# --- Access needs and lived-experience areas (the editable lists) ---


def _clean_name(name: str, *, model, instance, noun: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": f"Enter a name for the {noun}."})
    limit = model._meta.get_field("name").max_length
    if len(name) > limit:
        raise ValidationError({"name": f"Keep the name to {limit} characters or fewer."})
    clash = model.objects.filter(name__iexact=name)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError({"name": f"There is already an {noun} called “{name}”."})
    return name


@transaction.atomic
def access_need_create(*, name: str, description: str = "", order: int = 0, by) -> AccessNeed:
    _require_staff(by)
    name = _clean_name(name, model=AccessNeed, instance=None, noun="access need")
    need = AccessNeed.objects.create(name=name, description=(description or "").strip(), order=order)
    logger.info("access need %s created by %s", need.pk, by)
    return need


@transaction.atomic
def access_need_update(*, access_need: AccessNeed, name: str, description: str = "", order: int = 0,
                       by) -> AccessNeed:
    _require_staff(by)
    access_need.name = _clean_name(name, model=AccessNeed, instance=access_need, noun="access need")
    access_need.description = (description or "").strip()
    access_need.order = order
    access_need.save(update_fields=["name", "description", "order"])
    logger.info("access need %s changed by %s", access_need.pk, by)
    return access_need


@transaction.atomic
def lived_experience_area_create(*, name: str, by) -> LivedExperienceArea:
    _require_staff(by)
    name = _clean_name(name, model=LivedExperienceArea, instance=None, noun="area")
    area = LivedExperienceArea.objects.create(name=name)
    logger.info("lived-experience area %s created by %s", area.pk, by)
    return area


@transaction.atomic
def lived_experience_area_update(*, area: LivedExperienceArea, name: str, by) -> LivedExperienceArea:
    _require_staff(by)
    area.name = _clean_name(name, model=LivedExperienceArea, instance=area, noun="area")
    area.save(update_fields=["name"])
    logger.info("lived-experience area %s changed by %s", area.pk, by)
    return area


# --- Invitations ------------------------------------------------------------
# Nobody signs themselves up: a staff invitation by e-mail is the only way to get
# a login. The link expires, can be revoked and re-sent, and accepting it either
# creates the login or adds the role to the person's existing login.

INVITATION_DAYS = 14
INVITATION_MAX_DAYS = bounds.INVITATION_MAX_DAYS

# What stops a pending invitation being accepted by whoever opened the link.
INVITATION_PROBLEMS = {
    "expired": "This invitation has run out. Please ask the team to send you a new one.",
    "revoked": "This invitation has been cancelled. Please ask the team if you think this is a mistake.",
    "accepted": "This invitation has already been used. If it was you, sign in with your e-mail address.",
    "wrong_user": ("You are signed in as {user}, but this invitation is for {email}. "
                   "Sign out, then open the link again."),
    "sign_in_first": ("There is already a login for {email}. Sign in first, then open the link "
                      "again to add this to your login."),
}


def _user_with_email(email: str):
    return get_user_model().objects.filter(email__iexact=email).first()


def _has_role(user, role: str) -> bool:
    if role == Invitation.Role.STAFF:
        return user.is_staff_member
    if role == Invitation.Role.TRUSTEE:
        return user.is_trustee
    return Partner.objects.filter(user=user).exists()


def _check_can_invite(*, email: str, role: str, partner: Partner | None,
                      invitation: Invitation | None = None) -> None:
    """The rules shared by a new invitation and re-sending an old one."""
    others = Invitation.objects.pending()
    if invitation is not None:
        others = others.exclude(pk=invitation.pk)
    if others.filter(email__iexact=email).exists():
        raise ValidationError(
            f"An invitation to {email} is already waiting to be accepted. Re-send or revoke that one instead."
        )
    existing = _user_with_email(email)
    if existing is not None and _has_role(existing, role):
        raise ValidationError(
            f"{email} already signs in as a {Invitation.Role(role).label.lower()}: no invitation is needed."
        )
    if partner is None:
        return
    if partner.is_erased:
        raise ValidationError("This partner's personal data has been erased.")
    if partner.user_id is not None:
        raise ValidationError(f"{partner} already has a login ({partner.user.email}).")
    if others.filter(partner=partner).exists():
        raise ValidationError(
            f"{partner} already has an invitation waiting to be accepted. Re-send or revoke that one instead."
        )
    if contact_withdrawn(partner):
        raise ValidationError(f"{partner} has withdrawn consent to be contacted, so we cannot e-mail them.")


@transaction.atomic
def invitation_create(*, email: str, full_name: str, role: str, partner: Partner | None = None, by,
                      days_valid: int = INVITATION_DAYS) -> Invitation:
    """Record an invitation (not yet sent). A partner invitation names the partner
    record the login will be linked to; without one, a new record is created for a
    brand-new partner, starting at induction."""
    _require_staff(by)
    email = (email or "").strip().lower()
    full_name = " ".join((full_name or "").split())
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter the e-mail address the invitation should go to."}) from None
    if not full_name:
        raise ValidationError({"full_name": "Enter the name of the person you are inviting."})
    if role not in Invitation.Role.values:
        raise ValidationError({"role": "Choose whether they join as a partner, a trustee or staff."})
    if not 1 <= days_valid <= INVITATION_MAX_DAYS:
        raise ValidationError({"days_valid": f"The link can work for 1 to {INVITATION_MAX_DAYS} days."})
    if partner is not None and role != Invitation.Role.PARTNER:
        raise ValidationError({"role": "A partner's record can only be linked to a partner invitation."})
    if partner is not None:
        partner = Partner.objects.select_for_update(of=("self",)).select_related("user").get(pk=partner.pk)
    _check_can_invite(email=email, role=role, partner=partner)

    if role == Invitation.Role.PARTNER and partner is None:
        same = Partner.objects.filter(email__iexact=email, erased_at__isnull=True).first()
        if same is not None:
            raise ValidationError(
                f"{same} already has a partner record with this e-mail address: invite them from their page."
            )
        partner = model_create(
            Partner, by=by, full_name=full_name, email=email, status=Partner.Status.INDUCTION)
        StatusChange.objects.create(partner=partner, to_status=Partner.Status.INDUCTION, changed_by=by,
                                    note="Invited to sign in.")
    invitation = model_create(Invitation, by=by, email=email, full_name=full_name, role=role, partner=partner,
                              token=secrets.token_urlsafe(32), created_by=by,
                              expires_at=timezone.now() + timedelta(days=days_valid))
    return invitation


def invitation_accept_url(*, invitation: Invitation, request_or_base_url: HttpRequest | str) -> str:
    path = reverse("participants:invitation_accept", kwargs={"token": invitation.token})
    if isinstance(request_or_base_url, str):
        return request_or_base_url.rstrip("/") + path
    return request_or_base_url.build_absolute_uri(path)


@transaction.atomic
def invitation_send(*, invitation: Invitation, by, request_or_base_url: HttpRequest | str) -> Invitation:
    """E-mail the link to a pending invitation, in plain English, naming the
    organisation and who invited them."""
    _require_staff(by)
    # Lock only the invitation: PostgreSQL cannot lock the nullable side of an outer join.
    invitation = (Invitation.objects.select_for_update(of=("self",))
                  .select_related("created_by", "partner").get(pk=invitation.pk))
    if invitation.state != "pending":
        raise ValidationError(f"This invitation is {invitation.state}, so it cannot be sent.")
    if invitation.partner is not None and contact_withdrawn(invitation.partner):
        raise ValidationError(
            f"{invitation.partner} has withdrawn consent to be contacted, so we cannot e-mail them."
        )
    context = {
        "invitation": invitation,
        "organisation": Organisation.current().name,
        "inviter": invitation.created_by or by,
        "url": invitation_accept_url(invitation=invitation, request_or_base_url=request_or_base_url),
        "expires_on": timezone.localtime(invitation.expires_at),
    }
    # Queued with the invitation: if the mail server fails, the invitation is kept and the
    # e-mail retried (staff see a failure in the partner's "Messages sent" and the admin).
    queued = notify.email_queue(
        kind="invitation", to=[invitation.email], partner=invitation.partner, secret=True,
        subject=render_to_string("participants/email/invitation_subject.txt", context),
        body=render_to_string("participants/email/invitation_message.txt", context),
    )
    if queued is None:
        raise ValidationError(f"“{invitation.email}” is not an e-mail address we can send to.")
    invitation.sent_at = timezone.now()
    invitation.send_count += 1
    model_save(invitation, by=by, update_fields=["sent_at", "send_count"])
    return invitation


@transaction.atomic
def invitation_create_and_send(*, email: str, full_name: str, role: str, partner: Partner | None = None,
                               by, days_valid: int = INVITATION_DAYS,
                               request_or_base_url: HttpRequest | str) -> Invitation:
    """Invite someone: record the invitation and e-mail it (the e-mail is saved with the
    invitation and retried if the mail server fails; see coprod.notify)."""
    _require_staff(by)
    invitation = invitation_create(email=email, full_name=full_name, role=role, partner=partner, by=by,
                                   days_valid=days_valid)
    return invitation_send(invitation=invitation, by=by, request_or_base_url=request_or_base_url)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by, request_or_base_url: HttpRequest | str,
                      days_valid: int = INVITATION_DAYS) -> Invitation:
    """Send the link again. An expired invitation gets `days_valid` more days from now."""
    _require_staff(by)
    invitation = (Invitation.objects.select_for_update(of=("self",))
                  .select_related("partner__user").get(pk=invitation.pk))
    state = invitation.state
    if state == "accepted":
        raise ValidationError(f"{invitation.full_name} has already accepted this invitation.")
    if state == "revoked":
        raise ValidationError("This invitation was revoked, so it cannot be sent again. Invite them afresh.")
    _check_can_invite(email=invitation.email, role=invitation.role, partner=invitation.partner,
                      invitation=invitation)
    if not 1 <= days_valid <= INVITATION_MAX_DAYS:
        raise ValidationError({"days_valid": f"The link can work for 1 to {INVITATION_MAX_DAYS} days."})
    if state == "expired":
        invitation.expires_at = timezone.now() + timedelta(days=days_valid)
        model_save(invitation, by=by, update_fields=["expires_at"])
    return invitation_send(invitation=invitation, by=by, request_or_base_url=request_or_base_url)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    """Stop the link working, whether it is still pending or has expired."""
    _require_staff(by)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(
            f"{invitation.full_name} has already accepted this invitation, so it cannot be revoked."
        )
    if invitation.revoked_at is not None:
        raise ValidationError("This invitation was already revoked.")
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = by
    model_save(invitation, by=by, update_fields=["revoked_at", "revoked_by"])
    return invitation


def invitation_situation(*, invitation: Invitation, user) -> str:
    """What opening the link means for `user` (the signed-in person, or anonymous):
    "new_login" (set one up), "add_role" (signed in as the invited person),
    "sign_in_first" (a login for that e-mail exists), "wrong_user" (signed in as
    someone else), or the invitation's state when it is no longer pending."""
    if invitation.state != "pending":
        return invitation.state
    existing = _user_with_email(invitation.email)
    if user is not None and user.is_authenticated:
        return "add_role" if existing is not None and existing.pk == user.pk else "wrong_user"
    return "sign_in_first" if existing is not None else "new_login"


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str | None, by=None):
    """Accept an invitation and return the login it gives.

    `by` is whoever is signed in (None or anonymous for a newcomer). A newcomer
    gets a new login with `password`, or with no usable password when they
    prefer a sign-in code by e-mail. Someone who already has a login must be
    signed in as that login: the invited role is added to it, never a second login.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    situation = invitation_situation(invitation=invitation, user=by)
    if situation not in ("new_login", "add_role"):
        raise ValidationError(INVITATION_PROBLEMS[situation].format(
            user=getattr(by, "email", ""), email=invitation.email,
        ))
    partner = None
    if invitation.role == Invitation.Role.PARTNER:
        if invitation.partner_id is None:
            raise ValidationError("This invitation is not linked to a partner record. "
                                  "Please ask the team to send a new one.")
        partner = Partner.objects.select_for_update().get(pk=invitation.partner_id)
        if partner.is_erased or (partner.user_id is not None and partner.user_id != getattr(by, "pk", None)):
            raise ValidationError("This invitation can no longer be used. "
                                  "Please ask the team to send a new one.")
        if situation == "add_role" and Partner.objects.filter(user=by).exclude(pk=partner.pk).exists():
            raise ValidationError("Your login is already linked to another partner record. "
                                  "Please ask the team to sort this out.")

    if situation == "new_login":
        user = get_user_model()(email=invitation.email, full_name=invitation.full_name)
        if password:
            password_validation.validate_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        # Opening the link sent to this address proves it is theirs.
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    else:
        user = by

    if invitation.role == Invitation.Role.STAFF and not user.is_staff_member:
        user.is_staff_member = True
        user.save(update_fields=["is_staff_member"])
    elif invitation.role == Invitation.Role.TRUSTEE and not user.is_trustee:
        user.is_trustee = True
        user.save(update_fields=["is_trustee"])
    elif partner is not None:
        partner.user = user
        changed = ["user"]
        if not partner.email:
            partner.email = user.email
            changed.append("email")
        model_save(partner, by=user, update_fields=changed)

    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    model_save(invitation, by=user, update_fields=["accepted_at", "accepted_user"])
    return user


# --- Consent and training ---------------------------------------------------
# Consent: partners agree to the latest wording of each topic and may withdraw at
# any time; staff record either on a partner's behalf. Training: completions of
# courses by partners and staff, with the expiry worked out from the course.

def _refuse_erased(partner: Partner) -> None:
    if partner.is_erased:
        raise ValidationError("This partner's personal data has been erased.")


@transaction.atomic
def consent_give(*, partner: Partner, statement: ConsentStatement, by) -> Consent:
    """Record the partner's agreement to `statement`, which must be the latest
    wording of its topic and not already agreed to."""
    if not can_act_for(by, partner):
        raise PermissionDenied("Only the partner or staff can agree on their behalf.")
    _refuse_erased(partner)
    latest = ConsentStatement.objects.current(statement.topic)
    if latest is None or latest.pk != statement.pk:
        raise ValidationError(
            f"These words about “{statement.get_topic_display()}” have been replaced by newer ones. "
            "Please read the newest version."
        )
    # Lock the partner row so two quick clicks cannot record two agreements.
    Partner.objects.select_for_update().filter(pk=partner.pk).first()
    if Consent.objects.in_force().filter(partner=partner, statement=statement).exists():
        raise ValidationError(f"“{statement.get_topic_display()}” is already agreed.")
    consent = model_create(
        Consent, by=by, partner=partner, statement=statement, agreed_at=timezone.now(), recorded_by=by)
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, by) -> Consent:
    """Withdraw an agreement from now on. What was done before stays as it was."""
    consent = Consent.objects.select_for_update(of=("self",)).select_related("statement").get(pk=consent.pk)
    if not can_act_for(by, consent.partner):
        raise PermissionDenied("Only the partner or staff can withdraw their agreement.")
    if consent.withdrawn_at is not None:
        raise ValidationError(f"“{consent.statement.get_topic_display()}” was already withdrawn.")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = by
    model_save(consent, by=by, update_fields=["withdrawn_at", "withdrawn_by"])
    return consent


@transaction.atomic
def consent_statement_publish(*, topic: str, wording: str, by) -> ConsentStatement:
    """Publish a new version of a topic's wording. Agreements to earlier versions
    stop counting: every partner has to agree to the new words."""
    _require_staff(by)
    if topic not in ConsentStatement.Topic.values:
        raise ValidationError({"topic": "Choose one of the consent topics."})
    wording = (wording or "").strip()
    if len(wording) < 20:
        raise ValidationError(
            {"wording": "Write the full wording partners agree to (at least 20 characters)."}
        )
    current = ConsentStatement.objects.current(topic)
    if current and " ".join(current.wording.split()) == " ".join(wording.split()):
        raise ValidationError({"wording": "This is the same as the current wording: change it or keep it."})
    return model_create(ConsentStatement, by=by, topic=topic, version=(current.version + 1) if current else 1,
                        wording=wording, effective_from=timezone.localdate())


def _months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def training_expiry(*, course: Course, completed_on: datetime.date) -> datetime.date | None:
    if not course.valid_for_months:
        return None
    return _months_later(completed_on, course.valid_for_months)


@transaction.atomic
def training_record(*, course: Course, partner: Partner | None = None, user=None,
                    completed_on: datetime.date, by) -> TrainingRecord:
    """Record that a partner or a staff member completed a course; it expires
    `valid_for_months` later when the course needs refreshing."""
    _require_staff(by)
    if (partner is None) == (user is None):
        raise ValidationError("Choose either a partner or a staff member, not both.")
    if partner is not None:
        _refuse_erased(partner)
    if user is not None and not user.is_staff_member:
        raise ValidationError({"user": "Only staff members' training is recorded here."})
    if completed_on is None:
        raise ValidationError({"completed_on": "Enter the date it was completed."})
    bounds.TRAINING_COMPLETED.check("completed_on", completed_on)
    if TrainingRecord.objects.filter(course=course, partner=partner, user=user,
                                     completed_on=completed_on).exists():
        raise ValidationError("This completion is already recorded.")
    record = model_create(
        TrainingRecord, by=by, course=course, partner=partner, user=user, completed_on=completed_on,
        expires_on=training_expiry(course=course, completed_on=completed_on), recorded_by=by)
    return record


@transaction.atomic
def training_record_delete(*, record: TrainingRecord, by) -> None:
    """Remove a completion recorded by mistake (the history keeps who removed it)."""
    _require_staff(by)
    model_delete(record, by=by)


COURSE_FIELDS = ["name", "description", "valid_for_months", "required_for_partners", "required_for_staff"]


def _validate_course(data: dict, course: Course | None = None) -> None:
    name = (data.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": "Give the course a name."})
    same_name = Course.objects.filter(name__iexact=name)
    if course is not None:
        same_name = same_name.exclude(pk=course.pk)
    if same_name.exists():
        raise ValidationError({"name": "There is already a course with this name."})
    months = data.get("valid_for_months")
    if months is not None and not 1 <= months <= 120:
        raise ValidationError({"valid_for_months": "Between 1 and 120 months, or empty if it never expires."})


@transaction.atomic
def course_create(*, data: dict, by) -> Course:
    _require_staff(by)
    _validate_course(data)
    course = Course(**{field: data.get(field) for field in COURSE_FIELDS})
    course.name = course.name.strip()
    course.description = course.description or ""
    model_save(course, by=by)
    return course


@transaction.atomic
def course_update(*, course: Course, data: dict, by) -> Course:
    """Change a course. Expiry dates already recorded stay as they were worked out."""
    _require_staff(by)
    _validate_course(data, course)
    for field in COURSE_FIELDS:
        setattr(course, field, data.get(field))
    course.name = course.name.strip()
    course.description = course.description or ""
    # Saved whatever it held: the form may already have written the new values into `course`.
    model_save(course, by=by, update_fields=COURSE_FIELDS)
    return course


OWN_DETAILS_FIELDS = ["preferred_name", "pronouns", "phone", "email", "address", "preferred_contact",
                      "access_needs", "interpreter_language", "access_notes", "availability", "reminders"]


@transaction.atomic
def partner_update_own_details(*, partner: Partner, data: dict, by) -> list[str]:
    """A partner changes their own contact details, access needs and availability.
    Only these fields can change; the history names `by`. Answers the fields changed."""
    if not is_own_record(by, partner):
        raise PermissionDenied("Only the partner can do this for themselves.")
    # Compare with what is stored, not with an instance a form may already have changed.
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    _refuse_erased(partner)
    unknown = set(data) - set(OWN_DETAILS_FIELDS)
    if unknown:
        raise ValidationError(f"These details cannot be changed here: {', '.join(sorted(unknown))}.")
    errors = {}
    data = {field: bounds.check_text(field, value, max_length=Partner._meta.get_field(field).max_length,
                                     errors=errors) if isinstance(value, str) else value
            for field, value in data.items()}
    if errors:
        raise ValidationError(errors)
    values = {field: data.get(field, getattr(partner, field)) for field in ("email", "phone", "address")}
    otherwise = ", or choose another way to contact you."
    needs_detail = {
        Partner.ContactMethod.EMAIL: ("email", "Give an e-mail address" + otherwise),
        Partner.ContactMethod.PHONE: ("phone", "Give a phone number" + otherwise),
        Partner.ContactMethod.TEXT: ("phone", "Give a mobile number for texts" + otherwise),
        Partner.ContactMethod.POST: ("address", "Give a postal address" + otherwise),
    }
    if data.get("reminders", partner.reminders) not in Partner.Reminders.values:
        raise ValidationError({"reminders": "Choose when you would like to be reminded."})
    contact = data.get("preferred_contact", partner.preferred_contact)
    if contact not in needs_detail and contact != Partner.ContactMethod.LINK_WORKER:
        raise ValidationError({"preferred_contact": "Choose how you would like us to contact you."})
    field, message = needs_detail.get(contact, ("email", ""))
    if message and not values[field]:
        raise ValidationError({field: message})
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            raise ValidationError({"email": "Enter an e-mail address like name@example.org."}) from None
    if values["email"] and Partner.objects.filter(email__iexact=values["email"], erased_at__isnull=True) \
            .exclude(pk=partner.pk).exists():
        raise ValidationError({"email": "Someone else already uses this e-mail address with us. "
                                        "Please give your own, or ask the team for help."})
    return _apply(partner, data, by=by)


# --- Data protection ---
# Erasure anonymises a partner. Their personal details go, and so do the old versions
# of their record kept by django-simple-history (those hold the same details). What must
# be kept stays: status and training dates here, and through each app's eraser
# (participants.data_protection.ERASERS) the amounts and dates of claims and payments.
# The erasure itself is recorded: erased_at, erased_by, a status change and one
# version of the anonymised record naming who erased it.

ERASE_PERMISSION = "participants.delete_partner"
ERASED_NOTE = "Personal data erased"
RETENTION_ERASED_NOTE = "Personal data erased under the retention rule"
ERASURE_REQUEST_NOTE = "Asked us to delete their information"


def can_erase(user) -> bool:
    return is_staff_member(user) and user.has_perm(ERASE_PERMISSION)


def _same_name(typed: str, full_name: str) -> bool:
    return " ".join((typed or "").split()).casefold() == " ".join(full_name.split()).casefold()


def _delete_history(model, **filters) -> None:
    """Delete the saved versions of `model` rows matching `filters`, with their
    many-to-many versions (those point at the versions without a database constraint)."""
    history = model.history.model
    versions = history.objects.filter(**filters)
    for field in getattr(history, "_history_m2m_fields", []):
        m2m = apps.get_model(history._meta.app_label, f"{history.__name__}_{field.name}")
        m2m.objects.filter(history__in=versions.values("history_id")).delete()
    versions.delete()


def _erase_login(partner: Partner, by) -> None:
    """Close and anonymise the partner's login, unless it also serves another role
    (staff member, trustee, superuser): then it is only unlinked from the record."""
    user = partner.user
    if user is None:
        return
    if user.is_staff_member or user.is_trustee or user.is_superuser:
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


@transaction.atomic
def partner_erase(*, partner: Partner, by, confirm_name: str, note: str = ERASED_NOTE) -> Partner:
    """Erase a partner's personal data (see the block comment above). `confirm_name`
    must be their full name, as typed by the person erasing. `by` is None when the
    retention rule erases (participants/retention.py); `note` says why in their history."""
    if by is not None and not can_erase(by):
        raise PermissionDenied("You do not have permission to erase partners’ personal data.")
    partner = Partner.objects.select_for_update(of=("self",)).select_related("user").get(pk=partner.pk)
    if partner.is_erased:
        erased_on = timezone.localtime(partner.erased_at)
        raise ValidationError(f"This partner's personal data was already erased on {erased_on:%d %B %Y}.")
    if not _same_name(confirm_name, partner.full_name):
        raise ValidationError({"confirm_name": "That is not their full name. Type it exactly as it is "
                                               "shown above to confirm."})

    data_protection.run_erasers(partner, by)

    # Certificates, statements and exports are personal documents: rows and files go.
    reports = Report.objects.filter(partner=partner)
    files = [name for name in reports.values_list("file", flat=True) if name]
    reports.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])

    # E-mails to or about them hold their name, address and what was said; unsent ones go too.
    emails = OutgoingEmail.objects.filter(partner=partner)
    if partner.email:
        emails |= OutgoingEmail.objects.filter(to__iexact=partner.email)
    user = partner.user
    if user is not None and not (user.is_staff_member or user.is_trustee or user.is_superuser):
        emails |= OutgoingEmail.objects.filter(user=user)
    emails.delete()
    # Reminders and notices by text, letter or phone hold their number, address and the message.
    notices = Notice.objects.filter(partner=partner)
    if user is not None and not (user.is_staff_member or user.is_trustee or user.is_superuser):
        notices |= Notice.objects.filter(user=user)
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

    previous_status = partner.status
    now = timezone.now()
    erased = {
        "full_name": f"Erased partner {partner.pk}", "preferred_name": "", "pronouns": "", "email": "",
        "phone": "", "address": "", "interpreter_language": "", "access_notes": "", "benefit_check": False,
        "strengths": "", "skills": "", "interests": "", "availability": "", "user": None,
        "status": Partner.Status.LEFT, "erased_at": now, "erased_by": by,
    }
    model_update(instance=partner, data=erased, by=by, reason=note)
    StatusChange.objects.create(partner=partner, from_status=previous_status, to_status=Partner.Status.LEFT,
                                changed_at=now, changed_by=by, note=note)
    logger.info("partner %s: personal data erased by %s (%s)", partner.pk, by or "the system", note)
    return partner


@transaction.atomic
def partner_export_pdf_request(*, partner: Partner, by) -> Report:
    """Queue a PDF of everything held about `partner`, asked for by `by`.

    Whether it holds the sensitive fields (access needs, lived experience, benefit flag) is
    decided now, from who asks: the partner themselves and staff allowed to see sensitive
    data get them; other staff get a new copy without them, never a full one someone else
    made. Who may open the PDF follows from that (`Report.objects.visible_to`)."""
    own = partner_for(by)
    is_own = own is not None and own.pk == partner.pk
    if not (is_own or is_staff_member(by)):
        raise PermissionDenied("Only the partner and staff can make a copy of everything held about them.")
    return report_request(
        kind=Report.Kind.DATA_EXPORT, by=by, partner=partner,
        title="Everything we hold about you" if is_own else f"Everything we hold about {partner.full_name}",
        includes_sensitive_data=is_own or can_see_sensitive(by),
    )


def _erasure_reviewers(partner: Partner) -> list[str]:
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


@transaction.atomic
def partner_request_erasure(*, partner: Partner, by, message: str = "", review_url: str = "") -> StatusChange:
    """A partner asks for their information to be deleted. The request is kept on their
    record (a note in their status history) and the staff who can erase are e-mailed;
    the partner gets a copy if they agreed to be contacted. Staff carry it out."""
    if not is_own_record(by, partner):
        raise PermissionDenied("Only the partner can do this for themselves.")
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    message = (message or "").strip()
    if partner.is_erased:
        raise ValidationError("Your information has already been deleted.")
    if len(message) > 1000:
        raise ValidationError({"message": "Please keep your message to 1,000 characters or fewer."})
    change = StatusChange.objects.create(
        partner=partner, from_status=partner.status, to_status=partner.status, changed_at=timezone.now(),
        changed_by=by, note=ERASURE_REQUEST_NOTE,
    )
    organisation = Organisation.current()
    context = {"partner": partner, "message": message, "review_url": review_url, "organisation": organisation,
               "change": change}
    staff = _erasure_reviewers(partner)
    reply_to = partner.email or (partner.user.email if partner.user else "")
    if staff:
        notify.email_queue(
            kind="erasure_request", to=staff, partner=partner,
            subject=f"{partner.full_name} has asked us to delete their information",
            body=render_to_string("participants/email/erasure_request_staff.txt", context),
        )
    if reply_to:
        email_partner(
            partner, kind="erasure_request_received",
            subject=f"{organisation.name}: we have your request to delete your information",
            body=render_to_string("participants/email/erasure_request_received.txt", context),
        )
    logger.info("partner %s asked for erasure", partner.pk)
    return change
