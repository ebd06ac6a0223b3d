"""The core's bounds (coprod/bounds.py) and the reporting periods that use them: a period
in the year 1 or reaching past today shows a message, never an error page."""

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coprod import bounds
from coprod import governance
from coprod import periods
from coprod.models import Report

pytestmark = pytest.mark.django_db


def test_a_dashboard_period_in_the_year_1_shows_a_message_and_this_quarter(staff_client):
    response = staff_client.get(reverse("coprod:dashboard"),
                                {"period": "custom", "start": "0001-01-01", "end": "0001-12-31"})
    assert response.status_code == 200
    assert "choose dates from 1 January 2000 onwards" in response.content.decode()


def test_a_dashboard_period_reaching_past_today_shows_a_message(trustee_client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = trustee_client.get(reverse("coprod:dashboard"),
                                  {"period": "custom", "start": "2026-01-01", "end": tomorrow.isoformat()})
    assert "The period cannot go past today" in response.content.decode()


def test_a_governance_report_for_next_year_is_refused_and_nothing_is_queued(trustee_client, world):
    before = Report.objects.count()
    start = timezone.localdate() + timedelta(days=30)
    response = trustee_client.post(reverse("coprod:governance_report_request"), {
        "period": "custom", "start": start.isoformat(), "end": (start + timedelta(days=60)).isoformat()})
    assert response.status_code == 400
    assert "The period cannot go past today" in response.content.decode()
    assert Report.objects.count() == before


def test_the_governance_service_checks_the_period_too(world):
    before = Report.objects.count()
    future = periods.Period(datetime.date(9999, 1, 1), datetime.date(9999, 12, 31), "the year 9999")
    with pytest.raises(ValidationError):
        governance.governance_report_request(period=future, service=None, by=world.trustee)
    assert Report.objects.count() == before


def test_five_years_ahead_of_29_february_is_28_february():
    assert bounds.years_after(datetime.date(2028, 2, 29), 5) == datetime.date(2033, 2, 28)


def test_a_date_bound_refuses_what_is_not_a_date():
    with pytest.raises(ValidationError, match="Enter a date"):
        bounds.DECISION.check("decided_on", "2026-01-01")
    with pytest.raises(ValidationError, match="Enter a date"):
        bounds.DECISION.check("decided_on", timezone.now())


@pytest.mark.parametrize("text", ["Bus\x00fare", "\x1b[31mred", "half a \ud800 character"])
def test_text_with_control_characters_is_refused(text):
    with pytest.raises(ValidationError, match="control characters"):
        bounds.check_text("activity", text)


def test_line_breaks_and_tabs_are_kept_in_longer_text():
    assert bounds.check_text("agenda", "  1. Welcome\r\n2.\tLeaflet  ") == "1. Welcome\r\n2.\tLeaflet"
