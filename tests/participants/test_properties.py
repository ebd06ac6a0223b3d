"""Property-based tests of the participants services that take dates, periods and text:
training completions, how long an invitation link works, and a partner's name. Whatever
comes in, bad input is refused with a message and saves nothing; good input is kept as it
was meant."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from participants import services
from participants.models import Course

from ..properties import any_text
from ..properties import assert_refused
from ..properties import example
from ..properties import expected_text
from ..properties import near_and_far_dates
from .factories import PartnerFactory
from .factories import SensitiveStaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return SensitiveStaffFactory()


@pytest.fixture
def course(db):
    return Course.objects.create(name="First aid", valid_for_months=24)


@given(day=near_and_far_dates())
def test_a_training_completion_is_dated_between_1990_and_today(staff, course, day):
    with example():
        partner = PartnerFactory()
        record = lambda: services.training_record(  # noqa: E731
            course=course, partner=partner, completed_on=day, by=staff)
        if datetime.date(1990, 1, 1) <= day <= timezone.localdate():
            assert record().completed_on == day
        else:
            assert_refused(record, field="completed_on")


@given(days=st.integers(min_value=-(10**6), max_value=10**6))
def test_an_invitation_link_works_for_1_to_60_days(staff, days):
    invite = lambda: services.invitation_create(  # noqa: E731
        email="new.person@example.test", full_name="New Person", role="trustee", by=staff, days_valid=days)
    with example():
        if 1 <= days <= 60:
            invitation = invite()
            assert (invitation.expires_at - invitation.created_at).days in (days - 1, days)
        else:
            assert_refused(invite, field="days_valid")


@given(full_name=any_text, preferred_name=any_text)
def test_a_partner_record_keeps_names_only_as_plain_text_within_their_lengths(
        staff, full_name, preferred_name):
    name = expected_text(full_name, limit=150)
    preferred = expected_text(preferred_name, limit=80, required=False)
    create = lambda: services.partner_create(  # noqa: E731
        data={"full_name": full_name, "preferred_name": preferred_name}, by=staff)
    with example():
        if name is not None and preferred is not None:
            partner = create()
            assert (partner.full_name, partner.preferred_name) == (name, preferred)
        else:
            assert_refused(create)
