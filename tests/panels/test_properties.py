"""Property-based tests of the panels services that take what people type or upload:
meeting dates and titles, decisions, staff time, papers, proposals and recruitment rounds.
Whatever comes in, bad input is refused with a message and saves nothing; good input is
kept as it was meant."""

import datetime
from datetime import timedelta
from decimal import Decimal
from decimal import InvalidOperation

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from panels import services
from panels.models import Meeting
from panels.models import Panel

from ..properties import any_text
from ..properties import assert_refused
from ..properties import days_after
from ..properties import example
from ..properties import expected_text
from ..properties import money_inputs
from ..properties import near_and_far_dates
from ..properties import random_uploads
from ..properties import real_uploads
from ..properties import years_ahead
from .factories import PanelFactory

pytestmark = pytest.mark.django_db

PAPER_NAMES = ["agenda.pdf", "map.png", "photo.jpg", "photo.jpeg", "poster.gif", "plan.webp", "notes.docx"]


@pytest.fixture
def panel(db):
    return PanelFactory(kind=Panel.Kind.CHALLENGE)


def _meeting_data(day: datetime.date, **overrides) -> dict:
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    data = {"title": "Review of the leaflet", "starts_at": starts, "ends_at": starts + timedelta(hours=2),
            "format": Meeting.Format.ONLINE}
    return {**data, **overrides}


@given(day=near_and_far_dates())
def test_a_meeting_is_scheduled_only_from_a_year_back_to_two_years_ahead(panel, staff, day):
    today = timezone.localdate()
    schedule = lambda: services.meeting_schedule(panel=panel, data=_meeting_data(day), by=staff)  # noqa: E731
    with example():
        if today - timedelta(days=366) <= day <= years_ahead(today, 2):
            assert timezone.localdate(schedule().starts_at) == day
        else:
            assert_refused(schedule, field="starts_at")


@given(title=any_text)
def test_a_meeting_title_is_plain_text_of_150_characters_at_most(panel, staff, title):
    expected = expected_text(title, limit=150)
    data = _meeting_data(timezone.localdate() + timedelta(days=7), title=title)
    with example():
        if expected is None:
            assert_refused(lambda: services.meeting_schedule(panel=panel, data=data, by=staff))
        else:
            assert services.meeting_schedule(panel=panel, data=data, by=staff).title == expected


@given(day=near_and_far_dates(), title=any_text)
def test_a_decision_is_logged_with_a_past_date_since_2000_and_a_plain_title(staff, day, title):
    today = timezone.localdate()
    expected = expected_text(title, limit=200)
    record = lambda: services.decision_record(  # noqa: E731
        title=title, decided_on=day, decided_by="board", by=staff)
    with example():
        if datetime.date(2000, 1, 1) <= day <= today and expected is not None:
            decision = record()
            assert (decision.decided_on, decision.title) == (day, expected)
        else:
            assert_refused(record)


def _expected_hours(text: str) -> Decimal | None:
    try:
        hours = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not hours.is_finite() or not 0 < hours <= 24 or hours != hours.quantize(Decimal("0.01")):
        return None
    return hours


@given(hours=money_inputs, day=near_and_far_dates(40))
def test_staff_time_is_more_than_0_and_at_most_24_hours_on_a_day_that_has_been(panel, staff, hours, day):
    today = timezone.localdate()
    expected = _expected_hours(hours)
    log = lambda: services.staff_time_log(  # noqa: E731
        panel=panel, category="preparation", hours=hours, spent_on=day, by=staff)
    with example():
        if expected is not None and datetime.date(2000, 1, 1) <= day <= today:
            entry = log()
            assert (entry.hours, entry.spent_on) == (expected, day)
        else:
            assert_refused(log)


@given(upload=random_uploads(PAPER_NAMES))
def test_random_bytes_named_like_a_document_are_refused_as_a_paper(panel, staff, upload):
    with example():
        meeting = services.meeting_schedule(panel=panel, data=_meeting_data(timezone.localdate()), by=staff)
        assert_refused(lambda: services.paper_add(meeting=meeting, title="", file=upload, by=staff),
                       field="file")


@given(upload=real_uploads(["PDF", "PNG", "JPEG", "GIF", "WEBP"]))
def test_a_real_pdf_or_image_is_kept_as_a_paper(panel, staff, upload):
    with example():
        meeting = services.meeting_schedule(panel=panel, data=_meeting_data(timezone.localdate()), by=staff)
        paper = services.paper_add(meeting=meeting, title="", file=upload, by=staff)
        assert paper.file.size == upload.size


@given(day=near_and_far_dates(400))
def test_a_response_deadline_is_from_today_to_a_year_ahead(panel, staff, day):
    today = timezone.localdate()
    create = lambda: services.proposal_create(  # noqa: E731
        title="Opening hours", summary="Longer evening hours.", panel=panel, owner=staff,
        response_deadline=day, by=staff)
    with example():
        if today <= day <= years_ahead(today, 1):
            assert create().response_deadline == day
        else:
            assert_refused(create, field="response_deadline")


@given(opens_on=near_and_far_dates(), length=st.integers(min_value=-30, max_value=400))
def test_a_recruitment_round_runs_forwards_between_2000_and_five_years_ahead(staff, opens_on, length):
    closes_on = days_after(opens_on, length)
    latest = years_ahead(timezone.localdate(), 5)
    create = lambda: services.recruitment_round_create(  # noqa: E731
        post_title="Housing adviser", opens_on=opens_on, closes_on=closes_on, by=staff)
    with example():
        if datetime.date(2000, 1, 1) <= opens_on <= closes_on <= latest:
            recruitment = create()
            assert (recruitment.opens_on, recruitment.closes_on) == (opens_on, closes_on)
        else:
            assert_refused(create)
