"""The panels' figures on the dashboard (see coprod/kpis.py): recruitment involvement, panels,
meetings and attendance, decisions and feedback, staff time, and their columns per service."""

from datetime import datetime
from datetime import time
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count
from django.db.models import DecimalField
from django.db.models import F
from django.db.models import Q
from django.db.models import Sum
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coprod.kpis import ZERO
from coprod.kpis import Dashboard
from coprod.kpis import Figure
from coprod.kpis import figures
from coprod.kpis import link
from coprod.kpis import percent
from coprod.kpis import service_columns
from coprod.models import Organisation
from coprod.models import Service
from coprod.periods import Period
from panels.models import Attendance
from panels.models import Decision
from panels.models import FeedbackPoint
from panels.models import Meeting
from panels.models import Panel
from panels.models import RecruitmentRound
from panels.models import StaffTime


def _held(period: Period, prefix: str = "") -> Q:
    """Meetings held in the period (through `prefix`, such as "meeting__", from a related model).
    The period's days are bounds on `starts_at` from local midnight to local midnight, the same
    days as `starts_at__date`, so the index on `starts_at` is used and the planner sees how
    many meetings there are."""
    first = timezone.make_aware(datetime.combine(period.start, time.min))
    after = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))
    return Q(**{f"{prefix}status": Meeting.Status.SCHEDULED, f"{prefix}starts_at__gte": first,
                f"{prefix}starts_at__lt": after, f"{prefix}ends_at__lt": timezone.now()})


def _held_meetings(period: Period, service: Service | None):
    meetings = Meeting.objects.filter(_held(period))
    return meetings.filter(panel__service=service) if service else meetings


def _partners_lines(period: Period, service: Service | None):
    """Partners' register lines of the meetings held in the period, declined ones left out: one
    join with the meetings rather than a list of their ids."""
    lines = (Attendance.objects.of_partners().filter(_held(period, "meeting__"))
             .exclude(status=Attendance.Status.DECLINED))
    return lines.filter(meeting__panel__service=service) if service else lines


def involvement(period: Period, service: Service | None, organisation: Organisation) -> list[Figure]:
    involved, total, rate = RecruitmentRound.objects.involvement(on=period.end, service=service)
    return [Figure(_("Recruitment rounds involving partners"), rate, "%",
                   href=link("panels:recruitment_list"),
                   note=_("%(involved)s of %(total)s rounds in the 12 months to %(day)s") % {
                       "involved": involved, "total": total, "day": date_format(period.end, "j F Y")},
                   target=organisation.recruitment_involvement_target)]


def panels_and_meetings(period: Period, service: Service | None, organisation: Organisation) -> list[Figure]:
    running = Panel.objects.running(on=period.end)
    if service:
        running = running.filter(service=service)
    held = _held_meetings(period, service)
    register = _partners_lines(period, service).aggregate(
        expected=Count("pk"), attended=Count("pk", filter=Q(status=Attendance.Status.ATTENDED)),
        hours=Coalesce(Sum("hours", filter=Q(status=Attendance.Status.ATTENDED)),
                       Value(ZERO, output_field=DecimalField())),
    )
    held_link = link("panels:meeting_list", when="past", status=Meeting.Status.SCHEDULED,
                      starts_from=period.start, starts_to=period.end, service=service.pk if service else None)
    return [
        Figure(_("Panels running"), running.count(), href=link("panels:panel_list", status="active")),
        Figure(_("Meetings held"), held.count(), href=held_link),
        Figure(_("Attendance rate"), percent(register["attended"], register["expected"]), "%",
               note=_("%(attended)s of %(expected)s invitations to partners") % {
                   "attended": register["attended"], "expected": register["expected"]},
               target=organisation.attendance_target, href=held_link),
        Figure(_("Partner hours contributed"), register["hours"].normalize() + 0, "h", href=held_link),
    ]


def decisions(period: Period, service: Service | None, organisation: Organisation) -> list[Figure]:
    logged = Decision.objects.in_log().filter(decided_on__gte=period.start, decided_on__lte=period.end)
    points = FeedbackPoint.objects.filter(proposal__response_deadline__gte=period.start,
                                          proposal__response_deadline__lte=period.end)
    if service:
        logged = logged.filter(service=service)
        points = points.filter(proposal__panel__service=service)
    counts = logged.aggregate(total=Count("pk"), shaped=Count(
        "pk", filter=Q(shaped_by_panel__isnull=False) | Q(shaped_by_proposal__isnull=False)))
    answered = points.aggregate(total=Count("pk"), on_time=Count("pk", filter=Q(
        response__responded_at__date__lte=F("proposal__response_deadline"))))
    log_link = link("panels:decision_list", decided_from=period.start, decided_to=period.end,
                 service=service.pk if service else None)
    return [
        Figure(_("Decisions logged"), counts["total"], href=log_link, trustees_may_follow=True),
        Figure(_("Decisions shaped by lived experience"), percent(counts["shaped"], counts["total"]), "%",
               href=log_link, note=_("%(shaped)s of %(total)s decisions") % {"shaped": counts["shaped"],
                                                                             "total": counts["total"]},
               trustees_may_follow=True),
        Figure(_("Feedback answered on time"), percent(answered["on_time"], answered["total"]), "%",
               href=link("panels:proposal_list"), target=organisation.feedback_on_time_target,
               note=_("%(on_time)s of %(total)s points due in the period") % {
                   "on_time": answered["on_time"], "total": answered["total"]}),
    ]


def staff_time(period: Period, service: Service | None) -> list[tuple[str, Decimal]]:
    entries = StaffTime.objects.filter(spent_on__gte=period.start, spent_on__lte=period.end)
    if service:
        entries = entries.filter(panel__service=service)
    totals = dict(entries.order_by().values_list("category").annotate(hours=Sum("hours")))
    return [(str(label), totals.get(value, ZERO)) for value, label in StaffTime.Category.choices]



def _contribute(board: Dashboard, period: Period, service: Service | None,
                organisation: Organisation) -> None:
    board.sections[_("Recruitment")] = involvement(period, service, organisation)


def _contribute_meetings(board: Dashboard, period: Period, service: Service | None,
                         organisation: Organisation) -> None:
    board.sections[_("Panels and meetings")] = panels_and_meetings(period, service, organisation)
    board.sections[_("Decisions and feedback")] = decisions(period, service, organisation)


def _contribute_staff_time(board: Dashboard, period: Period, service: Service | None,
                           organisation: Organisation) -> None:
    board.staff_time = staff_time(period, service)


def _columns(period: Period):
    """Recruitment involvement, attendance, decisions shaped and staff hours per service: one
    grouped query each."""
    rounds = RecruitmentRound.objects.involvement_by_service(on=period.end)
    register = {row["meeting__panel__service"]: row for row in _partners_lines(period, None)
                .order_by().values("meeting__panel__service")
                .annotate(expected=Count("pk"),
                          attended=Count("pk", filter=Q(status=Attendance.Status.ATTENDED)))}
    shaped = {row["service"]: row for row in Decision.objects.in_log()
              .filter(decided_on__gte=period.start, decided_on__lte=period.end).order_by().values("service")
              .annotate(total=Count("pk"), shaped=Count(
                  "pk", filter=Q(shaped_by_panel__isnull=False) | Q(shaped_by_proposal__isnull=False)))}
    hours = dict(StaffTime.objects.filter(spent_on__gte=period.start, spent_on__lte=period.end).order_by()
                 .values_list("panel__service").annotate(h=Sum("hours")))

    def columns(service: Service) -> dict:
        a, d = register.get(service.pk, {}), shaped.get(service.pk, {})
        return {
            "involvement": rounds.get(service.pk, (0, 0, None))[2],
            "attendance": percent(a.get("attended", 0), a.get("expected", 0)),
            "shaped": percent(d.get("shaped", 0), d.get("total", 0)),
            "staff_hours": hours.get(service.pk, ZERO),
        }
    return columns


def register() -> None:
    # Recruitment first, then People (participants), then meetings and decisions.
    figures.register("panels.recruitment", _contribute, order=10)
    figures.register("panels.meetings_and_decisions", _contribute_meetings, order=30)
    figures.register("panels.staff_time", _contribute_staff_time, order=60)
    service_columns.register("panels", _columns, order=20)
