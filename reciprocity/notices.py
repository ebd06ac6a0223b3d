"""Notices about claims: the partner hears of each step of their claim in plain words, in
their own language and on their own channel (e-mail, text message, letter, or a call from
staff: `participants.contact.partner_recipient`), while their consent to be contacted is in
force; a panel's staff lead hears when a partner sends a claim (as `panels.reminders` tells
them of other things), in the lead's language. Loading past claims (the demo's year of
history) pauses them."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from coprod.i18n import in_language
from coprod.models import Notice
from coprod.models import Organisation
from coprod.money import pounds
from coprod.notices import notice_send
from coprod.notices import recipient_for_user
from panels.reminders import panel_leads
from participants.contact import partner_recipient

from .models import Claim

_quiet: ContextVar[bool] = ContextVar("reciprocity_quiet", default=False)


@contextmanager
def notifications_paused():
    """Record claims without e-mailing partners: for loading past claims (the demo's
    year of history), never for day-to-day work."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def paused() -> bool:
    """Whether notices are paused (`notifications_paused`)."""
    return _quiet.get()


def tell_partner(claim: Claim, event: str) -> None:
    if _quiet.get():
        return
    claim_notify(claim_id=claim.pk, event=event)


def _subject(event: str, organisation: str) -> str | None:
    """The subject of the notice about one step of a claim, in the active language."""
    subjects = {
        "submitted": _("%(organisation)s: we have your claim"),
        "approved": _("%(organisation)s: your claim has been agreed"),
        "rejected": _("%(organisation)s: about your claim"),
        "returned": _("%(organisation)s: please look at your claim again"),
        "paid": _("%(organisation)s: your claim has been paid"),
        "withdrawn": _("%(organisation)s: your claim has been cancelled"),
    }
    subject = subjects.get(event)
    return None if subject is None else subject % {"organisation": organisation}


EVENTS = ("submitted", "approved", "rejected", "returned", "paid", "withdrawn")


def _key(claim: Claim, event: str) -> str:
    # Once per step: the claim's latest history row names this step (a claim sent back and sent
    # again is told again).
    step = claim.history.values_list("history_id", flat=True).first()
    return f"claim-{event}:{claim.pk}:{step or ''}"


@transaction.atomic
def claim_notify(*, claim_id: int, event: str) -> bool:
    """Tell the partner about a step of their claim, in plain words and their own language, on
    their own channel (e-mail, text message, letter, or a call from staff), if their consent to
    be contacted is in force and they are not reached through their link worker. Answers
    whether it was queued."""
    if event not in EVENTS:
        return False
    claim = Claim.objects.select_related("partner__link_worker", "payment").get(pk=claim_id)
    partner = claim.partner
    recipient = partner_recipient(partner)
    if not recipient.reachable:
        return False
    organisation = Organisation.current()
    context = {
        "partner": partner,
        "claim": claim,
        "event": event,
        "organisation": organisation,
        "payment": getattr(claim, "payment", None),
        "recipient": recipient,
        "channel": recipient.channel,
    }
    short = recipient.channel in (Notice.Channel.TEXT, Notice.Channel.PHONE)
    template = "reciprocity/notices/claim_short.txt" if short else f"reciprocity/email/claim_{event}.txt"
    with in_language(recipient.language):
        subject = _subject(event, organisation.name)
        body = render_to_string(template, context).strip()
    return notice_send(recipient=recipient, kind=f"claim_{event}", subject=subject, body=body,
                       key=_key(claim, event), topic=f"claim:{claim.pk}", about=partner) is not None


def claim_submitted_tell_lead(*, claim: Claim) -> int:
    """A partner sent a claim: the staff lead of the meeting's panel is told (for a claim
    that is not for a meeting, the partner's link worker), each in their own language.
    Answers how many were told."""
    partner = claim.partner
    if claim.meeting_id:
        staff, about = panel_leads(claim.meeting.panel), f"{claim.meeting.title} ({claim.meeting.panel.name})"
    else:
        worker = partner.link_worker
        staff, about = ([worker] if worker is not None and worker.is_active else []), ""
    base = settings.SITE_URL.rstrip("/")
    context = {
        "partner": partner, "claim": claim, "about": about, "organisation": Organisation.current(),
        "link": f"{base}{reverse('reciprocity:claim_detail', args=[claim.pk])}",
    }
    told = 0
    for user in staff:
        recipient = recipient_for_user(user)
        with in_language(recipient.language):
            subject = _("%(partner)s sent a claim for %(amount)s") % {
                "partner": partner.display_name, "amount": pounds(claim.total)}
            body = render_to_string("reciprocity/notices/claim_to_lead.txt", context).strip()
        told += notice_send(recipient=recipient, kind="claim_submitted", subject=subject, body=body,
                            about=partner) is not None
    return told
