"""What the reciprocity app shows on a partner's pages: the claims and payments section of
the staff view of a partner (templates/reciprocity/_partner_payments.html: this tax year's
claims and what was paid, in three queries however many claims), and the claims not sent
yet (or sent back to put right) in "What to look at next" on their portal home."""

from django.db.models import Count
from django.db.models import Q
from django.utils import timezone

from . import benefits
from .models import Claim

SHOWN = 10


def partner_payments(partner) -> dict:
    start, end = benefits.tax_year_bounds(timezone.localdate())
    this_year = Q(activity_date__gte=start, activity_date__lte=end)
    claims = Claim.objects.of_partner(partner)
    counts = claims.aggregate(
        claim_count=Count("pk", filter=this_year),
        open_count=Count("pk", filter=Q(pk__in=Claim.objects.open().values("pk"))),
    )
    return {
        "claims": list(claims.for_list().filter(this_year).order_by("-activity_date", "-pk")[:SHOWN]),
        "totals": benefits.paid_totals(partner),
        **counts,
    }


def claims_to_finish(partner) -> dict:
    """The partner's claims not sent yet, or sent back to them to put right (one query), for
    "What to look at next"."""
    if partner is None:
        return {"items": []}
    return {"items": list(
        Claim.objects.of_partner(partner).filter(status__in=[Claim.Status.DRAFT, Claim.Status.RETURNED])
        .select_related("meeting", "activity_type").order_by("-created_at", "-pk")[:SHOWN]
    )}
