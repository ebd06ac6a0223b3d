"""Template filters of the reciprocity app (they run no queries)."""

from django import template

from ..models import pounds as format_pounds

register = template.Library()


@register.filter
def pounds(value) -> str:
    """`{{ amount|pounds }}` → £1,234.50"""
    return format_pounds(value)
