"""Reading a round's results: the distribution of rungs per area for staff and for
partners, the median of each, the gap between them and the change since the
previous round of the same scope.

Counts come from one aggregate query per page (`Response.objects.distribution()`);
medians are computed here in Python from those counts.

Median of an even number of answers: the midpoint of the two middle answers,
so two answers on rungs 4 and 5 give 4.5 ("between Engaging and Co-designing").
Gap: staff median minus partner median. A positive gap means staff place the
organisation higher than partners do.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .models import Action, Area, Respondent, Response, Round, Rung

STAFF = Respondent.Group.STAFF
PARTNER = Respondent.Group.PARTNER


def median_of_counts(counts: list[int]) -> Decimal | None:
    """Median rung position given how many answers each rung got (index 0 = rung 1).

    None when nobody answered; the midpoint of the two middle answers for an even count."""
    total = sum(counts)
    if not total:
        return None

    def nth(n: int) -> int:  # the position of the n-th smallest answer, 1-based
        seen = 0
        for index, count in enumerate(counts):
            seen += count
            if seen >= n:
                return index + 1
        raise AssertionError("unreachable")

    if total % 2:
        return Decimal(nth(total // 2 + 1))
    return (Decimal(nth(total // 2)) + Decimal(nth(total // 2 + 1))) / 2


def difference(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def format_position(value: Decimal | None) -> str:
    """4 → "4", 4.5 → "4.5"."""
    if value is None:
        return "–"
    return str(int(value)) if value == value.to_integral_value() else f"{value:.1f}"


def format_change(value: Decimal | None) -> str:
    """A signed difference: "+1.5", "−1", "0"."""
    if value is None:
        return "–"
    if value > 0:
        return f"+{format_position(value)}"
    if value < 0:
        return f"−{format_position(-value)}"
    return "0"


def describe_position(value: Decimal | None, rungs: list[Rung]) -> str:
    """A median in words: "Engaging" or "between Engaging and Co-designing"."""
    if value is None:
        return "No answers"
    names = {rung.position: rung.name for rung in rungs}
    low, high = int(value), int(value) + (0 if value == value.to_integral_value() else 1)
    if low == high:
        return names.get(low, format_position(value))
    return f"between {names.get(low, low)} and {names.get(high, high)}"


@dataclass
class GroupResult:
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def median(self) -> Decimal | None:
        return median_of_counts(self.counts)


@dataclass
class AreaResult:
    area: Area
    rungs: list[Rung]
    staff: GroupResult
    partners: GroupResult
    previous_staff_median: Decimal | None = None
    previous_partner_median: Decimal | None = None
    previous_everyone_median: Decimal | None = None
    comments: list[Response] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    @property
    def everyone(self) -> GroupResult:
        return GroupResult([s + p for s, p in zip(self.staff.counts, self.partners.counts, strict=True)])

    @property
    def gap(self) -> Decimal | None:
        return difference(self.staff.median, self.partners.median)

    @property
    def staff_think_higher(self) -> bool:
        return self.gap is not None and self.gap > 0

    @property
    def staff_change(self) -> Decimal | None:
        return difference(self.staff.median, self.previous_staff_median)

    @property
    def partner_change(self) -> Decimal | None:
        return difference(self.partners.median, self.previous_partner_median)

    @property
    def rows(self) -> list[tuple[Rung, int, int]]:
        return [(rung, self.staff.counts[i], self.partners.counts[i]) for i, rung in enumerate(self.rungs)]

    @property
    def evidence(self) -> list[Response]:
        return [c for c in self.comments if c.evidence]

    @property
    def next_steps(self) -> list[Response]:
        return [c for c in self.comments if c.next_step]

    # Ready-made words for templates, which never compute.
    @property
    def staff_label(self) -> str:
        return _label(self.staff.median, self.rungs)

    @property
    def partner_label(self) -> str:
        return _label(self.partners.median, self.rungs)

    @property
    def gap_label(self) -> str:
        return format_change(self.gap)

    @property
    def staff_change_label(self) -> str:
        return format_change(self.staff_change)

    @property
    def partner_change_label(self) -> str:
        return format_change(self.partner_change)


def _label(value: Decimal | None, rungs: list[Rung]) -> str:
    if value is None:
        return "No answers"
    return f"{format_position(value)} ({describe_position(value, rungs)})"


@dataclass
class RoundResults:
    round: Round
    rungs: list[Rung]
    areas: list[AreaResult]
    previous: Round | None
    comparable: bool  # the previous round used the same ladder, so changes can be shown

    @property
    def answer_count(self) -> int:
        return sum(a.staff.total + a.partners.total for a in self.areas)

    @property
    def gaps(self) -> list[AreaResult]:
        """Areas where staff place the organisation higher than partners do, widest gap first."""
        return sorted((a for a in self.areas if a.staff_think_higher), key=lambda a: -a.gap)


def _counts(rows, rungs: list[Rung]) -> dict:
    """{(round id, area id, group): [count per rung]} from distribution rows."""
    index = {rung.position: i for i, rung in enumerate(rungs)}
    counts = defaultdict(lambda: [0] * len(rungs))
    for row in rows:
        position = index.get(row["rung__position"])
        if position is not None:
            counts[(row["respondent__round"], row["area"], row["respondent__group"])][position] += row["n"]
    return counts


def round_results(round_: Round, *, with_comments: bool = True) -> RoundResults:
    """Everything the results page and the PDF show, in a fixed number of queries."""
    rungs = list(round_.ladder.rungs.all())
    areas = round_.ordered_areas()
    previous = Round.objects.previous_to(round_)
    comparable = previous is not None and previous.ladder_id == round_.ladder_id
    round_ids = [round_.pk] + ([previous.pk] if comparable else [])
    counts = _counts(Response.objects.filter(respondent__round__in=round_ids).distribution(), rungs)

    comments, actions = defaultdict(list), defaultdict(list)
    if with_comments:
        for response in Response.objects.of_round(round_).with_comments():
            comments[response.area_id].append(response)
        for action in Action.objects.filter(round=round_).with_links().overdue_first():
            actions[action.area_id].append(action)

    results = []
    for area in areas:
        result = AreaResult(
            area=area, rungs=rungs,
            staff=GroupResult(counts[(round_.pk, area.pk, STAFF)]),
            partners=GroupResult(counts[(round_.pk, area.pk, PARTNER)]),
            comments=comments[area.pk], actions=actions[area.pk],
        )
        if comparable:
            before_staff = counts[(previous.pk, area.pk, STAFF)]
            before_partners = counts[(previous.pk, area.pk, PARTNER)]
            result.previous_staff_median = median_of_counts(before_staff)
            result.previous_partner_median = median_of_counts(before_partners)
            result.previous_everyone_median = median_of_counts(
                [s + p for s, p in zip(before_staff, before_partners, strict=True)])
        results.append(result)
    return RoundResults(round=round_, rungs=rungs, areas=results, previous=previous, comparable=comparable)


@dataclass
class AreaPosition:
    """Where the organisation sits in one area after the latest closed round (for the dashboard)."""

    area: Area
    round: Round
    staff_median: Decimal | None
    partner_median: Decimal | None
    median: Decimal | None  # everyone's answers together
    gap: Decimal | None  # staff − partners; positive: staff think higher
    staff_change: Decimal | None  # since the previous round of the same scope
    partner_change: Decimal | None
    change: Decimal | None


def positions_of(results: RoundResults) -> list[AreaPosition]:
    positions = []
    for area in results.areas:
        positions.append(AreaPosition(
            area=area.area, round=results.round, staff_median=area.staff.median,
            partner_median=area.partners.median, median=area.everyone.median, gap=area.gap,
            staff_change=area.staff_change, partner_change=area.partner_change,
            change=difference(area.everyone.median, area.previous_everyone_median),
        ))
    return positions


@dataclass
class TrendSeries:
    area: Area
    points: list[tuple[Round, Decimal | None, Decimal | None]]  # round, staff median, partner median

    @property
    def staff(self) -> list[Decimal | None]:
        return [p[1] for p in self.points]

    @property
    def partners(self) -> list[Decimal | None]:
        return [p[2] for p in self.points]

    @property
    def rows(self) -> list[tuple[Round, str, str, str]]:
        return [(r, format_position(s), format_position(p), format_change(difference(s, p)))
                for r, s, p in self.points]


def trend(rounds: list[Round], ladder) -> tuple[list[Rung], list[TrendSeries]]:
    """Each area's staff and partner medians across `rounds` (oldest first), in three queries."""
    rungs = list(ladder.rungs.all()) if ladder else []
    if not rounds:
        return rungs, []
    round_ids = [r.pk for r in rounds]
    in_round = set(Round.areas.through.objects.filter(round_id__in=round_ids)
                   .values_list("round_id", "area_id"))
    areas = Area.objects.filter(pk__in={area for _, area in in_round})
    counts = _counts(Response.objects.filter(respondent__round__in=round_ids).distribution(), rungs)
    series = []
    for area in areas:
        points = []
        for r in rounds:
            if (r.pk, area.pk) not in in_round:
                continue
            points.append((r, median_of_counts(counts[(r.pk, area.pk, STAFF)]),
                           median_of_counts(counts[(r.pk, area.pk, PARTNER)])))
        series.append(TrendSeries(area=area, points=points))
    return rungs, series
