"""The partners' figures on the dashboard (see coprod/kpis.py): active, newly active and due
training, and active partners per service."""

from django.db.models import Count
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from coprod import registry
from coprod.kpis import Dashboard
from coprod.kpis import Figure
from coprod.kpis import figures
from coprod.kpis import link
from coprod.kpis import service_columns
from coprod.models import Organisation
from coprod.models import Service
from coprod.periods import Period
from participants.models import Partner
from participants.models import StatusChange


def people(period: Period, service: Service | None) -> list[Figure]:
    partners = Partner.objects.filter(erased_at__isnull=True)
    changes = StatusChange.objects.filter(to_status=Partner.Status.ACTIVE, changed_at__date__gte=period.start,
                                          changed_at__date__lte=period.end)
    if service:
        partners = partners.filter(service=service)
        changes = changes.filter(partner__service=service)
    counts = partners.aggregate(
        active=Count("pk", filter=Q(status=Partner.Status.ACTIVE)),
        due=Count("pk", filter=partners.training_due_q() & ~Q(status=Partner.Status.LEFT)),
    )
    service_id = service.pk if service else None
    return [
        Figure("Active partners", counts["active"],
               href=link("participants:partner_list", status="active", service=service_id)),
        Figure("Newly active partners", changes.values("partner").distinct().count(),
               note="Became active in the period, after induction.",
               href=link("participants:partner_list", active_from=period.start, active_to=period.end,
                          service=service_id)),
        Figure("Partners due training", counts["due"], higher_is_better=False,
               href=link("participants:training_due")),
    ]



def _contribute(board: Dashboard, period: Period, service: Service | None,
                organisation: Organisation) -> None:
    board.sections["People"] = people(period, service)


def _columns(period: Period):
    active = dict(Partner.objects.filter(status=Partner.Status.ACTIVE, erased_at__isnull=True)
                  .order_by().values_list("service").annotate(n=Count("pk")))
    return lambda service: {"active_partners": active.get(service.pk, 0)}


def staff_home() -> dict:
    """The staff home page's tiles: how many partners in each status, each a link to the list."""
    counts = Partner.objects.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Partner.Status.values}
    )
    partner_list = reverse("participants:partner_list")
    return {"partner_tiles": [
        (label, counts[value], f"{partner_list}?{urlencode({'status': value})}")
        for value, label in Partner.Status.choices
    ]}


def register() -> None:
    registry.staff_home.register("participants", staff_home, order=10)
    registry.worker_counts.register("partners", Partner.objects.count)
    figures.register("participants.people", _contribute, order=20)
    service_columns.register("participants", _columns, order=10)
