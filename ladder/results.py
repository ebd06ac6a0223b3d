"""Reading a round's results: the distribution of rungs per area for staff and for
partners, the median of each, the gap between them and the change since the
previous round of the same scope.

Counts come from one aggregate query per page (`Response.objects.distribution()`);
medians are computed here in Python from those counts.

Median of an even number of answers: the midpoint of the two middle answers,
so two answers on rungs 4 and 5 give 4.5 ("between Engaging and Co-designing").
Gap: staff median minus partner median. A positive gap means staff place the
organisation higher than partners do.

A closed round takes no more answers (and cannot be reopened), so its counts, and
which of its comments the results page shows, are read once and kept in the cache
until an administrator changes an answer or a partner's words are erased
(ladder.answers_cache).
The results page shows the first COMMENTS_SHOWN comments, next steps and actions of
each area with their totals; the PDF of the round and the action plan have them all.
"""

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count
from django.db.models import F
from django.db.models import Window
from django.db.models.functions import RowNumber
from django.utils.formats import number_format
from django.utils.translation import gettext

from .answers_cache import round_key
from .models import Action
from .models import Area
from .models import Respondent
from .models import Response
from .models import Round
from .models import Rung

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
    return str(int(value)) if value == value.to_integral_value() else number_format(value, 1)


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
        return gettext("No answers")
    names = {rung.position: rung.name for rung in rungs}
    low, high = int(value), int(value) + (0 if value == value.to_integral_value() else 1)
    if low == high:
        return names.get(low, format_position(value))
    return gettext("between %(low)s and %(high)s") % {"low": names.get(low, low),
                                                       "high": names.get(high, high)}


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
    # When only some comments are read (the web page): those shown, and how many there are.
    shown_evidence: list[Response] | None = None
    shown_next_steps: list[Response] | None = None
    evidence_total: int | None = None
    next_step_total: int | None = None
    actions_total: int | None = None

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
        if self.shown_evidence is not None:
            return self.shown_evidence
        return [c for c in self.comments if c.evidence]

    @property
    def next_steps(self) -> list[Response]:
        if self.shown_next_steps is not None:
            return self.shown_next_steps
        return [c for c in self.comments if c.next_step]

    @property
    def more_evidence(self) -> int:
        """Comments not shown (0 when all are)."""
        return (self.evidence_total or 0) - len(self.evidence) if self.evidence_total is not None else 0

    @property
    def more_actions(self) -> int:
        return self.actions_total - len(self.actions) if self.actions_total is not None else 0

    @property
    def more_next_steps(self) -> int:
        return (self.next_step_total or 0) - len(self.next_steps) if self.next_step_total is not None else 0

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
        return gettext("No answers")
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


COMMENTS_SHOWN = 10


CACHE_TIMEOUT = 7 * 24 * 3600


def _kept_if_closed(kind: str, rounds: list[Round], read):
    """`read()`, kept in the cache when every round is closed."""
    if not rounds or any(r.status != Round.Status.CLOSED or r.closed_at is None for r in rounds):
        return read()
    return cache.get_or_set(round_key(kind, rounds), read, timeout=CACHE_TIMEOUT)


def distribution(rounds: list[Round]) -> list[dict]:
    """`Response.objects.distribution()` of these rounds (kept in the cache once they are closed)."""
    return _kept_if_closed("distribution", rounds, lambda: list(
        Response.objects.filter(respondent__round__in=[r.pk for r in rounds]).distribution()))


def _some_comments(round_: Round, limit: int) -> tuple[dict, dict, dict, dict]:
    """The first `limit` comments with evidence and with a next step of each area, and how many
    there are of each: four queries, whatever the number of answers. The ranking reads only
    ids; the rows shown are fetched by id."""
    shown, totals = {}, {}
    for text in ("evidence", "next_step"):
        ranked = (Response.objects.of_round(round_).exclude(**{text: ""}).order_by()
                  .annotate(place=Window(RowNumber(), partition_by=[F("area")],
                                         order_by=[F("respondent__group").asc(), F("pk").asc()]),
                            total=Window(Count("pk"), partition_by=[F("area")]))
                  .filter(place__lte=limit).values_list("pk", "area", "total"))
        ranked = _kept_if_closed(f"{text}-{limit}", [round_], lambda ranked=ranked: list(ranked))
        shown[text], totals[text] = defaultdict(list), {area: total for _, area, total in ranked}
        rows = (Response.objects.filter(pk__in=[pk for pk, _, _ in ranked])
                .select_related("rung", "respondent").order_by("area__order", "respondent__group", "pk"))
        for response in rows:
            shown[text][response.area_id].append(response)
    return shown["evidence"], totals["evidence"], shown["next_step"], totals["next_step"]


def _some_actions(round_: Round, limit: int) -> tuple[dict, dict]:
    """The first `limit` actions of each area (overdue first, as the action plan orders them) and
    how many there are, in two queries: the ranking reads only ids, the rows shown come by id."""
    ranked = list(Action.objects.filter(round=round_).overdue_first()
                  .annotate(place=Window(RowNumber(), partition_by=[F("area")],
                                         order_by=[F("is_overdue").desc(), F("due_on").asc(nulls_last=True),
                                                   F("pk").asc()]),
                            total=Window(Count("pk"), partition_by=[F("area")]))
                  .filter(place__lte=limit).values_list("pk", "area", "total"))
    shown, totals = defaultdict(list), {area: total for _, area, total in ranked}
    for action in Action.objects.filter(pk__in=[pk for pk, _, _ in ranked]).with_links().overdue_first():
        shown[action.area_id].append(action)
    return shown, totals


def round_results(round_: Round, *, with_comments: bool = True,
                  comments_per_area: int | None = None) -> RoundResults:
    """Everything the results page and the PDF show, in a fixed number of queries. With
    `comments_per_area`, only that many comments and next steps of each area are read."""
    rungs = list(round_.ladder.rungs.all())
    areas = round_.ordered_areas()
    previous = Round.objects.previous_to(round_)
    comparable = previous is not None and previous.ladder_id == round_.ladder_id
    counts = _counts(distribution([round_] + ([previous] if comparable else [])), rungs)

    comments, actions = defaultdict(list), defaultdict(list)
    some, actions_total = None, None
    if with_comments and comments_per_area is None:
        for response in Response.objects.of_round(round_).with_comments():
            comments[response.area_id].append(response)
        for action in Action.objects.filter(round=round_).with_links().overdue_first():
            actions[action.area_id].append(action)
    elif with_comments:
        some = _some_comments(round_, comments_per_area)
        actions, actions_total = _some_actions(round_, comments_per_area)

    results = []
    for area in areas:
        result = AreaResult(
            area=area, rungs=rungs,
            staff=GroupResult(counts[(round_.pk, area.pk, STAFF)]),
            partners=GroupResult(counts[(round_.pk, area.pk, PARTNER)]),
            comments=comments[area.pk], actions=actions[area.pk],
        )
        if some is not None:
            evidence, evidence_total, next_steps, next_step_total = some
            result.shown_evidence, result.evidence_total = evidence[area.pk], evidence_total.get(area.pk, 0)
            result.shown_next_steps = next_steps[area.pk]
            result.next_step_total = next_step_total.get(area.pk, 0)
            result.actions_total = actions_total.get(area.pk, 0)
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
    counts = _counts(distribution(rounds), rungs)
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
