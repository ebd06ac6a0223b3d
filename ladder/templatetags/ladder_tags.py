"""Template tags of the ladder app: small summaries shown on other apps' pages."""

from django import template
from django.db.models import Count, F
from django.utils import timezone

from ladder.models import Respondent, Round

register = template.Library()

WAITING_SHOWN = 10


@register.simple_tag
def rounds_to_finish_for(partner) -> list[Respondent]:
    """Open rounds the partner was asked to answer and has not answered every area of
    (one query), each with `answered` and `area_count`, for their home page."""
    if partner is None:
        return []
    return list(
        Respondent.objects.filter(partner=partner, group=Respondent.Group.PARTNER,
                                  round__status=Round.Status.OPEN, round__closes_on__gte=timezone.localdate())
        .annotate(answered=Count("responses", distinct=True), area_count=Count("round__areas", distinct=True))
        .filter(answered__lt=F("area_count"))
        .select_related("round").order_by("round__closes_on", "round__pk")[:WAITING_SHOWN]
    )
