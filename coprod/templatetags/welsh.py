"""Organisation-written text in the reader's language (see coprod.welsh). A built-in of every
template (settings.TEMPLATES), so no `{% load %}` is needed.

- `{% welsh meeting "title" %}` shows the Welsh version to a Welsh reader, or the English marked
  `lang="en"` with the note "Not yet available in Welsh"; `lines=True` keeps line breaks.
- `{{ meeting|welsh_text:"title" }}`: the text alone, for `<title>`s, hidden labels and attributes.
- `{{ meeting|welsh_plain:"title" }}`: the text with the note in brackets, for plain-text notices.
- `{% welsh_status meeting "title" %}` (staff pages): the Welsh version, or "No Welsh version yet".
- `{{ meeting|has_welsh:"title" }}`: whether there is a Welsh version (staff pages).
"""

from django import template
from django.utils import translation

from coprod import welsh

register = template.Library()


@register.inclusion_tag("_welsh_version.html", name="welsh")
def welsh_field(record, field: str, lines: bool = False) -> dict:
    version = welsh.welsh_version(record, field)
    # English text on a page in another language (Welsh, Polish) is marked as English, so screen
    # readers pronounce it right.
    english_elsewhere = version.lang == "en" and not (translation.get_language() or "en").startswith("en")
    return {"text": version.text, "missing": version.missing, "lang_en": english_elsewhere, "lines": lines}


@register.inclusion_tag("_welsh_status.html", name="welsh_status")
def welsh_status_field(record, field: str) -> dict:
    """For staff: the Welsh version under the English, or that there is none yet."""
    return {"welsh": welsh.welsh_of(record, field)}


@register.filter
def welsh_text(record, field: str) -> str:
    return welsh.welsh_version(record, field).text


@register.filter
def welsh_plain(record, field: str) -> str:
    return welsh.welsh_plain(record, field)


@register.filter
def has_welsh(record, field: str) -> bool:
    return welsh.has_welsh(record, field)
