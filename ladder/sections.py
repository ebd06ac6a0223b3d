"""What the ladder app shows on a partner's portal home: rounds they were asked to answer
and have not finished. Loaded in one query, so the view can pass it in."""

from django.db.models import Count
from django.db.models import F
from django.utils import timezone

from .models import Respondent
from .models import Round

WAITING_SHOWN = 10


def rounds_to_finish(partner) -> dict:
    """Open rounds the partner was asked to answer and has not answered every area of
    (one query), each with `answered` and `area_count`, for "What to look at next"."""
    if partner is None:
        return {"items": []}
    return {"items": list(
        Respondent.objects.filter(partner=partner, group=Respondent.Group.PARTNER,
                                  round__status=Round.Status.OPEN, round__closes_on__gte=timezone.localdate())
        .annotate(answered=Count("responses", distinct=True), area_count=Count("round__areas", distinct=True))
        .filter(answered__lt=F("area_count"))
        .select_related("round").order_by("round__closes_on", "round__pk")[:WAITING_SHOWN]
    )}
