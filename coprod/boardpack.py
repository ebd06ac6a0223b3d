"""What turns the dashboard's figures into a board pack: the period before for comparison,
whether each target is met, missed or near, the direction of change, and the definitions
printed in plain English in the appendix.

The governance report (coprod/governance.py) keeps to about a dozen pages whatever the
organisation's size: it prints the most significant items and their counts, and links to the
full decision log and feedback downloads.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import periods
from .kpis import Dashboard
from .kpis import Figure

# A target missed by no more than this share of the target is "near".
NEAR_SHARE = Decimal("0.10")
# The most rows each list in the pack shows; the rest are counted and linked.
MOST_DECISIONS = 10
MOST_POINTS = 6
MOST_SERVICES = 10
MOST_FUNDERS = 8


def previous_period(period: periods.Period) -> periods.Period:
    """The period to compare with: the quarter before a calendar quarter, otherwise the same
    number of days ending the day before."""
    quarter = periods.quarter_of(period.start)
    if (quarter.start, quarter.end) == (period.start, period.end):
        return periods.previous_quarter(period.start)
    end = period.start - datetime.timedelta(days=1)
    return periods.custom(end - datetime.timedelta(days=period.days - 1), end)


@dataclass
class SummaryLine:
    figure: Figure
    previous: Figure | None

    @property
    def status(self) -> str:
        """ "met", "near", "missed", or "" when the figure has no target or no value."""
        figure = self.figure
        if figure.meets_target is None:
            return ""
        if figure.meets_target:
            return "met"
        target, value = Decimal(figure.target), Decimal(figure.value)
        margin = abs(target) * NEAR_SHARE
        near = value >= target - margin if figure.higher_is_better else value <= target + margin
        return "near" if near else "missed"

    @property
    def status_text(self) -> str:
        return {"met": _("Met"), "near": _("Near"), "missed": _("Missed")}.get(self.status, _("No target"))

    @property
    def change(self) -> str:
        """ "up", "down", "same", or "" when either period has no figure."""
        if self.previous is None or self.previous.value is None or self.figure.value is None:
            return ""
        if self.figure.value == self.previous.value:
            return "same"
        return "up" if self.figure.value > self.previous.value else "down"

    @property
    def change_text(self) -> str:
        """The direction in words, and whether that is better or worse."""
        if not self.change:
            return _("No figure to compare")
        if self.change == "same":
            return _("No change")
        direction = _("Up") if self.change == "up" else _("Down")
        if self.figure.target is None:
            return direction  # more or fewer is not better or worse by itself
        better = (self.change == "up") == self.figure.higher_is_better
        words = _("%(direction)s (better)") if better else _("%(direction)s (worse)")
        return words % {"direction": direction}


def _figures(board: Dashboard) -> list[Figure]:
    figures = [figure for section in board.sections.values() for figure in section]
    return figures + list(board.reciprocity.get("figures", []) if board.reciprocity else [])


def summary(board: Dashboard, previous: Dashboard) -> list[SummaryLine]:
    """Every figure of the period beside the same figure for the period before."""
    before = {figure.label: figure for figure in _figures(previous)}
    return [SummaryLine(figure, before.get(figure.label)) for figure in _figures(board)]


def shorten_budgets(budgets: list[dict], most: int = MOST_FUNDERS) -> list[dict]:
    """The largest budgets and, past `most`, one row adding up the rest."""
    if len(budgets) <= most + 1:
        return budgets
    ranked = sorted(budgets, key=lambda row: row["budget"], reverse=True)
    rest = ranked[most:]
    total = {key: sum(row[key] for row in rest) for key in ("budget", "spent", "in_period")}
    used = (total["spent"] * 100 / total["budget"]).quantize(Decimal("0.1")) if total["budget"] else None
    others = _("Other funders (%(count)s)") % {"count": len(rest)}
    return ranked[:most] + [{"source": others, "kind": "", **total, "used": used, "state": ""}]


def target_counts(lines: list[SummaryLine]) -> dict[str, int]:
    counts = {"met": 0, "near": 0, "missed": 0}
    for line in lines:
        if line.status:
            counts[line.status] += 1
    return counts


# The appendix: what each figure means, in the words a trustee would use.
DEFINITIONS = [
    (gettext_lazy("Recruitment involvement"),
     gettext_lazy("Of the recruitment rounds that closed in the 12 months up to the end of the period, "
                  "the share where a partner with lived experience took part in at least one stage that "
                  "went ahead (shortlisting, interview panel, or another stage).")),
    (gettext_lazy("Active partners"),
     gettext_lazy("Partners whose record says they are currently involved (not paused or left).")),
    (gettext_lazy("Newly active partners"),
     gettext_lazy("Partners who became active during the period, for the first time or again.")),
    (gettext_lazy("Partners due training"),
     gettext_lazy("Active partners who have not completed a course the organisation requires, or whose "
                  "course has expired.")),
    (gettext_lazy("Meetings held"),
     gettext_lazy("Panel meetings that took place during the period. Cancelled meetings are not counted.")),
    (gettext_lazy("Attendance rate"),
     gettext_lazy("Of the partners expected at those meetings (invited, and who did not say they could "
                  "not come), the share recorded as attending.")),
    (gettext_lazy("Partner hours"),
     gettext_lazy("The hours partners spent in those meetings, from the meeting registers.")),
    (gettext_lazy("Decisions shaped by lived experience"),
     gettext_lazy("Decisions logged in the period that name the panel or proposal whose feedback shaped "
                  "them. Only decisions still in the decision log count (archived ones do not).")),
    (gettext_lazy("Feedback answered on time"),
     gettext_lazy("Of the points partners raised on proposals whose response date fell in the period, "
                  "the share that had an answer (“you said, we did”) by that date.")),
    (gettext_lazy("Paid to partners"),
     gettext_lazy("Fees and expenses paid to partners in the period, by payment date.")),
    (gettext_lazy("Median days to pay"),
     gettext_lazy("The middle value of the days between a partner sending a claim and it being paid: "
                  "half were paid faster, half slower.")),
    (gettext_lazy("Claims waiting too long"),
     gettext_lazy("Claims sent but not yet paid for longer than the limit set by finance.")),
    (gettext_lazy("Ladder of participation"),
     gettext_lazy("Where staff and partners each place the organisation on the ladder in each area (the "
                  "middle answer of each group), from the most recent closed round. A gap of more than "
                  "one rung is flagged.")),
    (gettext_lazy("Protected staff time"),
     gettext_lazy("Hours staff recorded as set aside for co-production work in the period.")),
    (gettext_lazy("Met, near, missed"),
     gettext_lazy("“Met”: the figure reaches the target set in the organisation settings. “Near”: it "
                  "misses by no more than a tenth of the target. “Missed”: further off.")),
    (gettext_lazy("Previous period"),
     gettext_lazy("The quarter before, when the report covers a calendar quarter; otherwise the same "
                  "number of days just before the period.")),
]
