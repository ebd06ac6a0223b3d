"""What the panels app holds about a partner, for their data-subject export (see
participants/data_protection.py). Memberships and register lines hold no free text
about the partner, so erasure needs nothing here: they point to the anonymised
partner record, and the hours stay on the record."""

import datetime

from django.db.models import CharField
from django.db.models import DateTimeField
from django.db.models import DecimalField
from django.db.models import F
from django.db.models import Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from coprod import registry

from .models import Attendance
from .models import FeedbackPoint
from .models import FeedbackResponse
from .models import Membership
from .models import RecruitmentStage
from .models import StageParticipant

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
    roles = {value: str(label) for value, label in Membership.Role.choices}
    statuses = {value: str(label) for value, label in Attendance.Status.choices}
    return _("Panels and meetings"), {
        "panels": [
            {"panel": panel, "role": roles.get(role, role), "joined_on": _date(joined),
             "left_on": _date(left)}
            for kind, panel, _title, role, joined, left, _hours in rows if kind == "panel"
        ],
        "meetings": [
            {"meeting": title, "panel": panel, "starts_at": starts_at,
             "what_was_recorded": statuses.get(status, status), "hours": hours}
            for kind, panel, title, status, starts_at, _left, hours in rows if kind == "meeting"
        ],
    }


# --- Proposals ("you said, we did") and recruitment ---
# A partner's feedback points are kept after erasure as part of the organisation's record of
# what its panels said and what it did; they then point to the anonymised partner record.


def export_points_and_recruitment(partner) -> tuple[str, dict]:
    """The points they made on proposals with our answers, and the recruitment stages they
    took part in. Two queries however much is held."""
    outcomes = {value: str(label) for value, label in FeedbackResponse.Outcome.choices}
    kinds = {value: str(label) for value, label in RecruitmentStage.Kind.choices}
    points = (FeedbackPoint.objects.filter(raised_by=partner).select_related("proposal", "response")
              .order_by("recorded_at", "pk"))
    stages = (StageParticipant.objects.filter(partner=partner).select_related("stage__round")
              .order_by("stage__round__closes_on", "pk"))

    def answer(point) -> dict:
        response = getattr(point, "response", None)
        if response is None:
            return {"our_answer": None, "what_we_did": None, "why": None, "by_when": None}
        return {"our_answer": outcomes[response.outcome], "what_we_did": response.response,
                "why": response.reason or None, "by_when": response.due_on}

    return _("What you said and what we did; recruitment"), {
        "points_you_made": [
            {"proposal": point.proposal.title, "you_said": point.text,
             "recorded_on": point.recorded_at.date(), **answer(point)}
            for point in points
        ],
        "recruitment_stages": [
            {"post": participant.stage.round.post_title, "stage": kinds[participant.stage.kind],
             "held_on": participant.stage.held_on, "cancelled": participant.stage.cancelled}
            for participant in stages
        ],
    }


def register() -> None:
    """This app's sections of a partner's data-protection export."""
    registry.data_exporters.register("panels.export_panels_and_meetings", export_panels_and_meetings,
                                     order=110)
    registry.data_exporters.register("panels.export_points_and_recruitment", export_points_and_recruitment,
                                     order=120)
