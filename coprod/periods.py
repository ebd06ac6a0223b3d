"""Reporting periods: quarters, years and custom ranges, inclusive of both ends."""

import datetime
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_params(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}

    @classmethod
    def from_params(cls, params: dict) -> "Period":
        return cls(datetime.date.fromisoformat(params["start"]), datetime.date.fromisoformat(params["end"]),
                   params["label"])


def quarter_of(day: datetime.date) -> Period:
    """The calendar quarter containing `day` (January–March is quarter 1)."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    end = (datetime.date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
           - datetime.timedelta(days=1))
    return Period(start, end, f"{start:%B} to {end:%B %Y}")


def previous_quarter(day: datetime.date | None = None) -> Period:
    day = day or timezone.localdate()
    return quarter_of(quarter_of(day).start - datetime.timedelta(days=1))


def year_to(day: datetime.date) -> Period:
    start = datetime.date(day.year - 1, day.month, day.day) + datetime.timedelta(days=1) \
        if not (day.month == 2 and day.day == 29) else datetime.date(day.year - 1, 3, 1)
    return Period(start, day, f"the year to {day:%-d %B %Y}")


def custom(start: datetime.date, end: datetime.date) -> Period:
    if end < start:
        raise ValueError("The period must end on or after the day it starts.")
    return Period(start, end, f"{start:%-d %B %Y} to {end:%-d %B %Y}")
