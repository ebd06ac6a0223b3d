"""The partner's own documents, rendered by a Celery worker (see coprod/reports.py):
a certificate of contribution and a statement of involvement for CVs and job
applications.

Each is written in the partner's own language (`partner.language`), whoever asks for it.
Consent is respected: their own words (quotes) appear only while their consent to
quotes is in force. Only what they took part in is listed; nothing about payments.
"""

from decimal import Decimal

from django.utils import timezone

from coprod.i18n import supported
from coprod.models import Report
from coprod.reports import register_renderer
from panels.models import Attendance
from panels.models import Membership

from .models import Claim
from .models import Recognition


def _involvement(partner) -> dict:
    """Meetings attended (with hours), other paid activities, panels, training and recognitions."""
    attended = list(
        Attendance.objects.filter(partner=partner, status=Attendance.Status.ATTENDED)
        .select_related("meeting__panel")
        .order_by("meeting__starts_at")
    )
    meetings = [
        {
            "date": timezone.localdate(a.meeting.starts_at),
            "panel": a.meeting.panel.name,
            "title": a.meeting.title,
            "meeting": a.meeting,  # its title in the partner's language: `|welsh_text:"title"`
            "hours": a.hours if a.hours is not None else a.meeting.duration_hours,
        }
        for a in attended
    ]
    activities = list(
        Claim.objects.filter(
            partner=partner, meeting__isnull=True, status__in=[Claim.Status.APPROVED, Claim.Status.PAID]
        )
        .order_by("activity_date")
        .values("activity", "activity_date", "hours")
    )
    memberships = list(
        Membership.objects.filter(partner=partner).select_related("panel").order_by("joined_on", "pk")
    )
    training = list(partner.training.select_related("course").order_by("completed_on", "pk"))
    recognitions = list(Recognition.objects.filter(partner=partner).order_by("given_on", "pk"))
    hours = sum((m["hours"] for m in meetings), Decimal("0")) + sum(
        (a["hours"] or Decimal("0") for a in activities), Decimal("0")
    )
    dates = (
        [m["date"] for m in meetings]
        + [a["activity_date"] for a in activities]
        + [m.joined_on for m in memberships]
    )
    return {
        "meetings": meetings,
        "activities": activities,
        "memberships": memberships,
        "training": training,
        "recognitions": recognitions,
        "hours": hours.quantize(Decimal("0.1")),
        "panel_count": len({m.panel_id for m in memberships} | {a.meeting.panel_id for a in attended}),
        "since": min(dates) if dates else None,
        "quotes_allowed": partner.has_consent("quotes"),
    }


def _context(partner) -> dict:
    # In the partner's own language (their record's choice), whoever asked for it.
    return {"partner": partner, "language": supported(partner.language), **_involvement(partner)}


def render_certificate(report: Report) -> tuple[str, dict]:
    """PDF renderer for `Report.Kind.CERTIFICATE`."""
    return "reciprocity/reports/certificate.html", _context(report.partner)


def render_statement(report: Report) -> tuple[str, dict]:
    """PDF renderer for `Report.Kind.STATEMENT`."""
    return "reciprocity/reports/statement.html", _context(report.partner)


def register() -> None:
    register_renderer(Report.Kind.CERTIFICATE, render_certificate)
    register_renderer(Report.Kind.STATEMENT, render_statement)
