"""Template helpers for the consent and training pages."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, param: str, number: int) -> str:
    """The current URL's query string with `param` set to `number` (other
    filters and other lists' page numbers kept)."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()
