"""Welsh versions of what the organisation writes itself.

Some text that staff type is read by partners: consent wording, activity type names, panel
purposes, meeting titles and access details, library descriptions. Each such field has a Welsh
version beside it, a column named `<field>_cy` (empty while nobody has written one); the
model lists its fields in `WELSH_FIELDS`. `welsh_version(record, field)` is the one place that
chooses which one a reader gets: the Welsh version when the active language is Welsh and
there is one; otherwise the English, and, for a Welsh reader, a flag saying the Welsh is
missing so the page can say so. Staff pages keep reading the English field itself.

We do not use django-modeltranslation: its fields are added after django-simple-history has
built each historical model, so a change to a Welsh version would not be kept in the history,
and the English field's value would follow the active language (a Welsh-speaking member of
staff editing a form would overwrite the Welsh version, and the history would record it as
the English).
"""

from dataclasses import dataclass

from django import forms
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

WELSH = "cy"

WELSH_LABEL = _("Welsh version (optional)")
WELSH_HELP = _("Leave it empty if you have no Welsh version yet: people who read Welsh then see the "
               "English, with a note saying it is not yet available in Welsh.")


def welsh_form_field(label=WELSH_LABEL, *, max_length: int | None = None, rows: int = 3) -> forms.CharField:
    """A staff form's field for a Welsh version, placed beside the English field. Optional:
    nothing new is refused. `label` names what it is the Welsh of when a form has several."""
    widget = None if max_length else forms.Textarea(attrs={"rows": rows})
    return forms.CharField(label=label, help_text=WELSH_HELP, required=False, max_length=max_length,
                           widget=widget)


def welsh_column(*, max_length: int | None = None) -> models.Field:
    """The Welsh version beside an English field: the same kind of column, empty by default."""
    if max_length:
        return models.CharField(WELSH_LABEL, max_length=max_length, blank=True, help_text=WELSH_HELP)
    return models.TextField(WELSH_LABEL, blank=True, help_text=WELSH_HELP)


@dataclass(frozen=True)
class Version:
    """The text a reader gets: `lang` is "cy" or "en"; `missing` when a Welsh reader gets
    the English because there is no Welsh version yet."""

    text: str
    lang: str
    missing: bool = False

    def __str__(self) -> str:
        return self.text


def reads_welsh(language: str | None = None) -> bool:
    """Whether `language` (by default the active language) is Welsh."""
    return (language or translation.get_language() or "").lower().startswith(WELSH)


def welsh_of(record, field: str) -> str:
    """The Welsh version of `record.<field>`, "" when there is none."""
    return (getattr(record, f"{field}_{WELSH}", "") or "").strip()


def has_welsh(record, field: str) -> bool:
    return bool(welsh_of(record, field))


def welsh_version(record, field: str, language: str | None = None) -> Version:
    """`record.<field>` as a reader in `language` (by default the active one) gets it."""
    english = getattr(record, field) or ""
    if not reads_welsh(language):
        return Version(english, "en")
    welsh = welsh_of(record, field)
    if welsh:
        return Version(welsh, WELSH)
    # Nothing written in either language: nothing to apologise for.
    return Version(english, "en", missing=bool(english.strip()))


def welsh_plain(record, field: str, language: str | None = None) -> str:
    """`record.<field>` as plain text for a reader in `language`, with "(Not yet available in
    Welsh)" after the English when a Welsh reader has no Welsh version: for plain-text notices,
    calendar files and choices in a form, where the text cannot be marked up."""
    version = welsh_version(record, field, language)
    if version.missing:
        return gettext("%(text)s (Not yet available in Welsh)") % {"text": version.text}
    return version.text


def welsh_status(record, field: str) -> str:
    """For staff lists: whether `record.<field>` has a Welsh version, in words."""
    return gettext("Also in Welsh") if has_welsh(record, field) else gettext("No Welsh version yet")


def welsh_missing(record) -> list[str]:
    """The fields of `record` (its `WELSH_FIELDS`) with English text but no Welsh version."""
    return [field for field in record.WELSH_FIELDS
            if (getattr(record, field) or "").strip() and not has_welsh(record, field)]
