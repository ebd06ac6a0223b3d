"""May we contact this partner, and how: the one home of that rule for every message to a
partner.

- Nobody is contacted after their personal data was erased, nor without their agreement to
  the latest wording on "Being contacted" in force.
- E-mail goes to the contact address on their record, or else the one they sign in with
  (`email_address`), for e-mails and notices alike; `email_partner` hands it to the outbox
  (`coprod.notify`) and so to Celery once the transaction commits.
- For reminders and notices their preferred way decides the channel: e-mail; text message
  (to their phone); post (a letter to their postal address); a phone call (they go on the
  staff's call list). When the detail their choice needs is missing, the first of e-mail,
  text and letter they have a detail for is used instead; with none, they are not contacted
  (`partner_recipient`, or `partner_recipients` for many in one query, sent by
  `coprod.notices`).
- How far ahead they are reminded of a meeting is their own choice (`Partner.reminders`),
  or the organisation's usual times (the MEETING_REMINDERS setting).
"""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coprod import notify
from coprod.models import Notice
from coprod.models import OutgoingEmail
from coprod.notices import Recipient
from coprod.notices import nobody

from .models import Consent
from .models import ConsentStatement
from .models import Partner

CONTACT = ConsentStatement.Topic.CONTACT


def email_address(partner: Partner, login_email: str | None = None) -> str:
    """The address to e-mail `partner` at, if we may: the contact address on their record, or
    else the one they sign in with (`login_email` when the caller already read it). The
    one rule for both e-mails (`contact_addresses`) and notices (`partner_recipients`)."""
    if partner.email:
        return partner.email
    if login_email is None:
        login_email = partner.user.email if partner.user_id else ""
    return login_email or ""


def contactable_partners() -> QuerySet[Partner]:
    """The partners we may e-mail, as a queryset (for lists and `Exists` annotations)."""
    no_address = Q(email="") & (Q(user__isnull=True) | Q(user__email=""))
    return Partner.objects.filter(erased_at__isnull=True).consenting_to(CONTACT).exclude(no_address)


def _may_contact(partners: list[Partner]) -> dict[int, str]:
    """Those among `partners` we may contact at all (not erased, consent to be contacted in
    force), with the address to e-mail them at ("" for none), by partner id. One query."""
    if not partners:
        return {}
    rows = (Partner.objects.filter(pk__in=[partner.pk for partner in partners], erased_at__isnull=True)
            .consenting_to(CONTACT).values_list("pk", "user__email"))
    login_emails = dict(rows)
    return {partner.pk: email_address(partner, login_emails[partner.pk] or "")
            for partner in partners if partner.pk in login_emails}


def contact_addresses(partners: Iterable[Partner]) -> dict[int, str]:
    """The address to e-mail each partner we may contact at, by partner id; partners we may
    not contact are left out. One query, however many partners."""
    return {pk: address for pk, address in _may_contact(list(partners)).items() if address}


def contact_withdrawn(partner: Partner) -> bool:
    """The partner agreed to be contacted and has since withdrawn it: we must not e-mail them.
    (Someone new has no consent recorded yet; an invitation is how they record it.)"""
    contact = Consent.objects.filter(partner=partner, statement__topic=CONTACT)
    return contact.exists() and not contact.in_force().exists()


def contact_address(partner: Partner | None) -> str | None:
    """The address to e-mail this partner at, or None when we may not contact them."""
    if partner is None:
        return None
    return contact_addresses([partner]).get(partner.pk)


def email_partner(partner: Partner | None, *, kind: str, subject: str, body: str,
                  address: str | None = None, **options) -> OutgoingEmail | None:
    """Queue an e-mail to the partner if we may contact them (see `contact_address`; pass
    `address` when it was already looked up with `contact_addresses`). Answers the queued
    message, or None when nothing was sent."""
    address = address or contact_address(partner)
    if address is None:
        return None
    return notify.email_queue(kind=kind, to=[address], partner=partner, subject=subject, body=body, **options)


_CHANNEL_OF = {
    Partner.ContactMethod.EMAIL: Notice.Channel.EMAIL,
    Partner.ContactMethod.TEXT: Notice.Channel.TEXT,
    Partner.ContactMethod.POST: Notice.Channel.LETTER,
    Partner.ContactMethod.PHONE: Notice.Channel.PHONE,
}

# When each choice reminds them of a meeting ("usual": the MEETING_REMINDERS setting).
REMINDER_TIMES = {
    Partner.Reminders.WEEK: ("7d", "1d"),
    Partner.Reminders.TWO_DAYS: ("2d",),
    Partner.Reminders.DAY_BEFORE: ("1d",),
    Partner.Reminders.MORNING: ("morning",),
    Partner.Reminders.NONE: (),
}


def usual_reminder_times() -> tuple[str, ...]:
    return tuple(part.strip() for part in settings.MEETING_REMINDERS.split(",") if part.strip())


def _time_words(when: str) -> str:
    if when == "morning":
        return _("on the morning of the meeting")
    amount, unit = int(when[:-1]), when[-1]
    if unit == "d":
        return _("the day before") if amount == 1 else ngettext(
            "%(count)d day before", "%(count)d days before", amount) % {"count": amount}
    return _("an hour before") if amount == 1 else ngettext(
        "%(count)d hour before", "%(count)d hours before", amount) % {"count": amount}


def usual_reminder_words() -> str:
    """The usual reminder times in words, e.g. "2 days before and on the morning of the meeting"."""
    words = [_time_words(when) for when in usual_reminder_times()]
    if not words:
        return _("no reminders")
    if len(words) == 1:
        return words[0]
    # Translators: the last two of a list of reminder times, e.g. "2 days before and on the morning…"
    return _("%(earlier)s and %(last)s") % {"earlier": ", ".join(words[:-1]), "last": words[-1]}


def reminder_times(partner: Partner) -> tuple[str, ...]:
    """When this partner wants to be reminded of a meeting, e.g. ("2d", "morning")."""
    return REMINDER_TIMES.get(partner.reminders, usual_reminder_times())


def _address_lines(partner: Partner) -> tuple[str, ...]:
    lines = [line.strip(" ,") for line in partner.address.replace(",", "\n").splitlines()]
    return tuple([partner.full_name] + [line for line in lines if line])


def _recipient(partner: Partner, address: str | None) -> Recipient:
    # `address`: where to e-mail them (see `email_address`), None when we may not contact them.
    if partner.is_erased:
        return nobody("their personal data was erased", partner=partner)
    if address is None:
        return nobody("no consent to be contacted in force", partner=partner)
    if partner.preferred_contact == Partner.ContactMethod.LINK_WORKER:
        return nobody("reached through their link worker", partner=partner)
    details = {
        Notice.Channel.EMAIL: bool(address),
        Notice.Channel.TEXT: bool(partner.phone),
        Notice.Channel.LETTER: bool(partner.address.strip()),
        Notice.Channel.PHONE: bool(partner.phone),
    }
    channel = _CHANNEL_OF.get(partner.preferred_contact, Notice.Channel.EMAIL)
    if not details[channel]:
        fallback = [each for each in (Notice.Channel.EMAIL, Notice.Channel.TEXT, Notice.Channel.LETTER)
                    if details[each]]
        if not fallback:
            return nobody("no e-mail address, phone number or postal address", partner=partner)
        channel = fallback[0]
    return Recipient(name=partner.display_name, channel=channel, email=address, phone=partner.phone,
                     address=_address_lines(partner), partner=partner, user=partner.user,
                     language=partner.language)


def partner_recipients(partners: Iterable[Partner]) -> dict[int, Recipient]:
    """How to reach each of `partners` (see `partner_recipient`), by partner id, in one
    query: a Recipient whose channel is e-mail carries the address `contact_addresses` gives."""
    partners = list(partners)
    may = _may_contact(partners)
    return {partner.pk: _recipient(partner, may.get(partner.pk)) for partner in partners}


def partner_recipient(partner: Partner) -> Recipient:
    """How to reach `partner`, or a Recipient that is not reachable, saying why."""
    return partner_recipients([partner])[partner.pk]


def user_recipient(user) -> Recipient | None:
    """A partner's login is reached as the partner chose; staff and trustees are left to the
    core (by e-mail). Registered with `coprod.notices` in `AppConfig.ready()`."""
    if user is None or user.is_staff_member or user.is_trustee:
        return None
    partner = Partner.objects.filter(user=user).first()
    return partner_recipient(partner) if partner is not None else None
