"""Sections other apps add to a partner's pages.

The participants app sits below panels and reciprocity (they import it, never the
other way round), so a partner's staff page and their portal home cannot load panel
or claim data themselves. Instead each of those apps registers a section: the
template that shows it and a function that loads its data for one partner in a
fixed number of queries. The page's view calls every registered section and passes
the data in; templates run no queries of their own.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Partner

STAFF_PARTNER_PAGE = "staff_partner_page"
PORTAL_HOME = "portal_home"
# Items of "What to look at next" on the portal home: each template renders <li> items from
# `section.items` (a list, empty when nothing waits).
PORTAL_NEXT_STEPS = "portal_next_steps"


@dataclass(frozen=True)
class Section:
    template: str
    data: Callable[[Partner], dict]


_SECTIONS: dict[str, list[Section]] = {STAFF_PARTNER_PAGE: [], PORTAL_HOME: [], PORTAL_NEXT_STEPS: []}


def register(page: str, template: str, data: Callable[[Partner], dict]) -> None:
    """Show `template` on `page` (STAFF_PARTNER_PAGE, PORTAL_HOME or PORTAL_NEXT_STEPS), with the context
    `data(partner)` returns. Sections appear in the order they were registered."""
    section = Section(template, data)
    if section not in _SECTIONS[page]:
        _SECTIONS[page].append(section)


def sections_for(page: str, partner: Partner | None) -> list[dict]:
    """Each registered section of `page` as `{"template": …, **its data}`, for
    `{% for section in sections %}{% include section.template %}{% endfor %}`."""
    return [{"template": section.template, **section.data(partner)} for section in _SECTIONS[page]]
