"""E-mails about claims: the partner hears of each step of their claim (in plain English,
on their own channel, when their consent to be contacted is in force), and a panel's staff
lead hears when a partner sends a claim (as `panels.reminders` tells them of other things).
Loading past claims (the demo's year of history) pauses them."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from coprod.models import Organisation
from panels.reminders import leads_tell
from panels.reminders import panel_leads
from participants.contact import contact_address
from participants.contact import email_partner

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


EMAIL_SUBJECTS = {
    "submitted": "we have your claim",
    "approved": "your claim has been agreed",
    "rejected": "about your claim",
    "returned": "please look at your claim again",
    "paid": "your claim has been paid",
    "withdrawn": "your claim has been cancelled",
}


@transaction.atomic
def claim_notify(*, claim_id: int, event: str) -> bool:
    """E-mail the partner about a step of their claim, in plain English, if they have an
    e-mail address and their consent to be contacted is in force. Answers whether it was queued."""
    claim = Claim.objects.select_related("partner", "payment").get(pk=claim_id)
    partner = claim.partner
    if event not in EMAIL_SUBJECTS or contact_address(partner) is None:
        return False
    organisation = Organisation.current()
    context = {
        "partner": partner,
        "claim": claim,
        "organisation": organisation,
        "payment": getattr(claim, "payment", None),
    }
    return email_partner(
        partner, kind=f"claim_{event}",
        subject=f"{organisation.name}: {EMAIL_SUBJECTS[event]}",
        body=render_to_string(f"reciprocity/email/claim_{event}.txt", context),
    ) is not None


def claim_submitted_tell_lead(*, claim: Claim) -> int:
    """A partner sent a claim: the staff lead of the meeting's panel is told (for a claim
    that is not for a meeting, the partner's link worker). Answers how many were told."""
    partner = claim.partner
    if claim.meeting_id:
        staff, about = panel_leads(claim.meeting.panel), f"{claim.meeting.title} ({claim.meeting.panel.name})"
    else:
        worker = partner.link_worker
        staff, about = ([worker] if worker is not None and worker.is_active else []), ""
    base = settings.SITE_URL.rstrip("/")
    body = render_to_string("reciprocity/notices/claim_to_lead.txt", {
        "partner": partner, "claim": claim, "about": about, "organisation": Organisation.current(),
        "link": f"{base}{reverse('reciprocity:claim_detail', args=[claim.pk])}",
    }).strip()
    return leads_tell(staff=staff, kind="claim_submitted", subject=f"{partner.display_name} sent a claim for "
                      f"£{claim.total:,.2f}", body=body, about=partner)
