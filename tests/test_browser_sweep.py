"""The accessibility sweep: each role visits every page it can reach in
Debian's Chromium; any WCAG 2.0/2.1/2.2 A or AA violation found by axe-core,
and any console error, fails the test."""

import pytest
from django.urls import reverse

from .browser import axe_violations
from .permissions import OK
from .permissions import PAGES
from .permissions import ROLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pages_for(role: str) -> list:
    return [page for page in PAGES if page.sweep and page.method == "get" and page.expected(role) == OK]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_passes_axe(role, world, browser_page_for):
    tab = browser_page_for(world.user_for(role))
    problems = []
    pages = _pages_for(role)
    assert pages, f"{role} reaches no page at all"
    for page in pages:
        url = reverse(page.name, kwargs=page.kwargs(world))
        tab.errors.clear()
        response = tab.goto(url)
        if response.status != 200:
            problems.append(f"{url}: answered {response.status}")
            continue
        problems += [f"{url}: {line}" for line in axe_violations(tab)]
        problems += [f"{url}: console error: {error}" for error in tab.errors]
    assert not problems, "\n".join(problems)


def test_keyboard_user_can_skip_to_main_content(world, browser_page_for):
    tab = browser_page_for(world.staff)
    tab.goto(reverse("coprod:staff_home"))
    tab.keyboard.press("Tab")
    focused = tab.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert tab.locator(".skip-link").is_visible(), "the skip link shows when it has focus"
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"


def test_keyboard_user_can_sign_in(world, browser_page_for):
    tab = browser_page_for(None)
    tab.goto(reverse("account_login"))
    tab.keyboard.press("Tab")  # skip link
    tab.keyboard.press("Tab")  # organisation name
    tab.keyboard.press("Tab")  # e-mail
    tab.keyboard.type("staff@example.test")
    tab.keyboard.press("Tab")  # password
    from .participants.factories import PASSWORD

    tab.keyboard.type(PASSWORD)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/staff/")
    assert tab.locator("h1").inner_text() == "Staff portal"
