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

from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_HALF_UP
from decimal import Decimal

from django.urls import reverse
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .charts import NEUTRAL_COLOUR
from .charts import STAFF_COLOUR
from .charts import bar_chart
from .charts import progress_chart
from .charts import svg_img
from .models import Organisation
from .models import Service
from .money import number
from .money import pounds
from .periods import Period
from .registry import Registry

ZERO = Decimal("0")


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _display(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{number(value)}%"
    if unit == "£":
        return pounds(value)
    if unit == "h":
        # Translators: a number of hours, shortened: "12.5 h".
        hours = Decimal(f"{value:g}") if isinstance(value, Decimal) else value
        return _("%(hours)s h") % {"hours": number(hours)}
    return number(value)


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

    @property
    def services_rows(self) -> SafeString:
        """The rows of the consistency table (templates/coprod/_dashboard_services.html)."""
        return consistency_rows(self.services)


def link(name: str, **params) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


# What each app adds to the dashboard, registered from its `AppConfig.ready()`:
# - `figures`: `contribute(board, period, service, organisation)` fills its part of the board
#   (a section of figures, the ladder positions, staff time...), in `order`: the sections show
#   in the order they were added;
# - `service_columns`: `columns(period)` answers a function giving, for one service, that app's
#   columns of the per-service table (one grouped query per measure, never one per service).
figures = Registry("dashboard figures")
service_columns = Registry("dashboard columns per service")


def services_table(period: Period) -> list[dict]:
    """The main measures per service, so pockets of good practice and services falling
    behind stand out."""
    services = list(Service.objects.order_by("name"))
    columns = [contribute(period) for contribute in service_columns]
    table = []
    for service in services:
        row = {"service": service}
        for column in columns:
            row.update(column(service))
        table.append(row)
    return table


# What a cell of the consistency table says when there is nothing to measure.
NOTHING_TO_MEASURE = {"involvement": gettext_lazy("no rounds"), "attendance": gettext_lazy("no meetings"),
                      "shaped": gettext_lazy("no decisions")}


def hours_shown(value: Decimal | None) -> str:
    """Hours as the template filter `floatformat:"-1"` writes them: whole hours bare, others
    to one decimal place (rounded half up)."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return number(int(value))
    return number(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def consistency_rows(rows: list[dict]) -> SafeString:
    """The consistency table's rows, one per service, written in Python: with a thousand
    services a template loop over their cells took most of the dashboard's time, and one
    `format_html` a row (not a cell) keeps it quick. Names are escaped; the figures are
    numbers, written as the template wrote them (a percentage is the Decimal `percent` gives,
    to one place; hours as `hours_shown`)."""
    row_html = ('<tr><th scope="row">{}</th><td class="number">{}</td>'
                + '<td class="number band-{}">{}</td>' * len(NOTHING_TO_MEASURE)
                + '<td class="number">{}</td></tr>\n')
    lines = []
    for row in rows:
        values = [row["service"].name, row["active_partners"]]
        for measure, nothing in NOTHING_TO_MEASURE.items():
            value = row[measure]
            values += [row[f"{measure}_band"], nothing if value is None else f"{number(value)}%"]
        lines.append(format_html(row_html, *values, hours_shown(row["staff_hours"])))
    return format_html_join("", "{}", ((line,) for line in lines))


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
    organisation = Organisation.current()
    board = Dashboard(period=period, service=service)
    for contribute in figures:
        contribute(board, period, service, organisation)
    board.services = [] if service else services_table(period)
    for row in board.services:
        row["involvement_band"] = heat(row.get("involvement"), organisation.recruitment_involvement_target)
        row["attendance_band"] = heat(row.get("attendance"), organisation.attendance_target)
        row["shaped_band"] = heat(row.get("shaped"), None)
    return board


def charts(board: Dashboard) -> dict:
    """The dashboard's charts as <img> tags with alt text; the same for page and PDF."""
    drawn = {}
    if board.ladder:
        names = [position.area.name for position in board.ladder]
        svg = bar_chart(names, {
            _("Staff"): [float(p.staff_median or 0) for p in board.ladder],
            _("Partners"): [float(p.partner_median or 0) for p in board.ladder],
        }, horizontal=True, ylabel=_("Median rung (higher is more co-produced)"),
            height=0.55 * max(len(names), 2) + 1)
        drawn["ladder"] = svg_img(svg, _("Bar chart of where staff and partners place us on the ladder in "
                                         "each area. The table beside it gives the same figures."))
    if any(hours for __, hours in board.staff_time):
        svg = bar_chart([label for label, __ in board.staff_time],
                        {_("Hours"): [float(hours) for __, hours in board.staff_time]},
                        horizontal=True, ylabel=_("Hours"), colours=(NEUTRAL_COLOUR,), height=2.4)
        listed = "; ".join(_("%(category)s %(hours)s hours") % {
            "category": label, "hours": number(Decimal(f"{hours:g}"))} for label, hours in board.staff_time)
        drawn["staff_time"] = svg_img(svg, _("Bar chart of protected staff time by category: %(hours)s.")
                                      % {"hours": listed})
    paid = board.reciprocity.get("by_type") if board.reciprocity else None
    if paid:
        svg = bar_chart([label for label, __ in paid], {_("Paid (£)"): [float(v) for __, v in paid]},
                        ylabel="£", colours=(STAFF_COLOUR,), height=2.6)
        amounts = "; ".join(f"{label} {pounds(value)}" for label, value in paid)
        drawn["paid"] = svg_img(svg, _("Bar chart of what partners were paid, by type: %(amounts)s.")
                                % {"amounts": amounts})
    budgets = board.reciprocity.get("budgets") if board.reciprocity else None
    if budgets:
        svg = progress_chart([(row["source"], float(row["budget"]), float(row["spent"])) for row in budgets],
                             whole=_("Budget"), part=_("Spent"), money=True, others=_("Other funders"))
        spending = "; ".join(_("%(funder)s %(spent)s of %(budget)s") % {
            "funder": row["source"], "spent": pounds(row["spent"]), "budget": pounds(row["budget"])}
            for row in budgets)
        drawn["budgets"] = svg_img(svg, _("Bar chart of spending against budget by funder: %(spending)s.")
                                   % {"spending": spending})
    return drawn
