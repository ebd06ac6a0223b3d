"""`{% load money %}` then `{{ amount|pounds }}` → £1,234.50, the one way money is shown."""

from django import template

from coprod.money import pounds as format_pounds

register = template.Library()


@register.filter
def pounds(value) -> str:
    return format_pounds(value)
