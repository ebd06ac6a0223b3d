"""Reporting periods: quarters, years and custom ranges, inclusive of both ends."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


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


def between(start: datetime.date, end: datetime.date, start_format: str) -> str:
    """"April to June 2026", "1 April to 5 May 2026": the start as `start_format` gives it, the end
    in full, with the active language's month names."""
    end_format = "F Y" if start_format == "F" else "j F Y"
    # Translators: a period of time, e.g. "April to June 2026" or "1 April to 5 May 2026".
    return _("%(start)s to %(end)s") % {"start": date_format(start, start_format),
                                        "end": date_format(end, end_format)}


def quarter_of(day: datetime.date) -> Period:
    """The calendar quarter containing `day` (January–March is quarter 1)."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    end = (datetime.date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
           - datetime.timedelta(days=1))
    return Period(start, end, between(start, end, "F"))


def previous_quarter(day: datetime.date | None = None) -> Period:
    day = day or timezone.localdate()
    return quarter_of(quarter_of(day).start - datetime.timedelta(days=1))


def year_to(day: datetime.date) -> Period:
    start = datetime.date(day.year - 1, day.month, day.day) + datetime.timedelta(days=1) \
        if not (day.month == 2 and day.day == 29) else datetime.date(day.year - 1, 3, 1)
    return Period(start, day, _("the year to %(day)s") % {"day": date_format(day, "j F Y")})


def custom(start: datetime.date, end: datetime.date) -> Period:
    if end < start:
        raise ValueError("The period must end on or after the day it starts.")
    return Period(start, end, between(start, end, "j F Y"))
