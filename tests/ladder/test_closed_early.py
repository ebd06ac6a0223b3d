"""A round closed before its planned closing date shows the day it actually closed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ladder import services

from ..participants.factories import StaffFactory
from .factories import LadderRoundFactory

pytestmark = pytest.mark.django_db


def test_a_round_closed_early_shows_the_day_it_closed(client):
    staff = StaffFactory()
    planned = timezone.localdate() + datetime.timedelta(days=20)
    round_ = LadderRoundFactory(title="Spring check", closes_on=planned)
    services.round_close(round=round_, by=staff)
    round_.refresh_from_db()
    today = timezone.localdate()
    assert round_.closing_date == today

    client.force_login(staff)
    shown_today, shown_planned = f"{today:%-d %B %Y}", f"{planned:%-d %B %Y}"
    detail = client.get(reverse("ladder:round_detail", args=[round_.pk])).content.decode()
    assert f"Closed {shown_today} (planned for {shown_planned})" in detail
    results = client.get(reverse("ladder:results", args=[round_.pk])).content.decode()
    assert f"closed {shown_today}" in results and shown_planned not in results
    listing = client.get(reverse("ladder:round_list")).content.decode()
    assert f"{today:%-d %b %Y}" in listing


def test_an_open_round_shows_its_planned_closing_date():
    planned = timezone.localdate() + datetime.timedelta(days=20)
    assert LadderRoundFactory(closes_on=planned).closing_date == planned
