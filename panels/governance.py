"""The panels' sections of the governance report (see coprod/governance.py): public decisions
shaped by lived experience, and "you said, we did"."""

from coprod import governance
from coprod.models import Service
from coprod.periods import Period
from panels.models import Decision, FeedbackPoint
from participants.models import Partner


def _decision_extract(period: Period, service: Service | None) -> list:
    """Public decisions shaped by lived experience. Decisions name no partners."""
    decisions = (Decision.objects.for_list().in_log().shaped_by_lived_experience()
                 .filter(is_public=True, decided_on__gte=period.start, decided_on__lte=period.end))
    if service:
        decisions = decisions.filter(service=service)
    return list(decisions[:15])


def _you_said_we_did(period: Period, service: Service | None) -> list:
    """Points partners raised, quoted only where the partner's consent to quotes is in
    force, and never with a name."""
    points = (FeedbackPoint.objects.select_related("response", "proposal")
              .filter(response__isnull=False, response__responded_at__date__gte=period.start,
                      response__responded_at__date__lte=period.end,
                      raised_by__in=Partner.objects.consenting_to("quotes")))
    if service:
        points = points.filter(proposal__panel__service=service)
    return list(points.order_by("-response__responded_at")[:8])


def _section(period: Period, service: Service | None) -> dict:
    return {"decisions": _decision_extract(period, service), "points": _you_said_we_did(period, service)}


def register() -> None:
    governance.sections.register("panels", _section, order=10)
