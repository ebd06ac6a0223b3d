"""Property-based tests of the ladder services that take dates and text: a round's
closing date and title, an action's due date and description. Whatever comes in, bad
input is refused with a message and saves nothing; good input is kept as it was meant."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given

from ladder import services
from ladder.models import Area

from ..participants.factories import StaffFactory
from ..properties import any_text
from ..properties import assert_refused
from ..properties import example
from ..properties import expected_text
from ..properties import near_and_far_dates
from ..properties import years_ahead
from .factories import _current_ladder

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    _current_ladder()
    return StaffFactory()


@given(day=near_and_far_dates(400), title=any_text)
def test_a_round_closes_between_today_and_a_year_ahead_and_has_a_plain_title(staff, day, title):
    today = timezone.localdate()
    expected = expected_text(title, limit=150)
    create = lambda: services.round_create(  # noqa: E731
        title=title, areas=Area.objects.active(), closes_on=day, by=staff)
    with example():
        if today <= day <= years_ahead(today, 1) and expected is not None:
            round_ = create()
            assert (round_.closes_on, round_.title) == (day, expected)
        else:
            assert_refused(create)


@given(day=near_and_far_dates(), description=any_text)
def test_an_action_is_due_between_2000_and_five_years_ahead_and_is_described_in_plain_text(
        staff, day, description):
    expected = expected_text(description, limit=None)
    create = lambda: services.action_create(  # noqa: E731
        area=Area.objects.first(), description=description, owner=staff, due_on=day, by=staff)
    with example():
        if datetime.date(2000, 1, 1) <= day <= years_ahead(timezone.localdate(), 5) and expected is not None:
            action = create()
            assert (action.due_on, action.description) == (day, expected)
        else:
            assert_refused(create)
