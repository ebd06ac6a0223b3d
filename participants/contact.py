"""May we contact this partner, and how: the one rule every message to a partner passes.

A partner is e-mailed only when their record is not erased, their agreement to the latest
wording on "Being contacted" is in force, and there is an address: the contact address on
their record, or else the one they sign in with. Every sender asks here and queues through
`email_partner`, which hands the message to the outbox (`coprod.notify`) and so to Celery
once the transaction commits.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from coprod import notify
from coprod.models import OutgoingEmail

from .models import ConsentStatement, Partner

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
