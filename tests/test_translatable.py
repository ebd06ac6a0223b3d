"""Every word a person reads in a template goes through a translation tag.

Checks every template under `templates/` (HTML pages and the .txt e-mails): text outside
`{% translate %}` / `{% blocktranslate %}…{% endblocktranslate %}` and outside comments, once
HTML tags and the contents of <script> and <style> are taken away, must hold no letters; nor may
the `alt`, `title`, `aria-label` and `placeholder` attributes, unless their words come from a tag
or a variable (`{% translate 'Close' %}`, `{{ label }}`).

To allow a line that is right as it is, put a comment on that line giving the reason:
    <span lang="cy">Cymraeg</span>{# i18n-ok: a language's own name is never translated #}

To check only some templates (your area, while other areas are being marked), give glob patterns
relative to the project, separated by commas (`*` stays within a folder, `**` crosses folders):
    TRANSLATABLE_ONLY='templates/account/**,templates/*.html' pytest tests/test_translatable.py
"""

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import DebugLexer
from django.template.base import TokenType

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

# What a tag or variable leaves behind in the text checked: no letters, and the line count kept.
HOLE = "\ue000"
LETTERS = re.compile(r"[^\W\d_]+")
# Words that are never translated: the product's name, units and symbols people read as they are.
ALLOWED = {"coprod"}
ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
ALLOW_COMMENT = "i18n-ok:"
SKIPPED_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans",
                  "comment": "endcomment", "verbatim": "endverbatim"}


def skeleton(source: str) -> tuple[str, set[int]]:
    """The template with every tag, variable, comment and blocktranslate block replaced by HOLE
    (keeping its line breaks), and the lines carrying an `i18n-ok:` comment."""
    parts, allowed_lines, closing = [], set(), None
    for token in DebugLexer(source).tokenize():
        start, end = token.position
        raw = source[start:end]
        hole = HOLE + "\n" * raw.count("\n")
        if closing:
            if token.token_type == TokenType.BLOCK and token.contents.split()[:1] == [closing]:
                closing = None
            parts.append(hole)
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(raw)
            continue
        if token.token_type == TokenType.COMMENT and token.contents.strip().startswith(ALLOW_COMMENT):
            allowed_lines.add(token.lineno)
        if token.token_type == TokenType.BLOCK:
            closing = SKIPPED_BLOCKS.get(token.contents.split()[0]) if token.contents.split() else None
        parts.append(hole)
    return "".join(parts), allowed_lines


def words(text: str) -> list[str]:
    return [word for word in LETTERS.findall(text.replace(HOLE, " ")) if word.lower() not in ALLOWED]


class TextFinder(HTMLParser):
    """Collects (line, text) for words left in the page's text and in the attributes people read."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if name in ATTRIBUTES and value and words(value):
                self.found.append((line, f'{name}="{value.replace(HOLE, "…")}"'))
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if self.hidden or not words(data):
            return
        line = self.getpos()[0]
        for offset, text in enumerate(data.split("\n")):
            if words(text):
                self.found.append((line + offset, text.strip().replace(HOLE, "…")))


def untranslated(source: str) -> list[tuple[int, str]]:
    """(line, text) of every piece of text in `source` that a person reads and no tag translates."""
    text, allowed_lines = skeleton(source)
    finder = TextFinder()
    finder.feed(text)
    finder.close()
    return [(line, found) for line, found in finder.found if line not in allowed_lines]


def glob_pattern(pattern: str) -> re.Pattern:
    parts = (".*" if part == "**" else re.escape(part).replace(r"\*", "[^/]*")
             for part in re.split(r"(\*\*)", pattern))
    return re.compile("".join(parts) + r"\Z")


def chosen(path: Path) -> bool:
    given = os.environ.get("TRANSLATABLE_ONLY", "").split(",")
    patterns = [glob_pattern(p.strip()) for p in given if p.strip()]
    relative = path.relative_to(ROOT).as_posix()
    return not patterns or any(pattern.match(relative) for pattern in patterns)


TEMPLATE_FILES = sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt") and chosen(p))


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_text_is_translatable(path):
    found = untranslated(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)} has text no translation tag covers:\n" + "\n".join(
        f"  line {line}: {text}" for line, text in found)


@pytest.mark.parametrize(("source", "expected"), [
    ("<p>Hello</p>", [(1, "Hello")]),
    ('{% load i18n %}<p>{% translate "Hello" %}</p>', []),
    ("<p>{% blocktranslate trimmed with n=x %}Hello\n{{ n }}{% endblocktranslate %}</p>\n<b>Hi</b>",
     [(3, "Hi")]),
    ("{% comment %}Notes for developers{% endcomment %}{# more notes #}<p>£{{ amount }} ×</p>", []),
    ('<img src="x" alt="A chart">', [(1, 'alt="A chart"')]),
    ('<img alt="{% translate "A chart" %}" title="{{ t }}" class="big words">', []),
    ("<script>const words = 'ignored';</script><style>p { color: red }</style>", []),
    ("<p>\n  {{ name }}\n  Lonely words\n</p>", [(3, "Lonely words")]),
    ("<p>Made by coprod</p>{# i18n-ok: a name #}", []),
    ("Your code is:\n\n{{ code }}\n", [(1, "Your code is:")]),
])
def test_the_checker_finds_words_outside_translation_tags(source, expected):
    assert untranslated(source) == expected
