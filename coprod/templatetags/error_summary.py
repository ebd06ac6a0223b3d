"""The GOV.UK error summary, for every form on every page at once.

base.html asks `{% error_title %}` for the "Error: " that starts the page title and
`{% error_summary %}` for the box at the top of the page: "There is a problem", then
each error as a link to its field. Both look through the page's context for bound forms
and formsets with errors, so no view or template has to pass anything."""

from dataclasses import dataclass

from django import template
from django.forms import BaseForm
from django.forms import MultiWidget
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class Problem:
    message: str
    href: str  # "#id_field", or "" when there is no one field to go to


def _forms_with_errors(context) -> list[BaseForm | BaseFormSet]:
    found, seen = [], set()
    for value in context.flatten().values():
        if isinstance(value, (BaseForm, BaseFormSet)) and value.is_bound and id(value) not in seen:
            seen.add(id(value))
            if not value.is_valid():
                found.append(value)
    return found


def _target(bound) -> str:
    """The id of the box an error links to. A group of boxes (day, month, year) has no
    one label: go to its first box."""
    if bound.id_for_label:
        return bound.id_for_label
    return f"{bound.auto_id}_0" if isinstance(bound.field.widget, MultiWidget) and bound.auto_id else ""


def _form_problems(form: BaseForm, *, prefix: str = "") -> list[Problem]:
    problems = []
    first = next((_target(bound) for bound in form if not bound.is_hidden and _target(bound)), "")
    for error in form.non_field_errors():
        problems.append(Problem(f"{prefix}{error}", f"#{first}" if first else ""))
    for bound in form:
        target = _target(bound)
        for error in bound.errors:
            href = "" if bound.is_hidden or not target else f"#{target}"
            problems.append(Problem(f"{prefix}{error}", href))
    return problems


def problems_in(context) -> list[Problem]:
    problems = []
    for form in _forms_with_errors(context):
        if isinstance(form, BaseFormSet):
            problems += [Problem(str(error), "") for error in form.non_form_errors()]
            for member in form.forms:
                # Registers name the person on each line (`person`); say whose line it is.
                person = getattr(member, "person", "")
                problems += _form_problems(member, prefix=f"{person}: " if person else "")
        else:
            problems += _form_problems(form)
    return problems


@register.simple_tag(takes_context=True)
def error_title(context) -> str:
    return _("Error: ") if _forms_with_errors(context) else ""


@register.inclusion_tag("_error_summary.html", takes_context=True)
def error_summary(context) -> dict:
    return {"problems": problems_in(context)}
