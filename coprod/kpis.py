"""The dashboard's figures, computed in the database for a period and, optionally,
one service. The dashboard page and the governance report both call `dashboard()`,
so the PDF holds exactly the figures the page shows.

Definitions (also printed in the report's appendix):
- recruitment involvement: rounds closing in the 12 months to the period's end in
  which a lived-experience partner took part in a stage that went ahead;
- newly active partners: partners whose status became active in the period;
- meetings held: scheduled (not cancelled) meetings that started in the period and
  have ended;
- attendance rate: of partners' register lines for those meetings (declined ones
  left out), the share marked attended;
- partner hours: hours recorded on attended lines of those meetings;
- decisions shaped by lived experience: decisions in the period that name a panel
  or proposal that shaped them;
- feedback answered on time: of the points on proposals whose response deadline
  fell in the period, the share answered by that deadline.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .models import Organisation, Service
from .periods import Period

ZERO = Decimal("0")


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _display(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{value}%"
    if unit == "£":
        return f"£{value:,.2f}"
    if unit == "h":
        return f"{value:g} h" if isinstance(value, Decimal) else f"{value} h"
    return f"{value}"


@dataclass
class Figure:
    label: str
    value: Decimal | int | None
    unit: str = ""  # "%", "£", "h" or ""
    href: str = ""
    note: str = ""
    target: Decimal | int | None = None
    higher_is_better: bool = True
    trustees_may_follow: bool = False  # whether `href` is a page trustees can open

    @property
    def display(self) -> str:
        return _display(self.value, self.unit)

    @property
    def target_display(self) -> str:
        if self.target is None:
            return ""
        target = f"{Decimal(self.target).normalize():f}"  # 85.00 → 85
        return _display(target, self.unit)

    @property
    def meets_target(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


@dataclass
class Dashboard:
    period: Period
    service: Service | None
    sections: dict[str, list[Figure]] = field(default_factory=dict)
    ladder: list = field(default_factory=list)
    staff_time: list[tuple[str, Decimal]] = field(default_factory=list)
    actions_open: int = 0
    actions_overdue: int = 0
    reciprocity: dict = field(default_factory=dict)
    services: list[dict] = field(default_factory=list)


def _link(name: str, **params) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def _held_meetings(period: Period, service: Service | None):
    from panels.models import Meeting

    meetings = Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__date__gte=period.start,
                                      starts_at__date__lte=period.end, ends_at__lt=timezone.now())
    return meetings.filter(panel__service=service) if service else meetings


def people(period: Period, service: Service | None) -> list[Figure]:
    from participants.models import Partner, StatusChange

    partners = Partner.objects.filter(erased_at__isnull=True)
    changes = StatusChange.objects.filter(to_status=Partner.Status.ACTIVE, changed_at__date__gte=period.start,
                                          changed_at__date__lte=period.end)
    if service:
        partners = partners.filter(service=service)
        changes = changes.filter(partner__service=service)
    counts = partners.with_training_due().aggregate(
        active=Count("pk", filter=Q(status=Partner.Status.ACTIVE)),
        due=Count("pk", filter=Q(training_due__gt=0) & ~Q(status=Partner.Status.LEFT)),
    )
    service_id = service.pk if service else None
    return [
        Figure("Active partners", counts["active"],
               href=_link("participants:partner_list", status="active", service=service_id)),
        Figure("Newly active partners", changes.values("partner").distinct().count(),
               note="Became active in the period, after induction.",
               href=_link("participants:partner_list", active_from=period.start, active_to=period.end,
                          service=service_id)),
        Figure("Partners due training", counts["due"], higher_is_better=False,
               href=_link("participants:training_due")),
    ]


def involvement(period: Period, service: Service | None, organisation: Organisation) -> list[Figure]:
    from panels.services import recruitment_involvement

    involved, total, rate = recruitment_involvement(on=period.end, service=service)
    return [Figure("Recruitment rounds involving partners", rate, "%", href=_link("panels:recruitment_list"),
                   note=f"{involved} of {total} rounds in the 12 months to {period.end:%-d %B %Y}",
                   target=organisation.recruitment_involvement_target)]


def panels_and_meetings(period: Period, service: Service | None, organisation: Organisation) -> list[Figure]:
    from panels.models import Attendance, Meeting, Panel

    running = Panel.objects.running(on=period.end)
    if service:
        running = running.filter(service=service)
    held = _held_meetings(period, service)
    lines = (Attendance.objects.of_partners().filter(meeting__in=held)
             .exclude(status=Attendance.Status.DECLINED))
    register = lines.aggregate(
        expected=Count("pk"), attended=Count("pk", filter=Q(status=Attendance.Status.ATTENDED)),
        hours=Coalesce(Sum("hours", filter=Q(status=Attendance.Status.ATTENDED)),
                       Value(ZERO, output_field=DecimalField())),
    )
    held_link = _link("panels:meeting_list", when="past", status=Meeting.Status.SCHEDULED,
                      starts_from=period.start, starts_to=period.end, service=service.pk if service else None)
    return [
        Figure("Panels running", running.count(), href=_link("panels:panel_list", status="active")),
        Figure("Meetings held", held.count(), href=held_link),
        Figure("Attendance rate", percent(register["attended"], register["expected"]), "%",
               note=f"{register['attended']} of {register['expected']} invitations to partners",
               target=organisation.attendance_target, href=held_link),
        Figure("Partner hours contributed", register["hours"].normalize() + 0, "h", href=held_link),
    ]


def decisions(period: Period, service: Service | None, organisation: Organisation) -> list[Figure]:
    from panels.models import Decision, FeedbackPoint

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
    link = _link("panels:decision_list", decided_from=period.start, decided_to=period.end,
                 service=service.pk if service else None)
    return [
        Figure("Decisions logged", counts["total"], href=link, trustees_may_follow=True),
        Figure("Decisions shaped by lived experience", percent(counts["shaped"], counts["total"]), "%",
               href=link, note=f"{counts['shaped']} of {counts['total']} decisions",
               trustees_may_follow=True),
        Figure("Feedback answered on time", percent(answered["on_time"], answered["total"]), "%",
               href=_link("panels:proposal_list"), target=organisation.feedback_on_time_target,
               note=f"{answered['on_time']} of {answered['total']} points due in the period"),
    ]


def staff_time(period: Period, service: Service | None) -> list[tuple[str, Decimal]]:
    from panels.models import StaffTime

    entries = StaffTime.objects.filter(spent_on__gte=period.start, spent_on__lte=period.end)
    if service:
        entries = entries.filter(panel__service=service)
    totals = dict(entries.order_by().values_list("category").annotate(hours=Sum("hours")))
    return [(label, totals.get(value, ZERO)) for value, label in StaffTime.Category.choices]


def ladder_actions(service: Service | None) -> tuple[int, int]:
    from ladder.models import Action

    actions = Action.objects.all()
    if service:
        actions = actions.filter(round__service=service)
    counts = actions.aggregate(
        open=Count("pk", filter=Q(status__in=Action.OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=Action.OPEN_STATUSES, due_on__lt=timezone.localdate())),
    )
    return counts["open"], counts["overdue"]


def reciprocity(period: Period, service: Service | None, organisation: Organisation) -> dict:
    """What partners were paid in the period, by type and by funding source against its
    budget, how quickly, and how many claims have waited too long."""
    from reciprocity.measures import median_days_to_pay
    from reciprocity.models import Claim, FundingSource, Payment, ReciprocitySettings

    payments = Payment.objects.between(period.start, period.end)
    waiting = Claim.objects.waiting_longer_than(ReciprocitySettings.current().claims_waiting_days)
    if service:
        payments = payments.filter(claim__partner__service=service)
        waiting = waiting.filter(partner__service=service)
    totals = payments.totals()
    spent_in_period = dict(payments.order_by().values_list("funding_source").annotate(s=Sum("amount")))
    budgets = []
    sources = FundingSource.objects.with_spend().filter(starts_on__lte=period.end, ends_on__gte=period.start)
    for source in sources:
        budgets.append({
            "source": str(source), "kind": source.get_kind_display(), "budget": source.amount,
            "spent": source.spent, "in_period": spent_in_period.get(source.pk, ZERO),
            "used": percent(source.spent, source.amount), "state": source.budget_state,
        })
    days = median_days_to_pay(payments)
    return {
        "figures": [
            Figure("Paid to partners", totals["amount"], "£", href=_link("reciprocity:finance"),
                   note=f"{totals['count']} payments"),
            Figure("Median days to pay", days, higher_is_better=False, target=organisation.days_to_pay_target,
                   note="From a claim being sent to it being paid.", href=_link("reciprocity:finance")),
            Figure("Claims waiting too long", waiting.count(), higher_is_better=False,
                   href=_link("reciprocity:finance")),
        ],
        "by_type": [("Involvement fees", totals["fees"]), ("Expenses paid back", totals["expenses"])]
        if totals["count"] else [],
        "budgets": budgets,
    }


def services_table(period: Period) -> list[dict]:
    """The main measures per service, one grouped query each, so pockets of good
    practice and services falling behind stand out."""
    from panels.models import Attendance, Decision, RecruitmentRound, StaffTime
    from participants.models import Partner

    services = list(Service.objects.order_by("name"))
    active = dict(Partner.objects.filter(status=Partner.Status.ACTIVE, erased_at__isnull=True)
                  .order_by().values_list("service").annotate(n=Count("pk")))
    rounds = {row["service"]: row for row in RecruitmentRound.objects.in_last_twelve_months(period.end)
              .with_involvement().order_by().values("service")
              .annotate(total=Count("pk"), involved_rounds=Count("pk", filter=Q(involved=True)))}
    register = {row["meeting__panel__service"]: row for row in Attendance.objects.of_partners()
                .filter(meeting__in=_held_meetings(period, None)).exclude(status=Attendance.Status.DECLINED)
                .order_by().values("meeting__panel__service")
                .annotate(expected=Count("pk"),
                          attended=Count("pk", filter=Q(status=Attendance.Status.ATTENDED)))}
    shaped = {row["service"]: row for row in Decision.objects.in_log()
              .filter(decided_on__gte=period.start, decided_on__lte=period.end).order_by().values("service")
              .annotate(total=Count("pk"), shaped=Count(
                  "pk", filter=Q(shaped_by_panel__isnull=False) | Q(shaped_by_proposal__isnull=False)))}
    hours = dict(StaffTime.objects.filter(spent_on__gte=period.start, spent_on__lte=period.end).order_by()
                 .values_list("panel__service").annotate(h=Sum("hours")))
    table = []
    for service in services:
        r, a, d = rounds.get(service.pk, {}), register.get(service.pk, {}), shaped.get(service.pk, {})
        table.append({
            "service": service,
            "active_partners": active.get(service.pk, 0),
            "involvement": percent(r.get("involved_rounds", 0), r.get("total", 0)),
            "attendance": percent(a.get("attended", 0), a.get("expected", 0)),
            "shaped": percent(d.get("shaped", 0), d.get("total", 0)),
            "staff_hours": hours.get(service.pk, ZERO),
        })
    return table


def heat(value: Decimal | None, target: Decimal | None) -> str:
    """A band for the consistency table: the text always says the number too."""
    if value is None:
        return "none"
    if target is None:
        return "neutral"
    if value >= target:
        return "good"
    return "close" if value >= target - 15 else "behind"


def dashboard(period: Period, service: Service | None = None) -> Dashboard:
    from ladder.services import latest_positions

    organisation = Organisation.current()
    board = Dashboard(period=period, service=service)
    board.sections["Recruitment"] = involvement(period, service, organisation)
    board.sections["People"] = people(period, service)
    board.sections["Panels and meetings"] = panels_and_meetings(period, service, organisation)
    board.sections["Decisions and feedback"] = decisions(period, service, organisation)
    board.ladder = latest_positions(service)
    board.staff_time = staff_time(period, service)
    board.actions_open, board.actions_overdue = ladder_actions(service)
    board.reciprocity = reciprocity(period, service, organisation)
    board.services = [] if service else services_table(period)
    for row in board.services:
        row["involvement_band"] = heat(row["involvement"], organisation.recruitment_involvement_target)
        row["attendance_band"] = heat(row["attendance"], organisation.attendance_target)
        row["shaped_band"] = heat(row["shaped"], None)
    return board


def charts(board: Dashboard) -> dict:
    """The dashboard's charts as <img> tags with alt text; the same for page and PDF."""
    from .charts import NEUTRAL_COLOUR, STAFF_COLOUR, bar_chart, progress_chart, svg_img

    drawn = {}
    if board.ladder:
        names = [position.area.name for position in board.ladder]
        svg = bar_chart(names, {
            "Staff": [float(p.staff_median or 0) for p in board.ladder],
            "Partners": [float(p.partner_median or 0) for p in board.ladder],
        }, horizontal=True, ylabel="Median rung (higher is more co-produced)",
            height=0.55 * max(len(names), 2) + 1)
        drawn["ladder"] = svg_img(svg, "Bar chart of where staff and partners place us on the ladder in "
                                       "each area. The table beside it gives the same figures.")
    if any(hours for _, hours in board.staff_time):
        svg = bar_chart([label for label, _ in board.staff_time],
                        {"Hours": [float(hours) for _, hours in board.staff_time]},
                        horizontal=True, ylabel="Hours", colours=(NEUTRAL_COLOUR,), height=2.4)
        drawn["staff_time"] = svg_img(svg, "Bar chart of protected staff time by category: " + "; ".join(
            f"{label} {hours:g} hours" for label, hours in board.staff_time) + ".")
    paid = board.reciprocity.get("by_type") if board.reciprocity else None
    if paid:
        svg = bar_chart([label for label, _ in paid], {"Paid (£)": [float(v) for _, v in paid]},
                        ylabel="£", colours=(STAFF_COLOUR,), height=2.6)
        drawn["paid"] = svg_img(svg, "Bar chart of what partners were paid, by type: " + "; ".join(
            f"{label} £{value:,.2f}" for label, value in paid) + ".")
    budgets = board.reciprocity.get("budgets") if board.reciprocity else None
    if budgets:
        svg = progress_chart([(row["source"], float(row["budget"]), float(row["spent"])) for row in budgets],
                             whole="Budget", part="Spent", money=True, others="Other funders")
        spending = "; ".join(f"{row['source']} £{row['spent']:,.2f} of £{row['budget']:,.2f}"
                             for row in budgets)
        drawn["budgets"] = svg_img(svg, f"Bar chart of spending against budget by funder: {spending}.")
    return drawn
