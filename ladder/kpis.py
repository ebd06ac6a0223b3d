"""The ladder's part of the dashboard (see coprod/kpis.py): where staff and partners place the
organisation in each area, and the action plan's open and overdue actions."""

from django.db.models import Count
from django.db.models import Q
from django.utils import timezone

from coprod.kpis import Dashboard
from coprod.kpis import figures
from coprod.models import Organisation
from coprod.models import Service
from coprod.periods import Period
from ladder.models import Action
from ladder.services import latest_positions


def ladder_actions(service: Service | None) -> tuple[int, int]:
    actions = Action.objects.all()
    if service:
        actions = actions.filter(round__service=service)
    counts = actions.aggregate(
        open=Count("pk", filter=Q(status__in=Action.OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=Action.OPEN_STATUSES, due_on__lt=timezone.localdate())),
    )
    return counts["open"], counts["overdue"]



def _contribute(board: Dashboard, period: Period, service: Service | None,
                organisation: Organisation) -> None:
    board.ladder = latest_positions(service)
    board.actions_open, board.actions_overdue = ladder_actions(service)


def register() -> None:
    figures.register("ladder", _contribute, order=50)
