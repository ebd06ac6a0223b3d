"""The claim's question pages in a real browser on a phone: each passes axe, works with
the keyboard's Enter, and ends on "Check your claim before sending it"."""

import datetime

import pytest
from django.urls import reverse

from ..browser import axe_violations
from .helpers import install_default_rates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_claims_step_by_step_on_a_phone(world, browser_page_for):
    install_default_rates()
    tab = browser_page_for(world.partner.user)
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(reverse("reciprocity:my_claim_create"))
    problems = []
    day = datetime.date.today() - datetime.timedelta(days=7)

    def audit(title: str):
        assert tab.locator("h1").inner_text() == title
        assert tab.locator("h1").bounding_box()["y"] <= 200
        problems.extend(f"{title}: {line}" for line in axe_violations(tab))

    audit("What was it for?")
    tab.get_by_label("Something else (tell us below)").check()
    tab.get_by_label("What did you do?").fill("Read the new leaflet")
    tab.get_by_label("Day", exact=True).fill(str(day.day))
    tab.get_by_label("Month", exact=True).fill(str(day.month))
    tab.get_by_label("Year", exact=True).fill(str(day.year))
    tab.get_by_role("button", name="Continue").click()
    audit("What fee are you claiming?")
    tab.get_by_label("No fee, just costs").check()
    tab.get_by_role("button", name="Continue").click()
    audit("Money you spent")
    tab.get_by_role("button", name="Continue").click()  # nothing spent and no fee: refused
    assert tab.title().startswith("Error: ")
    problems.extend(f"costs with an error: {line}" for line in axe_violations(tab))
    tab.get_by_label("Travel (£)").fill("4.80")
    tab.get_by_label("How did you travel?").press("Enter")
    audit("Check your claim before sending it")
    assert "£4.80" in tab.locator("main").inner_text()
    assert not problems, "\n".join(problems)
    assert tab.errors == []
