"""Which language coprod speaks to whom.

A person's own choice (`language` on their login, and on a partner's record for what is sent
to them) wins over the switcher's cookie and the browser's preference, which Django's
`LocaleMiddleware` reads for everyone else. Whatever is sent to someone (e-mails, texts,
letters, calendar files, PDFs) is rendered inside `in_language(their language)`, so it goes
out in the recipient's language, not the sender's.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


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
