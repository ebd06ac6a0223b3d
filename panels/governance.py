"""The panels' sections of the governance report (see coprod/governance.py): public decisions
shaped by lived experience, and "you said, we did". The pack shows the most recent few of each
with the full count; the full logs are separate spreadsheet exports linked from the pack."""

from coprod import boardpack
from coprod import governance
from coprod.models import Service
from coprod.periods import Period
from panels.models import Decision
from panels.models import FeedbackPoint
from participants.models import Partner


def _decision_extract(period: Period, service: Service | None):
    """Public decisions shaped by lived experience, latest first. Decisions name no partners."""
    decisions = (Decision.objects.for_list().in_log().shaped_by_lived_experience()
                 .filter(is_public=True, decided_on__gte=period.start, decided_on__lte=period.end))
    if service:
        decisions = decisions.filter(service=service)
    return decisions


def _you_said_we_did(period: Period, service: Service | None):
    """Points partners raised, quoted only where the partner's consent to quotes is in
    force, and never with a name."""
    points = (FeedbackPoint.objects.answered_quotable(Partner.objects.consenting_to("quotes"))
              .filter(response__responded_at__date__gte=period.start,
                      response__responded_at__date__lte=period.end))
    if service:
        points = points.filter(proposal__panel__service=service)
    return points


def _section(period: Period, service: Service | None) -> dict:
    decisions, points = _decision_extract(period, service), _you_said_we_did(period, service)
    return {
        "decisions": list(decisions[:boardpack.MOST_DECISIONS]), "decision_count": decisions.count(),
        "points": list(points[:boardpack.MOST_POINTS]), "point_count": points.count(),
    }


def register() -> None:
    governance.sections.register("panels", _section, order=10)
