"""GOV.UK-style forms in a real browser: a form with errors opens with "There is a
problem" focused, each error links to its field, the title starts "Error: ", dates are
typed in day, month and year boxes, and a partner's own details can be filled in by the
browser (autocomplete)."""

import pytest
from django.urls import reverse

from ..browser import axe_violations
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_form_with_errors_opens_on_its_error_summary(browser_page_for):
    tab = browser_page_for(StaffFactory())
    tab.goto(reverse("participants:partner_create"))
    assert not tab.locator("[data-error-summary]").count()
    tab.fill("#id_email", "not-an-address")
    tab.get_by_role("button", name="Add the partner").click()

    assert tab.title().startswith("Error: Add a partner")
    summary = tab.locator("[data-error-summary]")
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    assert tab.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert summary.bounding_box()["y"] < 300
    links = summary.get_by_role("link")
    assert links.all_inner_texts() == [
        "Enter their full name. Every other detail can be added later.",
        "Enter a valid email address in the form name@example.org, or leave it empty.",
    ]
    links.nth(1).click()
    assert tab.evaluate("document.activeElement.id") == "id_email"
    assert axe_violations(tab) == []
    assert tab.errors == []


def test_a_date_is_typed_in_day_month_and_year_boxes(browser_page_for):
    tab = browser_page_for(StaffFactory())
    tab.goto(reverse("panels:decision_create"))
    for box in ("Day", "Month", "Year"):
        assert tab.get_by_label(box, exact=True).count() == 1
    tab.get_by_label("Day", exact=True).fill("31")
    tab.get_by_label("Month", exact=True).fill("2")
    tab.get_by_label("Year", exact=True).fill("2026")
    tab.get_by_role("button", name="Log the decision").click()

    summary = tab.locator("[data-error-summary]")
    summary.get_by_role("link", name="Enter a real date").click()
    assert tab.evaluate("document.activeElement.id") == "id_decided_on_0"
    # What was typed is kept, to be corrected.
    assert tab.input_value("#id_decided_on_0") == "31"
    assert tab.input_value("#id_decided_on_2") == "2026"
    assert axe_violations(tab) == []


def test_a_partners_own_details_carry_autocomplete(browser_page_for):
    partner = PartnerWithLoginFactory()
    tab = browser_page_for(partner.user)
    tab.goto(reverse("participants:my_details_edit"))
    autocomplete = {name: tab.get_attribute(f"[name={name}]", "autocomplete")
                    for name in ("preferred_name", "email", "phone", "address")}
    assert autocomplete == {"preferred_name": "nickname", "email": "email", "phone": "tel",
                            "address": "street-address"}
