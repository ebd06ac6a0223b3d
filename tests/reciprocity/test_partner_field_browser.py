"""The searchable partner field in a real browser, on the "Give recognition" form: two
letters typed show suggestions, the arrow keys and Enter choose one, the form saves for that
partner, and axe finds nothing with the suggestions open."""

import pytest
from django.urls import reverse

from reciprocity.models import Recognition

from ..browser import axe_violations
from ..participants.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_choose_a_partner_by_typing_and_the_keyboard(world, browser_page_for):
    PartnerFactory(full_name="Quentin Zebra", email="quentin@example.test")
    quinn = PartnerFactory(full_name="Quinn Zebedee", email="quinn@example.test")
    tab = browser_page_for(world.staff)
    tab.goto(reverse("reciprocity:recognition_create"))
    field = tab.locator("[data-partner-text]")
    field.click()
    tab.keyboard.type("Qu")
    options = tab.get_by_role("option")
    options.first.wait_for()
    assert options.count() == 2
    assert field.get_attribute("aria-expanded") == "true"
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("ArrowDown")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    assert field.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    problems = axe_violations(tab)
    assert not problems, "\n".join(problems)

    tab.keyboard.press("Enter")
    assert field.input_value() == "Quinn Zebedee"
    assert tab.locator("[data-partner-chosen]").input_value() == str(quinn.pk)
    assert field.get_attribute("aria-expanded") == "false" and options.count() == 0
    assert tab.url.endswith(reverse("reciprocity:recognition_create")), "Enter only chose"
    tab.get_by_label("What for?").fill("Chaired the housing panel")
    tab.get_by_role("button", name="Save").click()
    tab.wait_for_url("**" + reverse("reciprocity:recognition_list"))
    recognition = Recognition.objects.get(title="Chaired the housing panel")
    assert recognition.partner == quinn
    assert not tab.errors, tab.errors
