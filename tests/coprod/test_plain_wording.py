"""What people read is written the way they write it: money as £1,405.00 everywhere,
month names with capitals in e-mails."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context
from django.template import Template
from django.urls import reverse

from coprod import governance
from coprod import periods
from coprod.models import OutgoingEmail
from coprod.models import Report

from ..participants.factories import TrusteeFactory
from ..reciprocity.factories import FundingSourceFactory

pytestmark = pytest.mark.django_db


def test_money_has_a_thousands_separator_and_pence_on_the_dashboard(staff_client, world):
    FundingSourceFactory(funder="Lottery", amount=Decimal("1405"))
    page = staff_client.get(reverse("coprod:dashboard") + "?period=last_year").content.decode()
    assert "£1,405.00" in page
    assert "£1405.00" not in page


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal("1405"), "£1,405.00"), (Decimal("1486.1"), "£1,486.10"), (Decimal("0.005"), "£0.01"),
    (12, "£12.00"), (None, "—"),
])
def test_one_filter_shows_money_the_same_way(value, shown):
    assert Template("{% load money %}{{ value|pounds }}").render(Context({"value": value})) == shown


def test_the_report_ready_email_keeps_month_names_capitalised(world, django_capture_on_commit_callbacks):
    TrusteeFactory(email="tess@example.test")
    quarter = periods.quarter_of(datetime.date(2026, 8, 15))
    report = Report.objects.create(kind=Report.Kind.GOVERNANCE, title=f"Governance report: {quarter.label}",
                                   status=Report.Status.DONE, params={"scheduled": True})
    with django_capture_on_commit_callbacks(execute=True):
        governance.notify_ready(report)
    body = OutgoingEmail.objects.get(kind="report_ready").body
    assert "July to September 2026" in body
    assert "july" not in body
