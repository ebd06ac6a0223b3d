import datetime

import pytest

from coprod.periods import custom
from coprod.periods import previous_quarter
from coprod.periods import quarter_of
from coprod.periods import year_to

D = datetime.date


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [(D(2026, 1, 1), D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
     (D(2026, 4, 1), D(2026, 4, 1), D(2026, 6, 30)), (D(2026, 11, 22), D(2026, 10, 1), D(2026, 12, 31))],
)
def test_quarter_of_a_day(day, start, end):
    quarter = quarter_of(day)
    assert (quarter.start, quarter.end) == (start, end)


def test_previous_quarter_crosses_the_year():
    quarter = previous_quarter(D(2026, 2, 10))
    assert (quarter.start, quarter.end) == (D(2025, 10, 1), D(2025, 12, 31))
    assert quarter.label == "October to December 2025"


def test_year_to_a_day_covers_365_days():
    period = year_to(D(2026, 11, 22))
    assert period.start == D(2025, 11, 23)
    assert period.days == 365


def test_a_custom_period_must_not_end_before_it_starts():
    with pytest.raises(ValueError):
        custom(D(2026, 5, 2), D(2026, 5, 1))
    assert custom(D(2026, 5, 1), D(2026, 5, 1)).days == 1
