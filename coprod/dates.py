"""Dates people type, the GOV.UK way: three boxes, day, month and year, in numbers.

`DateField` is a Django DateField drawn as a `DayMonthYear` multi-widget. The three
boxes are joined into one string the DateField parses as usual ("2026-3-27"), so every
validator and bound already on a date field keeps working; a date sent the old way, as
one "2026-03-27" value (scripts, tests), is still accepted."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

DAY, MONTH, YEAR = _("Day"), _("Month"), _("Year")
INVALID = _("Enter a real date, with the day, month and year in numbers, for example 27 3 2026.")


class DayMonthYear(forms.MultiWidget):
    template_name = "coprod/widgets/day_month_year.html"

    def __init__(self, attrs=None):
        part = {"inputmode": "numeric", "spellcheck": "false"}
        widgets = {
            "day": forms.TextInput(attrs={**part, "maxlength": 2}),
            "month": forms.TextInput(attrs={**part, "maxlength": 2}),
            "year": forms.TextInput(attrs={**part, "maxlength": 4}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value) -> list:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            if "/" in value:  # what was typed, kept to show it again beside its error
                return (value.split("/", 2) + ["", ""])[:3]
            year, __, rest = value.partition("-")
            month, __, day = rest.partition("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name) -> str:
        parts = super().value_from_datadict(data, files, name)
        day, month, year = (str(part or "").strip() for part in parts)
        if not (day or month or year):
            return data.get(name, "")  # one "2026-03-27" value, or nothing typed
        if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
            return f"{year}-{month}-{day}"
        # Unparseable on purpose: the field says "Enter a real date" and shows what was typed.
        return "/".join(part.replace("/", " ") or " " for part in (day, month, year))

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], (DAY, MONTH, YEAR), strict=True):
            subwidget["label"] = label
            # Each box is sized to what it holds (static/css/coprod.css), not the page's width.
            classes = [c for c in subwidget["attrs"].get("class", "").split() if c != "form-control"]
            subwidget["attrs"]["class"] = " ".join(
                [*classes, "form-control", "date-part", f"date-part-{label.lower()}"])
        return context


class DateField(forms.DateField):
    widget = DayMonthYear
    default_error_messages = {"invalid": INVALID}
