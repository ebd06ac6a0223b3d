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
        return {"met": "Met", "near": "Near", "missed": "Missed"}.get(self.status, "No target")

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
            return "No figure to compare"
        if self.change == "same":
            return "No change"
        direction = "Up" if self.change == "up" else "Down"
        if self.figure.target is None:
            return direction  # more or fewer is not better or worse by itself
        better = (self.change == "up") == self.figure.higher_is_better
        return f"{direction} ({'better' if better else 'worse'})"


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
    return ranked[:most] + [{"source": f"Other funders ({len(rest)})", "kind": "", **total, "used": used,
                             "state": ""}]


def target_counts(lines: list[SummaryLine]) -> dict[str, int]:
    counts = {"met": 0, "near": 0, "missed": 0}
    for line in lines:
        if line.status:
            counts[line.status] += 1
    return counts


# The appendix: what each figure means, in the words a trustee would use.
DEFINITIONS = [
    ("Recruitment involvement",
     "Of the recruitment rounds that closed in the 12 months up to the end of the period, the share "
     "where a partner with lived experience took part in at least one stage that went ahead "
     "(shortlisting, interview panel, or another stage)."),
    ("Active partners", "Partners whose record says they are currently involved (not paused or left)."),
    ("Newly active partners", "Partners who became active during the period, for the first time or again."),
    ("Partners due training",
     "Active partners who have not completed a course the organisation requires, or whose course has "
     "expired."),
    ("Meetings held",
     "Panel meetings that took place during the period. Cancelled meetings are not counted."),
    ("Attendance rate",
     "Of the partners expected at those meetings (invited, and who did not say they could not come), "
     "the share recorded as attending."),
    ("Partner hours", "The hours partners spent in those meetings, from the meeting registers."),
    ("Decisions shaped by lived experience",
     "Decisions logged in the period that name the panel or proposal whose feedback shaped them. Only "
     "decisions still in the decision log count (archived ones do not)."),
    ("Feedback answered on time",
     "Of the points partners raised on proposals whose response date fell in the period, the share that "
     "had an answer (\u201cyou said, we did\u201d) by that date."),
    ("Paid to partners", "Fees and expenses paid to partners in the period, by payment date."),
    ("Median days to pay",
     "The middle value of the days between a partner sending a claim and it being paid: half were paid "
     "faster, half slower."),
    ("Claims waiting too long", "Claims sent but not yet paid for longer than the limit set by finance."),
    ("Ladder of participation",
     "Where staff and partners each place the organisation on the ladder in each area (the middle answer of "
     "each group), from the most recent closed round. A gap of more than one rung is flagged."),
    ("Protected staff time", "Hours staff recorded as set aside for co-production work in the period."),
    ("Met, near, missed",
     "\u201cMet\u201d: the figure reaches the target set in the organisation settings. \u201cNear\u201d: "
     "it misses by no more than a tenth of the target. \u201cMissed\u201d: further off."),
    ("Previous period",
     "The quarter before, when the report covers a calendar quarter; otherwise the same number of days "
     "just before the period."),
]
