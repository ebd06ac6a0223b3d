"""Form widgets that stay fast with thousands of options.

Django renders each <option> of a <select> through its own template include: a filter listing
1,000 services and 2,000 panels spends most of a second in the template engine. `QuickSelect`
writes the same HTML (the same attributes, escaping and selected option) in plain Python.
"""

from html import escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: `name="value"`, a bare `name` for True, nothing for False."""
    return "".join(
        f" {escape(str(name))}" if value is True else f' {escape(str(name))}="{escape(str(value))}"'
        for name, value in attrs.items() if value is not False
    )


class QuickSelect(forms.Select):
    """A <select> with the markup of Django's own, written without a template per option.

    With `label_field` (for a model choice whose label is that field, as a service's or a
    panel's is its name) the options are read as (pk, label) pairs, without making a model
    object of each row."""

    def __init__(self, attrs=None, choices=(), label_field: str | None = None):
        super().__init__(attrs, choices)
        self.label_field = label_field

    def _choices_to_write(self) -> list | ModelChoiceIterator:
        iterator = self.choices
        if self.label_field is None or not isinstance(iterator, ModelChoiceIterator):
            return iterator
        field = iterator.field
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        return empty + list(iterator.queryset.values_list("pk", self.label_field))

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        attributes = dict(widget["attrs"])
        if self.allow_multiple_selected:
            attributes["multiple"] = True
        chosen = set(widget["value"])
        parts = [str(format_html('<select name="{}"', widget["name"])), _attrs(attributes), ">"]
        found = False

        def option(option_value, label) -> str:
            nonlocal found
            text = "" if option_value is None else str(option_value)
            selected = text in chosen and (self.allow_multiple_selected or not found)
            found = found or selected
            return (f'\n  <option value="{escape(text)}"{" selected" if selected else ""}>'
                    f"{escape(str(label))}</option>")

        for group_value, group_label in self._choices_to_write():
            if isinstance(group_label, (list, tuple)):
                parts.append(f'\n  <optgroup label="{escape(str(group_value))}">')
                parts.extend(option(v, label) for v, label in group_label)
                parts.append("\n  </optgroup>")
            else:
                parts.append(option(group_value, group_label))
        parts.append("\n</select>")
        # Every name, value and label above went through html.escape.
        return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


class NameSelect(QuickSelect):
    """A QuickSelect of records labelled by their name (services, panels)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices, label_field="name")
