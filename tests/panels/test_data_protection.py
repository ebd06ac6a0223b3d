"""A partner's panels and meetings are part of everything we hold about them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from panels.data_protection import export_panels_and_meetings
from participants import data_protection

from .factories import AttendanceFactory
from .factories import MeetingFactory
from .factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_export_lists_the_partners_panels_and_meetings_only(world):
    held = data_protection.partner_export(world.partner)["sections"]["Panels and meetings"]
    assert held["panels"] == [{"panel": "Housing challenge panel", "role": "Member",
                               "joined_on": world.membership.joined_on, "left_on": None}]
    meetings = {row["meeting"]: row for row in held["meetings"]}
    assert {"Eviction leaflet review", "Waiting-room changes"} <= set(meetings)
    assert meetings["Eviction leaflet review"]["what_was_recorded"] == "Attended"
    assert meetings["Eviction leaflet review"]["hours"] == 2
    assert meetings["Eviction leaflet review"]["starts_at"] == world.past_meeting.starts_at
    others = data_protection.partner_export(world.other_partner)["sections"]["Panels and meetings"]
    assert "Housing challenge panel" not in str(others)


def test_export_runs_one_query_however_much_is_held(world):
    for _ in range(10):
        membership = MembershipFactory(partner=world.partner)
        AttendanceFactory(meeting=MeetingFactory(panel=membership.panel), partner=world.partner)
    with CaptureQueriesContext(connection) as queries:
        title, held = export_panels_and_meetings(world.partner)
    assert len(queries) == 1
    assert len(held["panels"]) == 11
