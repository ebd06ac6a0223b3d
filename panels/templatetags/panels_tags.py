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
