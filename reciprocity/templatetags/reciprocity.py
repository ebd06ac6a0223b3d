"""The claims and payments section of the staff view of a partner
(templates/reciprocity/_partner_payments.html): this tax year's claims and what
was paid, in a fixed number of queries."""

from django import template
from django.utils import timezone

from .. import benefits
from ..models import Claim
from ..models import pounds as format_pounds

register = template.Library()


@register.filter
def pounds(value) -> str:
    """`{{ amount|pounds }}` → £1,234.50"""
    return format_pounds(value)


SHOWN = 10


@register.simple_tag
def claims_to_finish_for(partner) -> list[Claim]:
    """The partner's claims not sent yet (one query), for "What to look at next"."""
    if partner is None:
        return []
    return list(
        Claim.objects.of_partner(partner).filter(status=Claim.Status.DRAFT)
        .select_related("meeting", "activity_type").order_by("-created_at", "-pk")[:SHOWN]
    )


@register.inclusion_tag("reciprocity/_partner_payments_body.html", takes_context=True)
def partner_payments(context, partner) -> dict:
    start, end = benefits.tax_year_bounds(timezone.localdate())
    claims = (
        Claim.objects.for_list()
        .of_partner(partner)
        .filter(activity_date__gte=start, activity_date__lte=end)
        .order_by("-activity_date", "-pk")
    )
    return {
        "partner": partner,
        "claims": list(claims[:SHOWN]),
        "claim_count": claims.count(),
        "totals": benefits.paid_totals(partner),
        "open_count": Claim.objects.of_partner(partner).open().count(),
        "request": context.get("request"),
    }
