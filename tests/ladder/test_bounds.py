"""Sensible bounds on a ladder round's closing date and an action's due date."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ladder.models import Action
from ladder.models import Area
from ladder.models import Ladder
from ladder.models import Round

from ..participants.factories import StaffFactory
from .factories import _current_ladder

pytestmark = pytest.mark.django_db


def test_a_round_closing_two_years_ahead_is_refused_with_a_message(client):
    _current_ladder()
    client.force_login(StaffFactory())
    later = timezone.localdate() + timedelta(days=730)
    response = client.post(reverse("ladder:round_create"), {
        "title": "Spring self-assessment", "ladder": Ladder.current().pk,
        "areas": [Area.objects.active().first().pk], "closes_on": later.isoformat()})
    assert response.status_code == 200
    assert "Choose a closing date within a year" in response.content.decode()
    assert not Round.objects.exists()


def test_an_action_due_in_the_year_3000_is_refused_with_a_message(client):
    _current_ladder()
    staff = StaffFactory()
    client.force_login(staff)
    response = client.post(reverse("ladder:action_create"), {
        "area": Area.objects.first().pk, "description": "Pay partners within 14 days", "owner": staff.pk,
        "due_on": "3000-01-01", "status": Action.Status.NOT_STARTED})
    assert response.status_code == 200
    assert "cannot be more than five years ahead" in response.content.decode()
    assert not Action.objects.exists()
