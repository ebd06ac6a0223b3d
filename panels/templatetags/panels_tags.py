"""Template tags of the panels app: small summaries shown on other apps' pages."""

from django import template
from django.db.models import F

from panels.models import Attendance, Meeting, Membership

register = template.Library()

# --- Panels, memberships, meetings, papers and attendance ---

PORTAL_HOME_MEETINGS = 3
RECENT_ATTENDANCE = 10


@register.simple_tag
def upcoming_meetings_for(partner) -> list[Meeting]:
    """The partner's next few meetings with their answer (one query), for their home page."""
    if partner is None:
        return []
    return list(
        Meeting.objects.visible_to_partner(partner).upcoming().with_answer_of(partner)
        .select_related("panel").order_by("starts_at", "pk")[:PORTAL_HOME_MEETINGS]
    )


WAITING_SHOWN = 10


@register.simple_tag
def meetings_to_answer_for(partner) -> list[Meeting]:
    """Meetings to come the partner has not yet said they will come to or not (one query),
    for "What to look at next" on their home page."""
    if partner is None:
        return []
    return list(
        Meeting.objects.visible_to_partner(partner).upcoming().with_answer_of(partner)
        .filter(my_status=Attendance.Status.INVITED)
        .select_related("panel").order_by("starts_at", "pk")[:WAITING_SHOWN]
    )


@register.simple_tag
def panel_memberships_of(partner) -> list[Membership]:
    """Every panel a partner is or was on, current first (one query), for staff."""
    return list(
        Membership.objects.filter(partner=partner).select_related("panel")
        .order_by(F("left_on").desc(nulls_first=True), "-joined_on", "pk")
    )


@register.simple_tag
def recent_attendance_of(partner) -> list[Attendance]:
    """The partner's most recent register lines of meetings already held (one query)."""
    return list(
        Attendance.objects.filter(partner=partner).filter(meeting__in=Meeting.objects.held())
        .select_related("meeting__panel").order_by("-meeting__starts_at", "-pk")[:RECENT_ATTENDANCE]
    )



# --- Proposals and protected staff time on a panel's page ---

PANEL_PROPOSALS_SHOWN = 10


@register.simple_tag
def proposals_of(panel) -> list:
    """The panel's latest proposals with their point counts (one query)."""
    from panels.models import Proposal

    return list(Proposal.objects.filter(panel=panel).for_list()[:PANEL_PROPOSALS_SHOWN])


@register.simple_tag
def staff_time_of(panel) -> dict:
    """Protected staff time on the panel per kind of work: all time and the last 12 months
    (one aggregate query)."""
    from datetime import timedelta

    from django.db.models import Q, Sum
    from django.utils import timezone

    from panels.models import StaffTime

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
