"""The partner portal on a phone (390 px wide): on every page a partner reaches, the
page's heading starts within the first 200 px, so the menu never pushes it down."""

import pytest
from django.urls import reverse

from ..permissions import OK
from ..permissions import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
HEADING_WITHIN = 200


def _portal_pages() -> list:
    """Every page the browser sweep visits as a partner: all of them are the partner's own."""
    return [page for page in PAGES if page.sweep and page.method == "get" and page.expected("partner") == OK]


def test_every_portal_page_shows_its_heading_at_the_top_on_a_phone(world, browser_page_for):
    tab = browser_page_for(world.partner.user)
    tab.set_viewport_size(PHONE)
    pages = _portal_pages()
    assert len(pages) > 10
    too_low = []
    for page in pages:
        url = reverse(page.name, kwargs=page.kwargs(world))
        tab.goto(url)
        top = tab.locator("h1").first.bounding_box()["y"]
        if top > HEADING_WITHIN:
            too_low.append(f"{url}: heading at {top:.0f} px")
    assert not too_low, "\n".join(too_low)
