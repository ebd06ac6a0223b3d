"""`{% languages as choices %}`: the languages coprod speaks, each as (code, name in itself), for
the language switcher. From settings.LANGUAGES, untranslated: "Cymraeg" stays "Cymraeg" whatever
language the page is in (Django's own `get_available_languages` would translate the names)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def languages() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)
