"""Charts are kept in the cache keyed by what they show: drawn once, drawn again when their
figures change, and drawn anyway when the cache cannot be reached."""

from unittest import mock

import pytest
from django.core.cache import cache

from coprod import chartcache
from coprod.charts import bar_chart
from coprod.charts import progress_chart
from coprod.charts import pyplot


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def _drawings(figures: list[dict]) -> int:
    """How many times matplotlib draws for these bar charts, in order."""
    with mock.patch.object(pyplot, "subplots", wraps=pyplot.subplots) as subplots:
        for series in figures:
            bar_chart(["Governance", "Recruitment"], series)
    return subplots.call_count


def test_the_same_figures_are_drawn_once():
    assert _drawings([{"Staff": [5, 3]}, {"Staff": [5, 3]}]) == 1


def test_different_figures_draw_a_new_chart_showing_them():
    assert _drawings([{"Staff": [5, 3]}, {"Staff": [5, 4]}]) == 2
    assert bar_chart(["A", "B"], {"Staff": [1, 2]}) != bar_chart(["A", "B"], {"Staff": [2, 1]})


def test_options_are_part_of_the_key():
    figures = (["A"], {"Staff": [1]})
    assert bar_chart(*figures, ylabel="Answers") != bar_chart(*figures, ylabel="Votes")


def test_values_that_cannot_make_a_key_are_drawn_every_time():
    def counts():
        yield from [5, 3]

    with mock.patch.object(pyplot, "subplots", wraps=pyplot.subplots) as subplots:
        bar_chart(["A", "B"], {"Staff": counts()})
        bar_chart(["A", "B"], {"Staff": counts()})
    assert subplots.call_count == 2


def test_a_cache_that_is_down_still_gives_the_chart(caplog):
    with mock.patch.object(chartcache.cache, "get", side_effect=ConnectionError("Redis is down")):
        svg = bar_chart(["Governance"], {"Staff": [5]})
    assert "Governance" in svg
    assert "Chart cache unavailable" in caplog.text


def test_a_budget_chart_is_drawn_once_and_again_when_spending_changes():
    def drawings(spent: list[float]) -> int:
        with mock.patch.object(pyplot, "subplots", wraps=pyplot.subplots) as subplots:
            for amount in spent:
                progress_chart([("Lottery", 1000.0, amount)], whole="Budget", part="Spent", money=True)
        return subplots.call_count

    assert drawings([250.0, 250.0]) == 1
    assert drawings([250.0, 300.0]) == 1  # 250 is kept; 300 is new
    assert (progress_chart([("Lottery", 1000.0, 250.0)], whole="Budget", part="Spent")
            != progress_chart([("Lottery", 1000.0, 300.0)], whole="Budget", part="Spent"))
