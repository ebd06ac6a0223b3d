"""Day, month and year boxes (coprod.dates): what is typed becomes a date, or a clear
message with what was typed kept to correct it."""

import datetime

from django import forms

from coprod.dates import INVALID
from coprod.dates import DateField


class _Form(forms.Form):
    day = DateField(label="When was it?")


def _form(**data) -> _Form:
    return _Form({f"day_{part}": value for part, value in data.items()})


def test_three_boxes_make_a_date():
    form = _form(day="7", month="3", year="2026")
    assert form.is_valid()
    assert form.cleaned_data["day"] == datetime.date(2026, 3, 7)


def test_one_value_sent_the_old_way_is_still_a_date():
    form = _Form({"day": "2026-03-07"})
    assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2026, 3, 7)


def test_a_two_figure_year_is_read_as_this_century():
    form = _form(day="7", month="3", year="26")
    assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2026, 3, 7)


def test_a_date_that_does_not_exist_or_is_not_in_numbers_is_refused_and_kept():
    for typed in ({"day": "31", "month": "2", "year": "2026"}, {"day": "seven", "month": "3", "year": "2026"},
                  {"day": "7", "month": "3", "year": "202"}):
        form = _form(**typed)
        assert not form.is_valid()
        assert form.errors["day"] == [INVALID]
        html = str(form["day"])
        assert f'value="{typed["day"]}"' in html and f'value="{typed["year"]}"' in html


def test_nothing_typed_is_a_missing_date():
    form = _form(day="", month="", year="")
    assert not form.is_valid() and form.errors["day"] == ["This field is required."]


def test_each_box_has_its_own_label():
    html = str(_Form()["day"])
    for label, name in (("Day", "day_day"), ("Month", "day_month"), ("Year", "day_year")):
        assert f">{label}</label>" in html and f'name="{name}"' in html
