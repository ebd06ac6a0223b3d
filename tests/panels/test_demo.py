"""The demo panels and meetings (panels/demo.py)."""

import pytest

import coprod.demo
import panels.demo
import participants.demo
from panels.models import Attendance
from panels.models import Meeting
from panels.models import MeetingPaper
from panels.models import Membership
from panels.models import Panel

pytestmark = pytest.mark.django_db


def _counts() -> tuple:
    return tuple(model.objects.count() for model in (Panel, Membership, Meeting, MeetingPaper, Attendance))


def test_demo_panels_and_meetings_are_seeded_once():
    coprod.demo.seed_organisation()
    participants.demo.seed()
    panels.demo.seed()
    first = _counts()
    panels.demo.seed()
    assert _counts() == first, "a second run must add nothing"

    challenge = Panel.objects.get(kind="challenge")
    advisory = Panel.objects.get(kind="advisory")
    assert advisory.ends_on is not None, "the advisory group is time-limited"
    assert challenge.memberships.current().filter(partner__user__email="partner@example.org").exists()
    assert challenge.memberships.current().filter(user__is_staff_member=True).exists()

    held = Attendance.objects.filter(meeting__in=Meeting.objects.held())
    assert held.filter(status="attended", hours__gt=0).exists()
    assert held.filter(status="apologies").exists() and held.filter(status="no_show").exists()
    upcoming = Attendance.objects.filter(meeting__in=Meeting.objects.upcoming())
    assert upcoming.filter(status="invited").exists() and upcoming.filter(status="confirmed").exists()
    assert not Meeting.objects.held().filter(minutes="").exists(), "every past meeting has minutes"
    papers = {paper.file.name.rsplit(".", 1)[-1] for paper in MeetingPaper.objects.all()}
    assert papers == {"pdf", "txt"}
    pdf = MeetingPaper.objects.filter(file__endswith=".pdf").first()
    with pdf.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
