"""What the panels app holds about a partner, for their data-subject export (see
participants/data_protection.py). Memberships and register lines hold no free text
about the partner, so erasure needs nothing here: they point to the anonymised
partner record, and the hours stay on the record."""

import datetime

from django.db.models import CharField, DateTimeField, DecimalField, F, Value
from django.db.models.functions import Cast

from .models import Attendance, Membership

# --- Panels, memberships, meetings, papers and attendance ---


def _date(value: datetime.datetime | None) -> datetime.date | None:
    """A date that went through the UNION as midnight UTC, back to the date it was."""
    return value.astimezone(datetime.UTC).date() if value is not None else None


def export_panels_and_meetings(partner) -> tuple[str, dict]:
    """The panels they are or were on, and every meeting they were on the register of.
    One query (a UNION of memberships and register lines) however much is held."""
    text, when = CharField(), DateTimeField()
    memberships = Membership.objects.filter(partner=partner).order_by().values_list(
        Value("panel", output_field=text), F("panel__name"), Value("", output_field=text), F("role"),
        Cast("joined_on", when), Cast("left_on", when),
        Value(None, output_field=DecimalField(max_digits=5, decimal_places=2)),
    )
    lines = Attendance.objects.filter(partner=partner).order_by().values_list(
        Value("meeting", output_field=text), F("meeting__panel__name"), F("meeting__title"), F("status"),
        F("meeting__starts_at"), Value(None, output_field=when), F("hours"),
    )
    rows = sorted(memberships.union(lines, all=True), key=lambda row: (row[0], row[4]))
    roles, statuses = dict(Membership.Role.choices), dict(Attendance.Status.choices)
    return "Panels and meetings", {
        "panels": [
            {"panel": panel, "role": roles.get(role, role), "joined_on": _date(joined),
             "left_on": _date(left)}
            for kind, panel, _, role, joined, left, _ in rows if kind == "panel"
        ],
        "meetings": [
            {"meeting": title, "panel": panel, "starts_at": starts_at,
             "what_was_recorded": statuses.get(status, status), "hours": hours}
            for kind, panel, title, status, starts_at, _, hours in rows if kind == "meeting"
        ],
    }
