"""The one-area-per-screen flow in Chromium: by keyboard alone, and accessible when an
answer is missing."""

import pytest
from django.urls import reverse

from ladder.models import Response

from ..browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_answers_an_area_by_keyboard_alone(world, browser_page_for):
    round_ = world.ladder_open
    tab = browser_page_for(world.partner.user)
    tab.goto(reverse("ladder:respond", args=[round_.pk, 2]))
    tab.locator("#rung-1").focus()
    tab.keyboard.press("ArrowDown")  # moves to, and chooses, step 2
    tab.keyboard.press("Tab")
    tab.keyboard.type("Staff explain things but we do not decide")
    tab.keyboard.press("Tab")
    tab.keyboard.type("Ask us first")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent.trim()") == "Save and next"
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"**{reverse('ladder:respond', args=[round_.pk, 3])}")
    answer = Response.objects.get(respondent=world.ladder_mine, area=round_.ordered_areas()[1])
    assert answer.rung.position == 2
    assert answer.next_step == "Ask us first"
    assert not tab.errors


def test_the_missing_answer_message_passes_axe(world, browser_page_for):
    round_ = world.ladder_open
    tab = browser_page_for(world.partner.user)
    tab.goto(reverse("ladder:respond", args=[round_.pk, 3]))
    tab.get_by_role("button", name="Save and finish").click()
    # Beside the question, and in the error summary at the top of the page.
    message = "Choose the step of the ladder you think we are on."
    assert tab.locator("#rung-error").get_by_text(message).is_visible()
    assert axe_violations(tab) == []
    assert not tab.errors
