"""Protected staff time: logged against a panel (or one of its meetings), totalled per
panel and per kind of work for a period."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coprod.periods import quarter_of
from panels import services
from panels.models import StaffTime
from tests.helpers import assert_queries_bounded
from tests.panels.factories import MeetingFactory
from tests.panels.factories import PanelFactory
from tests.panels.factories import StaffTimeFactory
from tests.participants.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _quarter(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    quarter = quarter_of(day)
    return quarter.start, quarter.end


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _log(staff, **changes):
    data = {"panel": PanelFactory(), "category": "preparation", "hours": Decimal("1.5"),
            "spent_on": timezone.localdate()}
    return services.staff_time_log(**{**data, **changes}, by=staff)


def test_staff_log_their_own_time_by_default(staff):
    entry = _log(staff)
    assert entry.user == staff
    assert entry.history.first().history_user == staff


@pytest.mark.parametrize("hours", ["0", "-1", "24.25", "1.125"])
def test_hours_must_be_more_than_nothing_and_at_most_a_day(staff, hours):
    with pytest.raises(ValidationError) as error:
        _log(staff, hours=Decimal(hours))
    assert "hours" in error.value.message_dict
    assert not StaffTime.objects.exists()


def test_a_full_day_is_allowed(staff):
    assert _log(staff, hours=Decimal("24")).hours == Decimal("24")


def test_the_meeting_must_belong_to_the_panel(staff):
    panel, elsewhere = PanelFactory(), MeetingFactory(days=-3)
    with pytest.raises(ValidationError) as error:
        _log(staff, panel=panel, meeting=elsewhere)
    assert "belongs to" in str(error.value.message_dict["meeting"])
    assert _log(staff, panel=elsewhere.panel, meeting=elsewhere).meeting == elsewhere


def test_time_cannot_be_logged_for_a_day_still_to_come(staff):
    with pytest.raises(ValidationError):
        _log(staff, spent_on=timezone.localdate() + datetime.timedelta(days=1))


def test_the_form_refuses_bad_hours_and_saves_nothing(staff_client, staff):
    response = staff_client.post(reverse("panels:staff_time_create"), {
        "panel": PanelFactory().pk, "category": "debriefing", "spent_on": timezone.localdate().isoformat(),
        "hours": "30", "user": staff.pk,
    })
    assert response.status_code == 200
    assert "A day has at most 24 hours" in response.content.decode()
    assert not StaffTime.objects.exists()


def test_the_form_logs_time_for_a_colleague(staff_client, staff):
    colleague, panel = StaffFactory(), PanelFactory()
    response = staff_client.post(reverse("panels:staff_time_create"), {
        "panel": panel.pk, "category": "debriefing", "spent_on": timezone.localdate().isoformat(),
        "hours": "1.25", "user": colleague.pk, "note": "Debrief with the chair",
    })
    assert response.status_code == 302
    entry = StaffTime.objects.get()
    assert (entry.user, entry.panel, entry.hours) == (colleague, panel, Decimal("1.25"))


def test_quarters_follow_the_calendar():
    assert _quarter(datetime.date(2026, 5, 17)) == (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    assert _quarter(datetime.date(2026, 12, 31)) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))


def test_totals_per_panel_and_category_cover_this_quarter_by_default(staff_client):
    start, _ = _quarter(timezone.localdate())
    housing, debt = PanelFactory(name="Housing panel"), PanelFactory(name="Debt panel")
    StaffTimeFactory(panel=housing, category="preparation", hours=Decimal("2"), spent_on=start)
    StaffTimeFactory(panel=housing, category="debriefing", hours=Decimal("0.5"), spent_on=start)
    StaffTimeFactory(panel=debt, category="preparation", hours=Decimal("1"), spent_on=start)
    StaffTimeFactory(panel=debt, category="preparation", hours=Decimal("9"),
                     spent_on=start - datetime.timedelta(days=1))  # last quarter
    response = staff_client.get(reverse("panels:staff_time_list"))
    by_panel = {row["panel__name"]: row["hours"] for row in response.context["by_panel"]}
    by_category = {row["label"]: row["hours"] for row in response.context["by_category"]}
    assert by_panel == {"Housing panel": Decimal("2.5"), "Debt panel": Decimal("1")}
    assert by_category == {"Preparation": Decimal("3"), "Debriefing": Decimal("0.5")}
    assert response.context["total"] == Decimal("3.5")

    last_quarter = staff_client.get(reverse("panels:staff_time_list"), {
        "start": (start - datetime.timedelta(days=1)).isoformat(), "end": (start - datetime.timedelta(days=1))
        .isoformat()})
    assert last_quarter.context["total"] == Decimal("9")


def test_a_period_ending_before_it_starts_is_refused(staff_client):
    response = staff_client.get(reverse("panels:staff_time_list"),
                                {"start": "2026-06-01", "end": "2026-05-01"})
    assert "The end of the period must be on or after its start." in response.content.decode()


def test_staff_time_list_runs_the_same_queries_however_many_entries(staff_client):
    panels = [PanelFactory() for _ in range(3)]

    def add(count):
        for number in range(count):
            StaffTimeFactory(panel=panels[number % 3], meeting=None)

    add(10)
    assert_queries_bounded(staff_client, reverse("panels:staff_time_list"), lambda: add(90), most=12)
