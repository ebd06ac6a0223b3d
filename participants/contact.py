"""May we contact this partner, and how: the one home of that rule for every message to a
partner.

- Nobody is contacted after their personal data was erased, nor without their agreement to
  the latest wording on "Being contacted" in force.
- E-mail goes to the contact address on their record, or else the one they sign in with;
  `email_partner` hands it to the outbox (`coprod.notify`) and so to Celery once the
  transaction commits.
- For reminders and notices their preferred way decides the channel: e-mail; text message
  (to their phone); post (a letter to their postal address); a phone call (they go on the
  staff's call list). When the detail their choice needs is missing, the first of e-mail,
  text and letter they have a detail for is used instead; with none, they are not contacted
  (`partner_recipient`, sent by `coprod.notices`).
- How far ahead they are reminded of a meeting is their own choice (`Partner.reminders`),
  or the organisation's usual times (the MEETING_REMINDERS setting).
"""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.db.models import QuerySet

from coprod import notify
from coprod.models import Notice
from coprod.models import OutgoingEmail
from coprod.notices import Recipient
from coprod.notices import nobody

from .models import ConsentStatement
from .models import Partner

CONTACT = ConsentStatement.Topic.CONTACT


def _address(partner: Partner) -> str:
    return partner.email or (partner.user.email if partner.user_id else "")


def contactable_partners() -> QuerySet[Partner]:
    """The partners we may e-mail, as a queryset (for lists and `Exists` annotations)."""
    no_address = Q(email="") & (Q(user__isnull=True) | Q(user__email=""))
    return Partner.objects.filter(erased_at__isnull=True).consenting_to(CONTACT).exclude(no_address)


def contact_addresses(partners: Iterable[Partner]) -> dict[int, str]:
    """The address to e-mail each partner we may contact at, by partner id; partners we may
    not contact are left out. One query, however many partners."""
    partners = list(partners)
    allowed = set(contactable_partners().filter(pk__in=[partner.pk for partner in partners])
                  .values_list("pk", flat=True))
    return {partner.pk: _address(partner) for partner in partners if partner.pk in allowed}


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
        return "on the morning of the meeting"
    amount, unit = int(when[:-1]), when[-1]
    if unit == "d":
        return "the day before" if amount == 1 else f"{amount} days before"
    return "an hour before" if amount == 1 else f"{amount} hours before"


def usual_reminder_words() -> str:
    """The usual reminder times in words, e.g. "2 days before and on the morning of the meeting"."""
    words = [_time_words(when) for when in usual_reminder_times()]
    if not words:
        return "no reminders"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def reminder_times(partner: Partner) -> tuple[str, ...]:
    """When this partner wants to be reminded of a meeting, e.g. ("2d", "morning")."""
    return REMINDER_TIMES.get(partner.reminders, usual_reminder_times())


def consenting_ids(partners: Iterable[Partner]) -> set[int]:
    """The ids of those among `partners` whose consent to be contacted is in force (one query)."""
    ids = [partner.pk for partner in partners]
    if not ids:
        return set()
    return set(Partner.objects.filter(pk__in=ids).consenting_to(CONTACT).values_list("pk", flat=True))


def _address_lines(partner: Partner) -> tuple[str, ...]:
    lines = [line.strip(" ,") for line in partner.address.replace(",", "\n").splitlines()]
    return tuple([partner.full_name] + [line for line in lines if line])


def partner_recipient(partner: Partner, *, consenting: bool | None = None) -> Recipient:
    """How to reach `partner`, or a Recipient that is not reachable, saying why. `consenting`:
    whether their consent to be contacted is in force, when the caller already knows."""
    if partner.is_erased:
        return nobody("their personal data was erased", partner=partner)
    if consenting is None:
        consenting = partner.has_consent(CONTACT)
    if not consenting:
        return nobody("no consent to be contacted in force", partner=partner)
    if partner.preferred_contact == Partner.ContactMethod.LINK_WORKER:
        return nobody("reached through their link worker", partner=partner)
    details = {
        Notice.Channel.EMAIL: bool(partner.email),
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
    return Recipient(name=partner.display_name, channel=channel, email=partner.email, phone=partner.phone,
                     address=_address_lines(partner), partner=partner, user=partner.user)


def user_recipient(user) -> Recipient | None:
    """A partner's login is reached as the partner chose; staff and trustees are left to the
    core (by e-mail). Registered with `coprod.notices` in `AppConfig.ready()`."""
    if user is None or user.is_staff_member or user.is_trustee:
        return None
    partner = Partner.objects.filter(user=user).first()
    return partner_recipient(partner) if partner is not None else None
