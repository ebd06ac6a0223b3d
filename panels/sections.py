"""What the panels app shows on other pages: a partner's panels and meetings on
their staff page, their next meetings on their portal home, and a panel's
proposals and protected staff time on the panel's page. Each loads its data in a
fixed number of queries, so the views can pass it in."""

from datetime import timedelta

from django.db.models import F
from django.db.models import Q
from django.db.models import Sum
from django.utils import timezone

from .models import Attendance
from .models import Meeting
from .models import Membership
from .models import Panel
from .models import Proposal
from .models import StaffTime

PORTAL_HOME_MEETINGS = 3
RECENT_ATTENDANCE = 10
PANEL_PROPOSALS_SHOWN = 10


def partner_panels(partner) -> dict:
    """Every panel a partner is or was on, current first, and their most recent
    register lines of meetings already held (two queries), for staff."""
    return {
        "memberships": list(
            Membership.objects.filter(partner=partner).select_related("panel")
            .order_by(F("left_on").desc(nulls_first=True), "-joined_on", "pk")
        ),
        "attendance": list(
            Attendance.objects.filter(partner=partner).filter(meeting__in=Meeting.objects.held())
            .select_related("meeting__panel").order_by("-meeting__starts_at", "-pk")[:RECENT_ATTENDANCE]
        ),
    }


def next_meetings(partner) -> dict:
    """The partner's next few meetings with their answer (one query), for their home page."""
    if partner is None:
        return {"meetings": []}
    return {"meetings": list(
        Meeting.objects.visible_to_partner(partner).upcoming().with_answer_of(partner)
        .select_related("panel").order_by("starts_at", "pk")[:PORTAL_HOME_MEETINGS]
    )}


def panel_proposals(panel: Panel) -> list[Proposal]:
    """The panel's latest proposals with their point counts (one query)."""
    return list(Proposal.objects.filter(panel=panel).for_list()[:PANEL_PROPOSALS_SHOWN])


def panel_staff_time(panel: Panel) -> dict:
    """Protected staff time on the panel per kind of work: all time and the last 12
    months (one aggregate query)."""
    year_ago = timezone.localdate() - timedelta(days=364)
    labels = dict(StaffTime.Category.choices)
    rows = [
        {**row, "label": labels[row["category"]]}
        for row in StaffTime.objects.filter(panel=panel).order_by().values("category").annotate(
            total=Sum("hours"), last_year=Sum("hours", filter=Q(spent_on__gte=year_ago))
        ).order_by("category")
    ]
    return {"rows": rows, "hours": sum(row["total"] for row in rows),
            "last_year": sum(row["last_year"] or 0 for row in rows)}


WAITING_SHOWN = 10


def meetings_to_answer(partner) -> dict:
    """Meetings to come the partner has not yet said they will come to or not (one query),
    for "What to look at next" on their home page."""
    if partner is None:
        return {"items": []}
    return {"items": list(
        Meeting.objects.visible_to_partner(partner).upcoming().with_answer_of(partner)
        .filter(my_status=Attendance.Status.INVITED)
        .select_related("panel").order_by("starts_at", "pk")[:WAITING_SHOWN]
    )}
