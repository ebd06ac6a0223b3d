"""Medians, gaps and changes on small data checked by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ladder.models import Ladder
from ladder.models import Round
from ladder.results import describe_position
from ladder.results import format_change
from ladder.results import median_of_counts
from ladder.results import round_results
from ladder.services import latest_positions

from ..coprod.factories import ServiceFactory
from .factories import LadderRoundFactory

pytestmark = pytest.mark.django_db


def _counts(*positions: int, rungs: int = 7) -> list[int]:
    counts = [0] * rungs
    for position in positions:
        counts[position - 1] += 1
    return counts


@pytest.mark.parametrize(("positions", "expected"), [
    ((3, 4, 6), Decimal(4)),  # odd: the middle answer
    ((5,), Decimal(5)),
    ((4, 5), Decimal("4.5")),  # even: the midpoint of the two middle answers
    ((2, 3, 5, 6), Decimal(4)),
    ((1, 1, 2, 7), Decimal("1.5")),
    ((6, 6, 6, 7), Decimal(6)),
    ((), None),  # nobody answered
])
def test_median_of_answers(positions, expected):
    assert median_of_counts(_counts(*positions)) == expected


def test_a_half_median_is_described_between_two_rungs():
    ladder = Ladder.current() or LadderRoundFactory().ladder
    rungs = list(ladder.rungs.all())
    assert describe_position(Decimal("4.5"), rungs) == "between Consulting and Engaging"
    assert describe_position(Decimal(6), rungs) == "Co-designing"
    assert format_change(Decimal("-1.5")) == "−1.5" and format_change(Decimal(2)) == "+2"


def test_round_results_give_medians_and_gap_per_group(closed_round, answer):
    governance, recruitment = closed_round.ordered_areas()
    for position in (5, 6, 7):
        answer(closed_round, "staff", governance, position)
    for position in (2, 3, 4, 5):
        answer(closed_round, "partner", governance, position)
    answer(closed_round, "staff", recruitment, 4)  # only staff answered this area

    results = round_results(closed_round)
    first, second = results.areas
    assert first.area == governance
    assert first.staff.counts == [0, 0, 0, 0, 1, 1, 1]
    assert first.partners.counts == [0, 1, 1, 1, 1, 0, 0]
    assert first.staff.median == 6
    assert first.partners.median == Decimal("3.5")
    assert first.gap == Decimal("2.5")
    assert first.staff_think_higher
    assert results.gaps == [first]

    assert second.staff.median == 4
    assert second.partners.median is None
    assert second.gap is None
    assert not second.staff_think_higher
    assert second.partner_label == "No answers"
    assert results.answer_count == 8


def test_partners_higher_than_staff_is_a_negative_gap_and_not_highlighted(closed_round, answer):
    area = closed_round.ordered_areas()[0]
    answer(closed_round, "staff", area, 3)
    answer(closed_round, "partner", area, 5)
    result = round_results(closed_round).areas[0]
    assert result.gap == -2
    assert not result.staff_think_higher
    assert result.gap_label == "−2"


def test_an_empty_round_has_no_medians_and_no_gaps(closed_round):
    results = round_results(closed_round)
    assert results.answer_count == 0
    assert all(a.staff.median is None and a.partners.median is None and a.gap is None for a in results.areas)
    assert results.gaps == []
    assert results.previous is None


def _closed(days_ago: int, **fields) -> Round:
    closes_on = timezone.localdate() - timedelta(days=days_ago)
    return LadderRoundFactory(status=Round.Status.CLOSED, closes_on=closes_on, **fields)


def test_change_is_measured_against_the_previous_closed_round_of_the_same_scope(answer):
    before = _closed(300)
    other_scope = _closed(200, service=ServiceFactory())
    still_open = LadderRoundFactory()  # open rounds are never "previous"
    latest = _closed(10)
    area = latest.ordered_areas()[0]
    answer(before, "staff", area, 3)
    answer(before, "partner", area, 2)
    answer(other_scope, "staff", area, 7)
    answer(still_open, "staff", area, 1)
    answer(latest, "staff", area, 5)
    answer(latest, "partner", area, 3)

    results = round_results(latest)
    assert results.previous == before
    result = results.areas[0]
    assert result.staff_change == 2
    assert result.partner_change == 1
    assert round_results(before).previous is None


def test_no_change_is_shown_when_the_previous_round_used_another_ladder(answer):
    arnstein = Ladder.objects.exclude(pk=LadderRoundFactory().ladder_id).get()
    before = _closed(300, ladder=arnstein)
    latest = _closed(10)
    area = latest.ordered_areas()[0]
    answer(before, "staff", area, 8)
    answer(latest, "staff", area, 5)
    results = round_results(latest)
    assert results.previous == before
    assert not results.comparable
    assert results.areas[0].staff_change is None


def test_results_take_a_fixed_number_of_queries(closed_round, answer, django_assert_max_num_queries):
    for area in closed_round.ordered_areas():
        for position in range(1, 8):
            answer(closed_round, "staff", area, position, evidence="Because", next_step="Then")
            answer(closed_round, "partner", area, position, evidence="Because", next_step="Then")
    round_ = Round.objects.with_scope().get(pk=closed_round.pk)
    with django_assert_max_num_queries(6):
        round_results(round_)


def test_latest_positions_feed_the_dashboard(answer):
    assert latest_positions() == []
    before = _closed(200)
    latest = _closed(20)
    LadderRoundFactory()  # open: not yet a position
    governance = latest.ordered_areas()[0]
    for position in (3, 4):
        answer(before, "staff", governance, position)
        answer(before, "partner", governance, position - 1)
    for position in (6, 6, 5):
        answer(latest, "staff", governance, position)
    for position in (3, 4):
        answer(latest, "partner", governance, position)

    positions = latest_positions()
    assert [p.area for p in positions] == latest.ordered_areas()
    first = positions[0]
    assert first.round == latest
    assert (first.staff_median, first.partner_median, first.gap) == (6, Decimal("3.5"), Decimal("2.5"))
    assert first.staff_change == Decimal("2.5")  # 3.5 → 6
    assert first.partner_change == 1  # 2.5 → 3.5
    assert first.median == 5  # 3, 4, 5, 6, 6
    assert first.change == 2  # 3 (2, 3, 3, 4) → 5
    assert positions[1].staff_median is None

    assert latest_positions(service=ServiceFactory()) == []
