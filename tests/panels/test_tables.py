"""The staff lists of panels, meetings, decisions, proposals, staff time and recruitment
rounds: sorted by their headers and downloaded as CSV or Excel exactly as filtered and sorted,
in a bounded number of queries."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from ..coprod.factories import ServiceFactory
from ..helpers import assert_queries_bounded
from .factories import AttendanceFactory
from .factories import DecisionFactory
from .factories import MeetingFactory
from .factories import PanelFactory
from .factories import ProposalFactory
from .factories import RecruitmentRoundFactory
from .factories import RecruitmentStageFactory
from .factories import StaffTimeFactory
from .factories import StageParticipantFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_panels_sort_by_members_and_download_with_their_figures(staff_client, world):
    PanelFactory(name="Zebra panel")
    rows = _csv(staff_client.get(reverse("panels:panel_list"), {"export": "csv", "sort": "-name"}))
    assert rows[0][:3] == ["Panel", "Area", "Kind"]
    assert rows[1][0] == "Zebra panel"
    assert "Members" in rows[0] and "<" not in "".join(map(str, rows))


def test_meetings_download_with_their_register_counts(staff_client, world):
    meeting = MeetingFactory(panel=world.panel, days=3, title="Budget session")
    AttendanceFactory(meeting=meeting, status="confirmed")
    rows = _csv(staff_client.get(reverse("panels:meeting_list"), {"export": "csv", "sort": "title"}))
    header = rows[0]
    budget = next(row for row in rows[1:] if row[header.index("Meeting")] == "Budget session")
    assert budget[header.index("On the register")] == "1" and budget[header.index("Coming")] == "1"
    assert budget[header.index("Panel")] == world.panel.name


def test_the_decision_log_downloads_as_filtered_for_staff_and_trustees(client, world):
    housing = ServiceFactory(name="Housing")
    DecisionFactory(title="Open the drop-in later", service=housing,
                    how_shaped="Partners asked for evenings.")
    DecisionFactory(title="=SUM(A1)", is_public=False)
    for user in (world.staff, world.trustee):
        client.force_login(user)
        rows = _csv(client.get(reverse("panels:decision_list"), {"export": "csv", "service": housing.pk}))
        assert [row[0] for row in rows[1:]] == ["Open the drop-in later"]
        assert "Partners asked for evenings." in rows[1]
    response = client.get(reverse("panels:decision_list"), {"export": "xlsx", "sort": "title"})
    titles = [row[0] for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
        min_row=2, values_only=True)]
    assert "'=SUM(A1)" in titles  # a formula typed as a title stays text


def test_decision_log_sorts_by_date_both_ways(staff_client, world):
    DecisionFactory(title="Older", decided_on="2025-01-01")
    DecisionFactory(title="Newer", decided_on="2025-06-01")
    url = reverse("panels:decision_list")
    page = staff_client.get(url, {"sort": "decided_on"}).content.decode()
    assert page.index("Older") < page.index("Newer") and 'aria-sort="ascending"' in page
    page = staff_client.get(url, {"sort": "-decided_on"}).content.decode()
    assert page.index("Newer") < page.index("Older")


@pytest.mark.parametrize("url", [
    reverse("panels:panel_list") + "?export=xlsx",
    reverse("panels:meeting_list") + "?export=csv&sort=-invited_count",
    reverse("panels:decision_list") + "?export=csv&sort=shaped_by",
])
def test_downloads_run_the_same_queries_however_many_rows(staff_client, world, url):
    def grow():
        for number in range(20):
            panel = PanelFactory(name=f"Grown panel {number:02}", service=world.service)
            AttendanceFactory(meeting=MeetingFactory(panel=panel, days=number + 1), status="confirmed")
            DecisionFactory(service=world.service, shaped_by_panel=panel)

    assert_queries_bounded(staff_client, url, grow, most=12)


def test_proposals_sort_and_download_with_their_point_counts(staff_client, world):
    ProposalFactory(panel=world.panel, title="Aardvark opening hours")
    url = reverse("panels:proposal_list")
    rows = _csv(staff_client.get(url, {"export": "csv", "sort": "title"}))
    assert rows[0] == ["Proposal", "Panel", "Owner", "Answers due", "Points", "Unanswered", "Status"]
    assert rows[1][0] == "Aardvark opening hours"
    page = staff_client.get(url, {"sort": "-title"}).content.decode()
    assert 'aria-sort="descending"' in page
    assert_queries_bounded(staff_client, url + "?export=csv",
                           lambda: [ProposalFactory(panel=world.panel) for _ in range(15)], most=12)


def test_staff_time_sorts_and_downloads_the_period_shown(staff_client, world):
    StaffTimeFactory(panel=world.panel, hours=Decimal("1.5"), note="Phoned the chair")
    StaffTimeFactory(panel=world.panel, hours=Decimal("3"), note="=HYPERLINK()")
    url = reverse("panels:staff_time_list")
    rows = _csv(staff_client.get(url, {"export": "csv", "sort": "-hours"}))
    assert rows[0] == ["Day", "Who", "Panel", "Meeting", "Spent on", "Hours", "Note"]
    hours = [Decimal(row[5]) for row in rows[1:]]
    assert hours == sorted(hours, reverse=True) and Decimal("1.5") in hours
    notes = [row[6] for row in rows[1:]]
    assert "'=HYPERLINK()" in notes  # a formula typed as a note stays text
    for sort in ("user", "-meeting", "category"):
        page = staff_client.get(url, {"sort": sort}).content.decode()
        assert "aria-sort=" in page and "Phoned the chair" in page
    assert_queries_bounded(staff_client, url + "?export=xlsx",
                           lambda: [StaffTimeFactory(panel=world.panel) for _ in range(15)], most=12)


def test_recruitment_rounds_sort_and_download_with_their_involvement(staff_client, world):
    StageParticipantFactory(stage=RecruitmentStageFactory(round=RecruitmentRoundFactory(post_title="Adviser")))
    RecruitmentRoundFactory(post_title="Caseworker")
    url = reverse("panels:recruitment_list")
    rows = _csv(staff_client.get(url, {"export": "csv", "sort": "post_title"}))
    assert rows[0] == ["Post", "Service", "Opened", "Closed", "Stages held", "Partners involved", "Involved"]
    mine = [(row[0], row[4], row[5], row[6]) for row in rows[1:] if row[0] in ("Adviser", "Caseworker")]
    assert mine == [("Adviser", "1", "1", "Yes"), ("Caseworker", "0", "0", "No")]
    page = staff_client.get(url, {"sort": "-partner_count"}).content.decode()
    assert 'aria-sort="descending"' in page and page.index("Adviser") < page.index("Caseworker")
    assert_queries_bounded(staff_client, url + "?export=csv",
                           lambda: [RecruitmentRoundFactory() for _ in range(15)], most=12)
