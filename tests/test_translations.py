"""The catalogues: every language coprod ships is complete where it must be. Welsh: everything.
Every other language: everything partners read (coprod.i18n.PARTNER_FACING says where that is);
staff-only pages may wait. No entry is left fuzzy (a guess nobody checked). A catalogue is
locale/<language>/LC_MESSAGES/django.po."""

import re
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context
from django.template import Template
from django.utils import translation

from coprod.i18n import PARTNER_FACING
from coprod.i18n import in_language

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
# Languages translated in full, not only where partners read.
COMPLETE = {"cy"}
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@dataclass
class Entry:
    msgid: str
    msgstrs: list[str]
    locations: list[str]
    flags: set[str]

    @property
    def translated(self) -> bool:
        return bool(self.msgstrs) and all(self.msgstrs)

    @property
    def where(self) -> str:
        return ", ".join(self.locations) or "(no location)"


def _unquote(text: str) -> str:
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text[1:-1])


def parse(text: str) -> list[Entry]:
    """The entries of a PO catalogue (the header and obsolete entries left out)."""
    entries = []
    for block in re.split(r"\n\s*\n", text):
        locations, flags, fields, current = [], set(), {}, None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#:"):
                locations += [place.rsplit(":", 1)[0] for place in line[2:].split()]
            elif line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"') and current:
                fields[current] += _unquote(line)
            else:
                current, _, value = line.partition(" ")
                fields[current] = _unquote(value)
        if not fields.get("msgid"):
            continue  # the header, or only comments and obsolete entries
        msgstrs = [value for key, value in sorted(fields.items()) if key.startswith("msgstr")]
        entries.append(Entry(fields["msgid"], msgstrs, locations, flags))
    return entries


def catalogue(language: str) -> str:
    """The language's catalogue as text."""
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{language}: no catalogue ({po.relative_to(ROOT)}): run make messages"
    return po.read_text(encoding="utf-8")


def partner_facing(entry: Entry) -> bool:
    return any(fnmatch(place, pattern) for place in entry.locations for pattern in PARTNER_FACING)


def test_every_shipped_language_but_english_is_translated():
    assert TRANSLATED == ["cy", "pl"]


def test_make_builds_every_shipped_language():
    makefile = (ROOT / "Makefile").read_text()
    (line,) = [line for line in makefile.splitlines() if line.startswith("TRANSLATED_LANGUAGES :=")]
    assert line.split(":=", 1)[1].split() == TRANSLATED


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_entry_is_left_fuzzy(language):
    fuzzy = [entry.where for entry in parse(catalogue(language)) if "fuzzy" in entry.flags]
    assert not fuzzy, f"{language}: fuzzy entries to check and confirm:\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("language", TRANSLATED)
def test_everything_partners_read_is_translated(language):
    missing = [f"{entry.where}: {entry.msgid!r}" for entry in parse(catalogue(language))
               if not entry.translated and (language in COMPLETE or partner_facing(entry))]
    assert not missing, f"{language}: untranslated entries:\n" + "\n".join(missing)


def test_the_partner_facing_places_are_found():
    sample = parse('#: templates/panels/my_meeting.html:3 templates/panels/meeting_detail.html:9\n'
                   'msgid "Your meeting"\nmsgstr ""\n\n'
                   '#: templates/panels/meeting_detail.html:4\nmsgid "Meeting"\nmsgstr ""\n\n'
                   '#: templates/reciprocity/email/claim_paid.txt:1\n#, fuzzy, python-format\n'
                   'msgid "Paid %(amount)s"\nmsgid_plural "Paid"\nmsgstr[0] "Talwyd"\nmsgstr[1] ""\n')
    assert [partner_facing(entry) for entry in sample] == [True, False, True]
    assert [entry.translated for entry in sample] == [False, False, False]
    assert "fuzzy" in sample[2].flags


def test_a_missing_translation_falls_back_to_english():
    with in_language("cy"):
        assert translation.gettext("A sentence nobody has translated yet") == (
            "A sentence nobody has translated yet")
        rendered = Template('{% load i18n %}{% translate "Nobody has translated this" %}').render(Context())
        assert rendered == "Nobody has translated this"
