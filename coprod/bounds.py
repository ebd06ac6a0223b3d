"""Sensible bounds on the dates, periods and text people type, each defined once.

A form uses a bound as a validator, so the message appears beside the field; the
service behind the form checks the same bound again, because tasks, imports and the
demo loader call services without a form. Every message says, in plain words, what
is allowed. The README's "Limits on what people type" lists them all.
"""

import datetime
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .money import number

# Records and periods start no earlier than this: a year before it is a typing mistake.
EARLIEST = datetime.date(2000, 1, 1)
# Training certificates can be old: a completion may go back to 1990.
TRAINING_EARLIEST = datetime.date(1990, 1, 1)
# Partners can claim for what they did in the last 365 days (meetings and other activities).
CLAIM_WINDOW_DAYS = 365
# Meetings are scheduled or moved to a day from a year back to two years ahead.
MEETING_DAYS_BACK = 366
MEETING_YEARS_AHEAD = 2
# Plans (due dates, end dates, dates rates and grants run to) reach at most five years ahead.
PLANNING_YEARS = 5
# Deadlines people must meet (answers to a panel, a ladder round's closing date): within a year.
DEADLINE_YEARS = 1
# Reporting periods: the dashboard and governance report at most five years, the payments
# export at most two (about 800 days, so any two tax years fit).
REPORT_MAX_DAYS = 366 * 5
EXPORT_MAX_DAYS = 800
# An invitation link works for 1 to 60 days.
INVITATION_MAX_DAYS = 60


def today() -> datetime.date:
    return timezone.localdate()


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _text(day: datetime.date) -> str:
    return date_format(day, "j F Y")


NOT_A_DATE = _("Enter a date, for example 14 3 2026.")


@dataclass(frozen=True)
class DateBound:
    """A date must lie between `earliest(today)` and `latest(today)`; either may be None.
    `too_early` and `too_late` are the messages; they may name the limit as {earliest}
    or {latest}. Call it as a form field validator, or `check()` it in a service."""

    earliest: Callable[[datetime.date], datetime.date] | None
    latest: Callable[[datetime.date], datetime.date] | None
    too_early: str
    too_late: str

    def limits(self, on: datetime.date | None = None) -> tuple[datetime.date | None, datetime.date | None]:
        on = on or today()
        return (self.earliest(on) if self.earliest else None, self.latest(on) if self.latest else None)

    def message(self, value, on: datetime.date | None = None) -> str | None:
        """What is wrong with `value`, or None when it is within the bound."""
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            return NOT_A_DATE
        earliest, latest = self.limits(on)
        if latest is not None and value > latest:
            return self.too_late.format(latest=_text(latest), earliest=_text(earliest) if earliest else "")
        if earliest is not None and value < earliest:
            return self.too_early.format(earliest=_text(earliest), latest=_text(latest) if latest else "")
        return None

    def __call__(self, value) -> None:
        message = self.message(value)
        if message:
            raise ValidationError(message, code="date_out_of_bounds")

    def check(self, field: str, value, errors: dict | None = None) -> None:
        """In a service: an empty value is left to the caller (required or not); a value out
        of bounds raises ValidationError({field: message}), or is added to `errors`."""
        if value is None:
            return
        message = self.message(value)
        if not message:
            return
        if errors is None:
            raise ValidationError({field: message})
        errors.setdefault(field, message)


def _days_before(days: int) -> Callable[[datetime.date], datetime.date]:
    return lambda on: on - datetime.timedelta(days=days)


def _years_ahead(years: int) -> Callable[[datetime.date], datetime.date]:
    return lambda on: years_after(on, years)


def _same_day(on: datetime.date) -> datetime.date:
    return on


def _always(day: datetime.date) -> Callable[[datetime.date], datetime.date]:
    return lambda on: day


EARLIEST_TEXT = _("Check the year: the date cannot be before {earliest}.")
PLANNING_TEXT = _("Check the year: the date cannot be more than five years ahead (after {latest}).")


def happened(too_late: str, *, earliest: datetime.date = EARLIEST,
             too_early: str = EARLIEST_TEXT) -> DateBound:
    """Something that has happened: not in the future, not before `earliest`."""
    return DateBound(_always(earliest), _same_day, too_early, too_late)


def planned(*, too_early: str = EARLIEST_TEXT, too_late: str = PLANNING_TEXT) -> DateBound:
    """A date in a plan, past or future: from 2000 to five years ahead."""
    return DateBound(_always(EARLIEST), _years_ahead(PLANNING_YEARS), too_early, too_late)


# --- Claims and payments ---

CLAIM_ACTIVITY = DateBound(
    _days_before(CLAIM_WINDOW_DAYS), _same_day,
    too_early=_("We pay back what was done in the last 12 months: the date cannot be before {earliest}."),
    too_late=_("The date cannot be in the future."),
)
PAYMENT = happened(_("The payment date cannot be in the future."))
VOUCHERS_RECEIVED = happened(_("The date received cannot be in the future."))
RECOGNITION = happened(_("The date cannot be in the future."))
RATE_FROM = planned()
RATE_TO = planned()
FUNDING_STARTS = planned()
FUNDING_ENDS = planned()

# --- Panels, meetings, proposals, decisions, staff time, recruitment ---

PANEL_STARTS = planned()
PANEL_ENDS = planned()
MEMBERSHIP_JOINED = planned()
MEMBERSHIP_LEFT = planned()
MEETING = DateBound(
    _days_before(MEETING_DAYS_BACK), _years_ahead(MEETING_YEARS_AHEAD),
    too_early=_("That is more than a year ago. Check the date: meetings can be recorded up to a year back "
              "(from {earliest})."),
    too_late=_("Check the date: meetings can be scheduled up to two years ahead (until {latest})."),
)
RESPONSE_DEADLINE = DateBound(
    _same_day, _years_ahead(DEADLINE_YEARS),
    too_early=_("The deadline for our response cannot be in the past."),
    too_late=_("The panel should get our answers within a year: choose a date until {latest}."),
)
CHANGE_DUE = planned()
DECISION = happened(_("The decision date cannot be in the future: log a decision once it is made."))
STAFF_TIME = happened(_("The day cannot be in the future: log time once it is spent."))
ROUND_OPENS = planned()
ROUND_CLOSES = planned()
STAGE_HELD = planned()

# --- Ladder ---

LADDER_CLOSES = DateBound(
    _same_day, _years_ahead(DEADLINE_YEARS),
    too_early=_("The closing date cannot be in the past."),
    too_late=_("Choose a closing date within a year (until {latest})."),
)
ACTION_DUE = planned()

# --- Training ---

TRAINING_COMPLETED = happened(
    _("The date it was completed cannot be in the future."),
    earliest=TRAINING_EARLIEST, too_early=_("Check the year: that date is too long ago (before {earliest})."),
)


# --- Periods: reports, exports and list filters ---


@dataclass(frozen=True)
class PeriodBound:
    """A period from `start` to `end` (both included). Both dates lie between EARLIEST and
    `latest(today)`; the end is not before the start, nor more than `max_days` after it."""

    latest: Callable[[datetime.date], datetime.date]
    too_late: str
    backwards: str  # may use {start_label} and {end_label}
    max_days: int | None = None
    too_long: str = ""

    def messages(self, start, end, *, start_label: str = _("From"),
                 end_label: str = _("To")) -> list[tuple[str, str]]:
        """What is wrong, as ("start" or "end", message) pairs; empty when the period is fine."""
        found = []
        latest = self.latest(today())
        for key, value in (("start", start), ("end", end)):
            if value is None:
                continue
            if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
                found.append((key, NOT_A_DATE))
            elif value < EARLIEST:
                found.append((key, _("Check the year: choose dates from %(earliest)s onwards.")
                              % {"earliest": _text(EARLIEST)}))
            elif value > latest:
                found.append((key, self.too_late.format(latest=_text(latest))))
        if found or start is None or end is None:
            return found
        if end < start:
            found.append(("end", self.backwards.format(start_label=start_label, end_label=end_label)))
        elif self.max_days is not None and (end - start).days > self.max_days:
            found.append(("end", self.too_long))
        return found

    def check(self, start, end) -> None:
        """In a service: raise ValidationError with every message."""
        found = self.messages(start, end)
        if found:
            raise ValidationError({key: [message for k, message in found if k == key] for key, __ in found})

    def clean_form(self, form, start_name: str, end_name: str, *, non_field: bool = False) -> None:
        """In a form's clean(): add each message beside its field (or above the form)."""
        data = form.cleaned_data
        labels = [str(form.fields[name].label or name) for name in (start_name, end_name)]
        names = {"start": start_name, "end": end_name}
        for key, message in self.messages(data.get(start_name), data.get(end_name),
                                          start_label=labels[0], end_label=labels[1]):
            if names[key] in form.errors and not non_field:
                continue
            form.add_error(None if non_field else names[key], message)


REPORT_PERIOD = PeriodBound(
    latest=_same_day,
    too_late=_("The period cannot go past today: there are no figures yet for days to come."),
    backwards=_("The period must end on or after the day it starts."),
    max_days=REPORT_MAX_DAYS, too_long=_("Choose a period of five years or less."),
)
EXPORT_PERIOD = PeriodBound(
    latest=_same_day,
    too_late=_("The period cannot go past today: nothing has been paid after today yet."),
    backwards=_("The last day cannot be before the first."),
    max_days=EXPORT_MAX_DAYS, too_long=_("Export at most two years at a time."),
)
FILTER_RANGE = PeriodBound(
    latest=_years_ahead(PLANNING_YEARS),
    too_late=_("Check the year: choose a date at most five years ahead (until {latest})."),
    backwards=_("“{end_label}” must be the same day as “{start_label}” or later."),
)
STAFF_TIME_PERIOD = PeriodBound(
    latest=_years_ahead(PLANNING_YEARS),
    too_late=_("Check the year: choose a date at most five years ahead (until {latest})."),
    backwards=_("The end of the period must be on or after its start."),
)


# --- Text ---

# Line breaks and tabs are fine in longer text; other control characters (a NUL byte,
# an escape sequence, a bell) cannot be stored everywhere and are never meant.
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}


def has_control_characters(value: str, *, multiline: bool = True) -> bool:
    allowed = _ALLOWED_CONTROLS if multiline else set()
    return any(
        unicodedata.category(character) in {"Cc", "Cs"} and character not in allowed
        for character in value
    )


CONTROL_TEXT = _("Remove the hidden control characters from the text (they can come with copied text).")


def check_text(field: str, value, *, max_length: int | None = None, multiline: bool = True,
               errors: dict | None = None) -> str:
    """Text for a service: a string, without control characters (line breaks and tabs
    allowed in multi-line text), at most `max_length` characters once trimmed. Answers
    the trimmed text."""
    message = None
    if value is None:
        value = ""
    if not isinstance(value, str):
        message = _("Enter text.")
    else:
        value = value.strip()
        if has_control_characters(value, multiline=multiline):
            message = CONTROL_TEXT
        elif max_length is not None and len(value) > max_length:
            message = _("Keep it to %(most)s characters or fewer.") % {"most": number(max_length)}
    if message:
        if errors is None:
            raise ValidationError({field: message})
        errors.setdefault(field, message)
    return value if isinstance(value, str) else ""
