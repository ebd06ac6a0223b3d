"""The accessibility sweep: each role visits every page it can reach in
Debian's Chromium; any WCAG 2.0/2.1/2.2 A or AA violation found by axe-core,
and any console error, fails the test. It runs in every language coprod ships (a
translation can break a page: a longer label, a missing `lang`), each page checked to be
in the language asked for."""

import pytest
from django.conf import settings
from django.urls import reverse

from .browser import axe_violations
from .permissions import OK
from .permissions import PAGES
from .permissions import ROLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pages_for(role: str) -> list:
    return [page for page in PAGES if page.sweep and page.method == "get" and page.expected(role) == OK]


# Every role in English and Welsh (complete languages); in the others, what partners and visitors
# see (staff pages may stay English there). Three full sweeps took three times one, some 24
# minutes on a busy two-core machine, mostly the staff pages.
FULL_SWEEP = ("en-gb", "cy")
PARTNER_ROLES = ("anonymous", "partner", "other_partner")
SWEEPS = [(role, code) for code, _ in settings.LANGUAGES for role in ROLES
          if code in FULL_SWEEP or role in PARTNER_ROLES]


@pytest.mark.parametrize(("role", "language"), SWEEPS)
def test_every_page_a_role_reaches_passes_axe(role, language, world, browser_page_for):
    tab = browser_page_for(world.user_for(role), language=language)
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
        if (shown := tab.evaluate("document.documentElement.lang")) != language:
            problems.append(f"{url}: in {shown!r}, not {language!r}")
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
    tab.keyboard.press("Tab")  # Cymraeg (the language switcher)
    tab.keyboard.press("Tab")  # Polski
    tab.keyboard.press("Tab")  # e-mail
    tab.keyboard.type("staff@example.test")
    tab.keyboard.press("Tab")  # password
    from .participants.factories import PASSWORD

    tab.keyboard.type(PASSWORD)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/staff/")
    assert tab.locator("h1").inner_text() == "Staff portal"


@pytest.mark.parametrize("phone", [False, True])
def test_keyboard_user_switches_language_and_stays_on_the_page(phone, world, browser_page_for):
    tab = browser_page_for(world.partner.user)
    if phone:
        tab.set_viewport_size({"width": 390, "height": 844})
    url = reverse("participants:my_details")
    tab.goto(url)
    welsh = tab.get_by_role("button", name="Cymraeg")
    assert welsh.is_visible()
    assert tab.get_by_role("form", name="Language").is_visible()
    welsh.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_function("document.documentElement.lang === 'cy'")
    assert tab.url.endswith(url)
    assert tab.get_by_role("form", name="Iaith").is_visible()
    assert tab.get_by_role("button", name="English").is_visible()
    assert not axe_violations(tab)
    world.partner.refresh_from_db()
    assert world.partner.language == "cy"
