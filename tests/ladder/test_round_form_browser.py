"""Inviting partners on the round form in a real browser: a partner found by typing (the
arrow keys and Enter choose) is added to the list with "Add this partner", a second one the
same way, and the round saves with both; axe finds nothing on the form."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ladder.models import Round

from ..browser import axe_violations
from ..participants.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _add(tab, text: str, name: str) -> None:
    field = tab.locator("[data-partner-text]")
    field.click()
    field.fill("")
    tab.keyboard.type(text)
    options = tab.locator("[role=option]")
    options.first.wait_for()
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")
    assert field.input_value() == name
    tab.get_by_role("button", name="Add this partner").click()
    tab.get_by_role("checkbox", name=name).wait_for()


def test_staff_add_two_partners_by_name_then_save_the_round(world, browser_page_for):
    quinn = PartnerFactory(full_name="Quinn Zebedee")
    xena = PartnerFactory(full_name="Xena Yarrow")
    tab = browser_page_for(world.staff)
    tab.goto(reverse("ladder:round_create"))
    problems = axe_violations(tab)
    assert not problems, "\n".join(problems)
    tab.get_by_label("Title").fill("Browser round")
    _add(tab, "Quinn", "Quinn Zebedee")
    _add(tab, "Xena", "Xena Yarrow")
    assert tab.get_by_role("checkbox", name="Quinn Zebedee").is_checked()
    assert tab.get_by_label("Title").input_value() == "Browser round", "what was typed stays"
    problems = axe_violations(tab)
    assert not problems, "\n".join(problems)
    tab.locator('input[name="areas"]').first.check()
    closes = timezone.localdate() + timedelta(days=10)
    tab.locator('input[name="closes_on_day"]').fill(str(closes.day))
    tab.locator('input[name="closes_on_month"]').fill(str(closes.month))
    tab.locator('input[name="closes_on_year"]').fill(str(closes.year))
    tab.get_by_role("button", name="Save as draft").click()
    tab.wait_for_url("**/staff/ladder/rounds/*/")
    round_ = Round.objects.get(title="Browser round")
    assert set(round_.respondents.values_list("partner", flat=True)) == {quinn.pk, xena.pk}
    assert not tab.errors, tab.errors
