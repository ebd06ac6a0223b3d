"""Which language coprod speaks to whom.

A person's own choice (`language` on their login, and on a partner's record for what is sent
to them) wins over the switcher's cookie and the browser's preference, which Django's
`LocaleMiddleware` reads for everyone else. Whatever is sent to someone (e-mails, texts,
letters, calendar files, PDFs) is rendered inside `in_language(their language)`, so it goes
out in the recipient's language, not the sender's.
"""

from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils import translation

from .changes import model_update
from .registry import Registry
from .roles import require


def supported(language: str | None) -> str:
    """`language` if coprod speaks it, else the organisation's default (settings.LANGUAGE_CODE)."""
    codes = {code for code, _ in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


@contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """Render what is inside in `language` (blank or unknown: the default language)."""
    with translation.override(supported(language)):
        yield


class PersonLanguageMiddleware:
    """After authentication: a signed-in person who chose a language is answered in it,
    whatever their browser says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if chosen:
            translation.activate(supported(chosen))
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


# --- A person chooses their language ---
# A login's choice is kept on the login (`user.language`) by the core. A feature app that keeps
# a language elsewhere for the same person (participants: the partner record's, which what is
# sent to them follows) registers `saver(person=..., language=..., by=...)` from its
# `AppConfig.ready()`, and it is called, in the same transaction, whenever a person chooses.
language_savers = Registry("language savers")


def register_language_saver(key: str, saver: Callable[..., object]) -> None:
    """`saver(person=, language=, by=)` keeps `person`'s chosen language wherever its app does."""
    language_savers.register(key, saver)


def _is_themselves(person) -> Callable[[object], bool]:
    return lambda user: user.pk == person.pk


@transaction.atomic
def person_language_set(*, person, language: str, by) -> str:
    """`person` (a login) chose `language`: their pages and what is sent to them follow it from
    now on. Only the person themselves (or the system) may choose; an unknown language is
    refused. Answers the language kept."""
    require(_is_themselves(person), by, "Only the person themselves can choose their language.")
    if language not in {code for code, _ in settings.LANGUAGES}:
        raise ValueError(f"coprod does not speak {language!r}")
    model_update(instance=person, data={"language": language}, by=by)
    for saver in language_savers:
        saver(person=person, language=language, by=by)
    return language


# --- Which parts of the catalogue partners read ---
# Every language coprod ships translates these completely (tests/test_translations.py checks
# it); a language may leave staff-only pages for later. Glob patterns over the `#:` locations
# of the catalogue, relative to the project folder.
PARTNER_FACING = [
    "templates/base.html",
    "templates/_language_switcher.html",
    "templates/portal_base.html",
    "templates/_portal_menu.html",
    "templates/_portal_sections.html",
    "templates/_error_summary.html",
    "templates/_back_heading.html",
    "templates/40[34].html",
    "templates/429.html",
    "templates/*/my_*",
    "templates/*/_my_*",
    "templates/participants/portal_home.html",
    "templates/participants/invitation_*",
    "templates/account/*",
    "templates/allauth/*",
    "templates/*/email/*",
    "templates/*/notices/*",
    "templates/reciprocity/reports/*",
    "templates/reports/partner_export.html",
    "templates/reports/base.html",
]
