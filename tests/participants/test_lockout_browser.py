"""The sign-in lock and the "too many requests" page, which no link reaches, audited
with axe-core in Chromium the way a person meets them: by signing in too often."""

import pytest
from django.urls import reverse

from ..browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _try_to_sign_in(tab, email: str, password: str):
    tab.get_by_label("E-mail address").fill(email)
    tab.get_by_label("Password").fill(password)
    with tab.expect_navigation() as navigation:
        tab.get_by_role("button", name="Sign in").click()
    return navigation.value


def _problems(tab, status: int) -> list[str]:
    # Chromium logs any non-2xx document as a failed resource; for a 429 that is the point.
    expected = f"status of {status}"
    return axe_violations(tab) + [f"console error: {error}" for error in tab.errors
                                  if not ("Failed to load resource" in error and expected in error)]


def test_the_account_lock_message_passes_axe(world, browser_page_for):
    tab = browser_page_for(None)
    tab.goto(reverse("account_login"))
    for _ in range(5):
        _try_to_sign_in(tab, "staff@example.test", "a-guess")
    response = _try_to_sign_in(tab, "staff@example.test", "a-guess")
    assert response.status == 200
    assert "Too many wrong passwords for this account. Try again in 5 minutes" in tab.content()
    assert not _problems(tab, 200)


def test_the_too_many_requests_page_passes_axe(world, browser_page_for, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    tab = browser_page_for(None)
    tab.goto(reverse("account_login"))
    _try_to_sign_in(tab, "staff@example.test", "a-guess")
    response = _try_to_sign_in(tab, "staff@example.test", "a-guess")
    assert response.status == 429
    assert tab.locator("h1").inner_text() == "Please wait a minute"
    assert not _problems(tab, 429)
