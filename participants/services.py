"""Writes for people and partner records. Each function is one step: it
validates before saving, records who did it, and raises ValidationError with a
message people can act on. Each feature keeps its own block below."""

import datetime
import logging
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coprod import bounds
from coprod import notify
from coprod.changes import model_create
from coprod.changes import model_delete
from coprod.changes import model_save
from coprod.changes import model_update
from coprod.i18n import in_language
from coprod.models import Organisation
from coprod.models import Report
from coprod.reports import report_request
from coprod.roles import is_staff_member

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
from .rules import ERASE_PERMISSION  # noqa: F401 (where other modules have long found it)
from .rules import SENSITIVE_PERMISSION  # noqa: F401
from .rules import can_act_for
from .rules import can_erase
from .rules import can_see_sensitive
from .rules import is_own_record
from .rules import require_staff

logger = logging.getLogger(__name__)


# --- Partner records (staff) ---

PARTNER_M2M_FIELDS = ("access_needs", "lived_experience")
# Everything staff may set on a partner record through partner_create / partner_update.
PARTNER_FIELDS = (
    "full_name", "preferred_name", "pronouns", "email", "phone", "address", "preferred_contact",
    "strengths", "skills", "interests", "availability", "service", "link_worker", "payment_preference",
    "language", *Partner.SENSITIVE_FIELDS,
)


def _bounded(data: dict, errors: dict) -> dict:
    """`data` with each text checked against what its Partner field holds (problems go in `errors`)."""
    return {name: bounds.check_text(name, value, max_length=Partner._meta.get_field(name).max_length,
                                    errors=errors) if isinstance(value, str) else value
            for name, value in data.items()}


def _email_holder(email: str, partner: Partner | None) -> Partner | None:
    """Another partner (not erased) whose record has this e-mail address."""
    others = Partner.objects.filter(email__iexact=email, erased_at__isnull=True)
    return (others.exclude(pk=partner.pk) if partner is not None else others).first()


# The detail each way of being contacted needs: its field, its name, and what a partner is asked for.
CONTACT_NEEDS = {
    Partner.ContactMethod.EMAIL: ("email", gettext_lazy("e-mail address"), gettext_lazy("an e-mail address")),
    Partner.ContactMethod.PHONE: ("phone", gettext_lazy("phone number"), gettext_lazy("a phone number")),
    Partner.ContactMethod.TEXT: ("phone", gettext_lazy("phone number"), gettext_lazy("a mobile number for "
                                                                                     "texts")),
    Partner.ContactMethod.POST: ("address", gettext_lazy("postal address"), gettext_lazy("a postal address")),
}


def _missing_detail(data: dict, partner: Partner | None, contact: str) -> tuple[str, str, str] | None:
    """What `contact` needs (see CONTACT_NEEDS) when neither `data` nor the stored record has it."""
    need = CONTACT_NEEDS.get(contact)
    if need and not data.get(need[0], getattr(partner, need[0]) if partner else ""):
        return need
    return None


def partner_data_check(*, data: dict, partner: Partner | None, by) -> dict:
    """Check a partner's details as `partner_create` / `partner_update` do before saving,
    saving nothing (they, and the spreadsheet import's preview, call it). Answers the
    cleaned values."""
    unknown = set(data) - set(PARTNER_FIELDS)
    if unknown:
        raise ValueError(f"Not a partner detail staff can set: {', '.join(sorted(unknown))}")
    if set(data) & set(Partner.SENSITIVE_FIELDS) and not can_see_sensitive(by):
        raise PermissionDenied(_("Only staff allowed to see sensitive data can change access needs, "
                               "lived experience or the benefit check."))
    errors = {}
    data = _bounded(data, errors)
    # Only fields being set are checked, except the name a record cannot be without.
    if partner is None or "full_name" in data:
        if not data.get("full_name"):
            errors["full_name"] = _("Enter their full name. Every other detail can be added later.")
    if data.get("email"):
        try:
            validate_email(data["email"])
        except ValidationError:
            errors["email"] = _("Enter an e-mail address in the form name@example.org, or leave it empty.")
        else:
            other = _email_holder(data["email"], partner)
            if other is not None:
                errors["email"] = (_("%(name)s already has this e-mail address. Each partner needs their "
                                     "own.")
                                   % {"name": other.full_name})
    contact = data.get("preferred_contact", partner.preferred_contact if partner else "")
    if partner is None and contact == Partner.ContactMethod.EMAIL and not any(
            data.get(name) for name in ("email", "phone", "address")):
        # A name alone is a whole record: with no way to reach them, staff go through their link worker.
        contact = data["preferred_contact"] = Partner.ContactMethod.LINK_WORKER
    if missing := _missing_detail(data, partner, contact):
        what = missing[1]
        errors["preferred_contact"] = _(
            "They prefer %(way)s, but there is no %(detail)s on their record. Add their %(detail)s or choose "
            "another way to contact them.") % {
                "way": Partner.ContactMethod(contact).label.lower(), "detail": what}
    if problem := _language_problem(data):
        errors["language"] = problem
    link_worker = data.get("link_worker")
    if link_worker is not None and not is_staff_member(link_worker):
        errors["link_worker"] = _("The link worker must be a member of staff.")
    if errors:
        raise ValidationError(errors)
    return data


def _language_problem(data: dict) -> str | None:
    """What is wrong with the language in `data`, if anything: coprod must speak it."""
    if data.get("language", "") in {"", *(code for code, _name in settings.LANGUAGES)}:
        return None
    return _("Choose one of the languages in the list.")


def _apply(partner: Partner, data: dict, *, by) -> list[str]:
    """Set `data` on `partner` and save (see `_apply_fields`). A partner's language is their
    login's too, so that their portal and what is sent to them agree. Answers the names changed."""
    changed = _apply_fields(partner, data, by=by)
    if "language" in data and partner.user_id is not None:
        user_changed = model_update(instance=partner.user, data={"language": data["language"]}, by=by)
        if user_changed and "language" not in changed:
            changed.append("language")
    return changed


def _apply_fields(partner: Partner, data: dict, *, by) -> list[str]:
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
    require_staff(by)
    if status not in Partner.Status.values:
        raise ValidationError({"status": _("Choose where they are in their journey.")})
    data = partner_data_check(data=data, partner=None, by=by)
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
    require_staff(by)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.is_erased:
        raise ValidationError(_("This partner's details were erased; they can no longer be changed."))
    data = partner_data_check(data=data, partner=partner, by=by)
    return _apply(partner, data, by=by)


@transaction.atomic
def partner_change_status(*, partner: Partner, status: str, note: str = "", by) -> StatusChange:
    """Move a partner along their journey (enquiry → induction → active → paused → left),
    recording who and when; the partner is told by e-mail if they agreed to be contacted."""
    require_staff(by)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    note = (note or "").strip()
    if status not in Partner.Status.values:
        raise ValidationError({"status": _("Choose one of the statuses in the list.")})
    if partner.is_erased:
        raise ValidationError(_("This partner's details were erased; their status can no longer change."))
    if status == partner.status:
        raise ValidationError({"status": _("Their status is already %(status)s.") % {
            "status": partner.get_status_display()}})
    if len(note) > StatusChange._meta.get_field("note").max_length:
        raise ValidationError({"note": _("Keep the note to 300 characters or fewer.")})
    change = StatusChange.objects.create(
        partner=partner, from_status=partner.status, to_status=status, changed_by=by,
        changed_at=timezone.now(), note=note,
    )
    model_update(instance=partner, data={"status": status}, by=by)
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
    with in_language(partner.language):
        subject = _("%(organisation)s: your involvement is now %(status)s") % {
            "organisation": organisation.name, "status": change.get_to_status_display().lower()}
        body = render_to_string("participants/email/status_change.txt", context)
    return email_partner(partner, kind="partner_status_changed", subject=subject, body=body) is not None


# --- Access needs and lived-experience areas (the editable lists) ---


def _clean_name(name: str, *, model, instance, noun: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter a name for the %(thing)s.") % {"thing": noun}})
    limit = model._meta.get_field("name").max_length
    if len(name) > limit:
        raise ValidationError({"name": _("Keep the name to %(limit)s characters or fewer.") % {
            "limit": limit}})
    clash = model.objects.filter(name__iexact=name)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError({"name": _("There is already an %(thing)s called “%(name)s”.") % {
            "thing": noun, "name": name}})
    return name


def _vocabulary_save(model, instance, *, noun: str, by, **fields):
    """Add a word to one of the lists (`instance` None) or change one, checking its name."""
    require_staff(by)
    fields["name"] = _clean_name(fields["name"], model=model, instance=instance, noun=noun)
    done = "created" if instance is None else "changed"
    if instance is None:
        instance = model.objects.create(**fields)
    else:
        model_update(instance=instance, data=fields, by=by)
    logger.info("%s %s %s by %s", model._meta.verbose_name, instance.pk, done, by)
    return instance


@transaction.atomic
def access_need_create(*, name: str, description: str = "", order: int = 0, by) -> AccessNeed:
    return _vocabulary_save(AccessNeed, None, noun=_("access need"), by=by, name=name,
                            description=(description or "").strip(), order=order)


@transaction.atomic
def access_need_update(*, access_need: AccessNeed, name: str, description: str = "", order: int = 0,
                       by) -> AccessNeed:
    return _vocabulary_save(AccessNeed, access_need, noun=_("access need"), by=by, name=name,
                            description=(description or "").strip(), order=order)


@transaction.atomic
def lived_experience_area_create(*, name: str, by) -> LivedExperienceArea:
    return _vocabulary_save(LivedExperienceArea, None, noun=_("area"), by=by, name=name)


@transaction.atomic
def lived_experience_area_update(*, area: LivedExperienceArea, name: str, by) -> LivedExperienceArea:
    return _vocabulary_save(LivedExperienceArea, area, noun=_("area"), by=by, name=name)


# --- Invitations ------------------------------------------------------------
# Nobody signs themselves up: a staff invitation by e-mail is the only way to get
# a login. The link expires, can be revoked and re-sent, and accepting it either
# creates the login or adds the role to the person's existing login.

INVITATION_DAYS = 14
INVITATION_MAX_DAYS = bounds.INVITATION_MAX_DAYS

# What stops a pending invitation being accepted by whoever opened the link.
INVITATION_PROBLEMS = {
    "expired": gettext_lazy("This invitation has run out. Please ask the team to send you a new one."),
    "revoked": gettext_lazy("This invitation has been cancelled. Please ask the team if you think this is a "
                            "mistake."),
    "accepted": gettext_lazy("This invitation has already been used. If it was you, sign in with your "
                             "e-mail address."),
    "wrong_user": (gettext_lazy("You are signed in as %(user)s, but this invitation is for %(email)s. "
                   "Sign out, then open the link again.")),
    "sign_in_first": (gettext_lazy("There is already a login for %(email)s. Sign in first, then open the "
                                   "link "
                      "again to add this to your login.")),
}


# The flag on a login that each role other than partner gives.
ROLE_FLAGS = {Invitation.Role.STAFF: "is_staff_member", Invitation.Role.TRUSTEE: "is_trustee"}


def _has_role(user, role: str) -> bool:
    if role in ROLE_FLAGS:
        return getattr(user, ROLE_FLAGS[role])
    return Partner.objects.filter(user=user).exists()


def _check_can_invite(*, email: str, role: str, partner: Partner | None,
                      invitation: Invitation | None = None) -> None:
    """The rules shared by a new invitation and re-sending an old one."""
    others = Invitation.objects.pending()
    if invitation is not None:
        others = others.exclude(pk=invitation.pk)
    if others.filter(email__iexact=email).exists():
        raise ValidationError(
            _("An invitation to %(email)s is already waiting to be accepted. Re-send or revoke that one "
              "instead.")
            % {"email": email}
        )
    existing = Invitation.login_with_email(email)
    if existing is not None and _has_role(existing, role):
        raise ValidationError(
            _("%(email)s already signs in as a %(role)s: no invitation is needed.") % {
                "email": email, "role": Invitation.Role(role).label.lower()}
        )
    if partner is None:
        return
    if partner.is_erased:
        raise ValidationError(_("This partner's personal data has been erased."))
    if partner.user_id is not None:
        raise ValidationError(_("%(partner)s already has a login (%(email)s).") % {
            "partner": partner, "email": partner.user.email})
    if others.filter(partner=partner).exists():
        raise ValidationError(
            _("%(partner)s already has an invitation waiting to be accepted. Re-send or revoke that one "
              "instead.")
            % {"partner": partner}
        )
    if contact_withdrawn(partner):
        raise ValidationError(_("%(partner)s has withdrawn consent to be contacted, so we cannot e-mail "
                                "them.")
                              % {"partner": partner})


@transaction.atomic
def invitation_create(*, email: str, full_name: str, role: str, partner: Partner | None = None, by,
                      days_valid: int = INVITATION_DAYS) -> Invitation:
    """Record an invitation (not yet sent). A partner invitation names the partner
    record the login will be linked to; without one, a new record is created for a
    brand-new partner, starting at induction."""
    require_staff(by)
    email = (email or "").strip().lower()
    full_name = " ".join((full_name or "").split())
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter the e-mail address the invitation should go to.")}) from None
    if not full_name:
        raise ValidationError({"full_name": _("Enter the name of the person you are inviting.")})
    if role not in Invitation.Role.values:
        raise ValidationError({"role": _("Choose whether they join as a partner, a trustee or staff.")})
    if not 1 <= days_valid <= INVITATION_MAX_DAYS:
        raise ValidationError({"days_valid": _("The link can work for 1 to %(most)s days.") % {
            "most": INVITATION_MAX_DAYS}})
    if partner is not None and role != Invitation.Role.PARTNER:
        raise ValidationError({"role": _("A partner's record can only be linked to a partner invitation.")})
    if partner is not None:
        partner = Partner.objects.select_for_update(of=("self",)).select_related("user").get(pk=partner.pk)
    _check_can_invite(email=email, role=role, partner=partner)

    if role == Invitation.Role.PARTNER and partner is None:
        same = _email_holder(email, None)
        if same is not None:
            raise ValidationError(
                _("%(partner)s already has a partner record with this e-mail address: invite them from "
                  "their page.")
            % {"partner": same}
            )
        partner = model_create(
            Partner, by=by, full_name=full_name, email=email, status=Partner.Status.INDUCTION)
        StatusChange.objects.create(partner=partner, to_status=Partner.Status.INDUCTION, changed_by=by,
                                    note="Invited to sign in.")
    invitation = model_create(Invitation, by=by, email=email, full_name=full_name, role=role, partner=partner,
                              token=secrets.token_urlsafe(32), created_by=by,
                              expires_at=timezone.now() + timedelta(days=days_valid))
    return invitation


@transaction.atomic
def invitation_send(*, invitation: Invitation, by, request_or_base_url: HttpRequest | str) -> Invitation:
    """E-mail the link to a pending invitation, in plain English, naming the
    organisation and who invited them."""
    require_staff(by)
    # Lock only the invitation: PostgreSQL cannot lock the nullable side of an outer join.
    invitation = (Invitation.objects.select_for_update(of=("self",))
                  .select_related("created_by", "partner").get(pk=invitation.pk))
    if invitation.state != "pending":
        raise ValidationError(_("This invitation is %(state)s, so it cannot be sent.") % {
            "state": Invitation.state_label(invitation.state)})
    if invitation.partner is not None and contact_withdrawn(invitation.partner):
        raise ValidationError(
            _("%(partner)s has withdrawn consent to be contacted, so we cannot e-mail them.")
            % {"partner": invitation.partner}
        )
    context = {
        "invitation": invitation,
        "organisation": Organisation.current().name,
        "inviter": invitation.created_by or by,
        "url": invitation.accept_url(request_or_base_url),
        "expires_on": timezone.localtime(invitation.expires_at),
    }
    # In the language on their partner record, if they have one (else the default language).
    with in_language(invitation.partner.language if invitation.partner is not None else ""):
        subject = render_to_string("participants/email/invitation_subject.txt", context)
        body = render_to_string("participants/email/invitation_message.txt", context)
    # Queued with the invitation: if the mail server fails, the invitation is kept and the
    # e-mail retried (staff see a failure in the partner's "Messages sent" and the admin).
    queued = notify.email_queue(
        kind="invitation", to=[invitation.email], partner=invitation.partner, secret=True,
        subject=subject, body=body,
    )
    if queued is None:
        raise ValidationError(_("“%(email)s” is not an e-mail address we can send to.") % {
            "email": invitation.email})
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
    require_staff(by)
    invitation = invitation_create(email=email, full_name=full_name, role=role, partner=partner, by=by,
                                   days_valid=days_valid)
    return invitation_send(invitation=invitation, by=by, request_or_base_url=request_or_base_url)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by, request_or_base_url: HttpRequest | str,
                      days_valid: int = INVITATION_DAYS) -> Invitation:
    """Send the link again. An expired invitation gets `days_valid` more days from now."""
    require_staff(by)
    invitation = (Invitation.objects.select_for_update(of=("self",))
                  .select_related("partner__user").get(pk=invitation.pk))
    state = invitation.state
    if state == "accepted":
        raise ValidationError(_("%(name)s has already accepted this invitation.") % {
            "name": invitation.full_name})
    if state == "revoked":
        raise ValidationError(_("This invitation was revoked, so it cannot be sent again. Invite them "
                                "afresh."))
    _check_can_invite(email=invitation.email, role=invitation.role, partner=invitation.partner,
                      invitation=invitation)
    if not 1 <= days_valid <= INVITATION_MAX_DAYS:
        raise ValidationError({"days_valid": _("The link can work for 1 to %(most)s days.") % {
            "most": INVITATION_MAX_DAYS}})
    if state == "expired":
        model_update(instance=invitation, by=by,
                     data={"expires_at": timezone.now() + timedelta(days=days_valid)})
    return invitation_send(invitation=invitation, by=by, request_or_base_url=request_or_base_url)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    """Stop the link working, whether it is still pending or has expired."""
    require_staff(by)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("%(name)s has already accepted this invitation, so it cannot be revoked.") % {
                "name": invitation.full_name}
        )
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was already revoked."))
    model_update(instance=invitation, data={"revoked_at": timezone.now(), "revoked_by": by}, by=by)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str | None, by=None):
    """Accept an invitation and return the login it gives.

    `by` is whoever is signed in (None or anonymous for a newcomer). A newcomer
    gets a new login with `password`, or with no usable password when they
    prefer a sign-in code by e-mail. Someone who already has a login must be
    signed in as that login: the invited role is added to it, never a second login.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    situation = invitation.situation_for(by)
    if situation not in ("new_login", "add_role"):
        raise ValidationError(INVITATION_PROBLEMS[situation] % {
            "user": getattr(by, "email", ""), "email": invitation.email,
        })
    partner = None
    if invitation.role == Invitation.Role.PARTNER:
        if invitation.partner_id is None:
            raise ValidationError(_("This invitation is not linked to a partner record. "
                                  "Please ask the team to send a new one."))
        partner = Partner.objects.select_for_update().get(pk=invitation.partner_id)
        if partner.is_erased or (partner.user_id is not None and partner.user_id != getattr(by, "pk", None)):
            raise ValidationError(_("This invitation can no longer be used. "
                                  "Please ask the team to send a new one."))
        if situation == "add_role" and Partner.objects.filter(user=by).exclude(pk=partner.pk).exists():
            raise ValidationError(_("Your login is already linked to another partner record. "
                                  "Please ask the team to sort this out."))

    if situation == "new_login":
        # A partner's login speaks the language on their record.
        user = get_user_model()(email=invitation.email, full_name=invitation.full_name,
                                language=partner.language if partner is not None else "")
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

    flag = ROLE_FLAGS.get(invitation.role)
    if flag and not getattr(user, flag):
        setattr(user, flag, True)
        user.save(update_fields=[flag])
    elif partner is not None:
        # The login's address fills in a partner record without one.
        model_update(instance=partner, data={"user": user, "email": partner.email or user.email}, by=user)

    model_update(instance=invitation, data={"accepted_at": timezone.now(), "accepted_user": user}, by=user)
    return user


# --- Consent and training ---------------------------------------------------
# Consent: partners agree to the latest wording of each topic and may withdraw at
# any time; staff record either on a partner's behalf. Training: completions of
# courses by partners and staff, with the expiry worked out from the course.

def _refuse_erased(partner: Partner) -> None:
    if partner.is_erased:
        raise ValidationError(_("This partner's personal data has been erased."))


@transaction.atomic
def consent_give(*, partner: Partner, statement: ConsentStatement, by) -> Consent:
    """Record the partner's agreement to `statement`, which must be the latest
    wording of its topic and not already agreed to."""
    if not can_act_for(by, partner):
        raise PermissionDenied(_("Only the partner or staff can agree on their behalf."))
    _refuse_erased(partner)
    latest = ConsentStatement.objects.current(statement.topic)
    if latest is None or latest.pk != statement.pk:
        raise ValidationError(
            _("These words about “%(topic)s” have been replaced by newer ones. Please read the newest "
              "version.")
            % {"topic": statement.get_topic_display()}
        )
    # Lock the partner row so two quick clicks cannot record two agreements.
    Partner.objects.select_for_update().filter(pk=partner.pk).first()
    if Consent.objects.in_force().filter(partner=partner, statement=statement).exists():
        raise ValidationError(_("“%(topic)s” is already agreed.") % {"topic": statement.get_topic_display()})
    consent = model_create(
        Consent, by=by, partner=partner, statement=statement, agreed_at=timezone.now(), recorded_by=by)
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, by) -> Consent:
    """Withdraw an agreement from now on. What was done before stays as it was."""
    consent = Consent.objects.select_for_update(of=("self",)).select_related("statement").get(pk=consent.pk)
    if not can_act_for(by, consent.partner):
        raise PermissionDenied(_("Only the partner or staff can withdraw their agreement."))
    if consent.withdrawn_at is not None:
        raise ValidationError(_("“%(topic)s” was already withdrawn.") % {
            "topic": consent.statement.get_topic_display()})
    model_update(instance=consent, data={"withdrawn_at": timezone.now(), "withdrawn_by": by}, by=by)
    return consent


@transaction.atomic
def consent_statement_publish(*, topic: str, wording: str, wording_cy: str = "", by) -> ConsentStatement:
    """Publish a new version of a topic's wording (and its Welsh version, if there is one).
    Agreements to earlier versions stop counting: every partner has to agree to the new words."""
    require_staff(by)
    if topic not in ConsentStatement.Topic.values:
        raise ValidationError({"topic": _("Choose one of the consent topics.")})
    wording = (wording or "").strip()
    if len(wording) < 20:
        raise ValidationError(
            {"wording": _("Write the full wording partners agree to (at least 20 characters).")}
        )
    current = ConsentStatement.objects.current(topic)
    if current and " ".join(current.wording.split()) == " ".join(wording.split()):
        raise ValidationError({"wording": _("This is the same as the current wording: change it or keep "
                                            "it.")})
    return model_create(ConsentStatement, by=by, topic=topic, version=(current.version + 1) if current else 1,
                        wording=wording, wording_cy=bounds.check_text("wording_cy", wording_cy),
                        effective_from=timezone.localdate())


@transaction.atomic
def consent_statement_set_welsh(*, statement: ConsentStatement, wording_cy: str, by) -> list[str]:
    """Add, change or remove the Welsh version of a wording. The words agreed to stay the same,
    so, unlike publishing new wording, nobody has to agree again. Answers the fields changed."""
    require_staff(by)
    wording_cy = bounds.check_text("wording_cy", wording_cy)
    return model_update(instance=statement, data={"wording_cy": wording_cy}, by=by)


@transaction.atomic
def training_record(*, course: Course, partner: Partner | None = None, user=None,
                    completed_on: datetime.date, by) -> TrainingRecord:
    """Record that a partner or a staff member completed a course; it expires
    `valid_for_months` later when the course needs refreshing."""
    require_staff(by)
    if (partner is None) == (user is None):
        raise ValidationError(_("Choose either a partner or a staff member, not both."))
    if partner is not None:
        _refuse_erased(partner)
    if user is not None and not user.is_staff_member:
        raise ValidationError({"user": _("Only staff members' training is recorded here.")})
    if completed_on is None:
        raise ValidationError({"completed_on": _("Enter the date it was completed.")})
    bounds.TRAINING_COMPLETED.check("completed_on", completed_on)
    if TrainingRecord.objects.filter(course=course, partner=partner, user=user,
                                     completed_on=completed_on).exists():
        raise ValidationError(_("This completion is already recorded."))
    record = model_create(
        TrainingRecord, by=by, course=course, partner=partner, user=user, completed_on=completed_on,
        expires_on=course.expiry_for(completed_on), recorded_by=by)
    return record


@transaction.atomic
def training_record_delete(*, record: TrainingRecord, by) -> None:
    """Remove a completion recorded by mistake (the history keeps who removed it)."""
    require_staff(by)
    model_delete(record, by=by)


COURSE_FIELDS = ["name", "description", "valid_for_months", "required_for_partners", "required_for_staff"]


def _validate_course(data: dict, course: Course | None = None) -> None:
    name = (data.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the course a name.")})
    same_name = Course.objects.filter(name__iexact=name)
    if course is not None:
        same_name = same_name.exclude(pk=course.pk)
    if same_name.exists():
        raise ValidationError({"name": _("There is already a course with this name.")})
    months = data.get("valid_for_months")
    if months is not None and not 1 <= months <= 120:
        raise ValidationError({"valid_for_months": _("Between 1 and 120 months, or empty if it never "
                                                     "expires.")})


def _course_save(course: Course, data: dict, *, by, update_fields: list[str] | None = None) -> Course:
    for field in COURSE_FIELDS:
        setattr(course, field, data.get(field))
    course.name = course.name.strip()
    course.description = course.description or ""
    return model_save(course, by=by, update_fields=update_fields)


@transaction.atomic
def course_create(*, data: dict, by) -> Course:
    require_staff(by)
    _validate_course(data)
    return _course_save(Course(), data, by=by)


@transaction.atomic
def course_update(*, course: Course, data: dict, by) -> Course:
    """Change a course. Expiry dates already recorded stay as they were worked out."""
    require_staff(by)
    _validate_course(data, course)
    # Saved whatever it held: the form may already have written the new values into `course`.
    return _course_save(course, data, by=by, update_fields=COURSE_FIELDS)


OWN_DETAILS_FIELDS = ["preferred_name", "pronouns", "phone", "email", "address", "preferred_contact",
                      "access_needs", "interpreter_language", "access_notes", "availability", "reminders",
                      "language"]


@transaction.atomic
def partner_update_own_details(*, partner: Partner, data: dict, by) -> list[str]:
    """A partner changes their own contact details, access needs and availability.
    Only these fields can change; the history names `by`. Answers the fields changed."""
    if not is_own_record(by, partner):
        raise PermissionDenied(_("Only the partner can do this for themselves."))
    # Compare with what is stored, not with an instance a form may already have changed.
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    _refuse_erased(partner)
    unknown = set(data) - set(OWN_DETAILS_FIELDS)
    if unknown:
        raise ValidationError(_("These details cannot be changed here: %(names)s.") % {
            "names": ", ".join(sorted(unknown))})
    errors = {}
    data = _bounded(data, errors)
    if errors:
        raise ValidationError(errors)
    if problem := _language_problem(data):
        raise ValidationError({"language": problem})
    if data.get("reminders", partner.reminders) not in Partner.Reminders.values:
        raise ValidationError({"reminders": _("Choose when you would like to be reminded.")})
    contact = data.get("preferred_contact", partner.preferred_contact)
    if contact not in CONTACT_NEEDS and contact != Partner.ContactMethod.LINK_WORKER:
        raise ValidationError({"preferred_contact": _("Choose how you would like us to contact you.")})
    if missing := _missing_detail(data, partner, contact):
        raise ValidationError({missing[0]: _("Give %(detail)s, or choose another way to contact you.") % {
            "detail": missing[2]}})
    email = data.get("email", partner.email)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("Enter an e-mail address like name@example.org.")}) from None
    if email and _email_holder(email, partner) is not None:
        raise ValidationError({"email": _("Someone else already uses this e-mail address with us. "
                                        "Please give your own, or ask the team for help.")})
    return _apply(partner, data, by=by)



@transaction.atomic
def partner_language_set(*, person, language: str, by) -> None:
    """A partner who signs in chose a language (coprod.i18n.person_language_set): what is sent
    to them (notices, letters, PDFs) goes in it from now on. Nothing for a login without a
    partner record, or one whose record was erased."""
    partner = Partner.objects.select_for_update().filter(user=person, erased_at__isnull=True).first()
    if partner is None:
        return
    if by is not None and not is_own_record(by, partner):
        raise PermissionDenied("Only the partner can do this for themselves.")
    model_update(instance=partner, data={"language": language}, by=by)


# --- Data protection ---
# Erasure anonymises a partner. Their personal details go, and so do the old versions
# of their record kept by django-simple-history (those hold the same details). What must
# be kept stays: status and training dates here (data_protection.erase_own_records says
# what goes), and through each app's eraser (coprod.registry.data_erasers) the amounts
# and dates of claims and payments.
# The erasure itself is recorded: erased_at, erased_by, a status change and one
# version of the anonymised record naming who erased it.

ERASED_NOTE = "Personal data erased"
RETENTION_ERASED_NOTE = "Personal data erased under the retention rule"
ERASURE_REQUEST_NOTE = "Asked us to delete their information"


def _same_name(typed: str, full_name: str) -> bool:
    return " ".join((typed or "").split()).casefold() == " ".join(full_name.split()).casefold()


@transaction.atomic
def partner_erase(*, partner: Partner, by, confirm_name: str, note: str = ERASED_NOTE) -> Partner:
    """Erase a partner's personal data (see the block comment above). `confirm_name`
    must be their full name, as typed by the person erasing. `by` is None when the
    retention rule erases (participants/retention.py); `note` says why in their history."""
    if by is not None and not can_erase(by):
        raise PermissionDenied(_("You do not have permission to erase partners’ personal data."))
    partner = Partner.objects.select_for_update(of=("self",)).select_related("user").get(pk=partner.pk)
    if partner.is_erased:
        erased_on = timezone.localtime(partner.erased_at)
        raise ValidationError(_("This partner's personal data was already erased on %(date)s.") % {
            "date": date_format(erased_on, "d F Y")})
    if not _same_name(confirm_name, partner.full_name):
        raise ValidationError({"confirm_name": _("That is not their full name. Type it exactly as it is "
                                               "shown above to confirm.")})

    data_protection.run_erasers(partner, by)

    data_protection.erase_own_records(partner, by)

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
    is_own = is_own_record(by, partner)
    if not (is_own or is_staff_member(by)):
        raise PermissionDenied(_("Only the partner and staff can make a copy of everything held about them."))
    return report_request(
        kind=Report.Kind.DATA_EXPORT, by=by, partner=partner,
        title=_("Everything we hold about you") if is_own else _("Everything we hold about %(name)s") % {
            "name": partner.full_name},
        includes_sensitive_data=is_own or can_see_sensitive(by),
    )


@transaction.atomic
def partner_request_erasure(*, partner: Partner, by, message: str = "", review_url: str = "") -> StatusChange:
    """A partner asks for their information to be deleted. The request is kept on their
    record (a note in their status history) and the staff who can erase are e-mailed;
    the partner gets a copy if they agreed to be contacted. Staff carry it out."""
    if not is_own_record(by, partner):
        raise PermissionDenied(_("Only the partner can do this for themselves."))
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    message = (message or "").strip()
    if partner.is_erased:
        raise ValidationError(_("Your information has already been deleted."))
    if len(message) > 1000:
        raise ValidationError({"message": _("Please keep your message to 1,000 characters or fewer.")})
    change = StatusChange.objects.create(
        partner=partner, from_status=partner.status, to_status=partner.status, changed_at=timezone.now(),
        changed_by=by, note=ERASURE_REQUEST_NOTE,
    )
    organisation = Organisation.current()
    context = {"partner": partner, "message": message, "review_url": review_url, "organisation": organisation,
               "change": change}
    reply_to = partner.email or (partner.user.email if partner.user else "")
    # One e-mail per language the staff who hear of it chose.
    for language, staff in data_protection.erasure_reviewers_by_language(partner).items():
        with in_language(language):
            subject = _("%(name)s has asked us to delete their information") % {"name": partner.full_name}
            body = render_to_string("participants/email/erasure_request_staff.txt", context)
        notify.email_queue(kind="erasure_request", to=staff, partner=partner, subject=subject, body=body)
    if reply_to:
        with in_language(partner.language):
            subject = _("%(organisation)s: we have your request to delete your information") % {
                "organisation": organisation.name}
            body = render_to_string("participants/email/erasure_request_received.txt", context)
        email_partner(partner, kind="erasure_request_received", subject=subject, body=body)
    logger.info("partner %s asked for erasure", partner.pk)
    return change
