"""Upgrading marks what reports made earlier may hold, so none is opened by someone the
content is not for."""

import datetime

import pytest
from django.utils import timezone

from ..helpers import migrate
from ..helpers import migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fully_migrated_afterwards():
    yield
    migrate_to_latest()


BEFORE = [("coprod", "0006_team_permissions_and_changes"),
          ("ladder", "0003_action_links_to_panels_and_decisions")]
AFTER = [("coprod", "0007_report_content_decides_who_may_open_it")]


def test_earlier_data_exports_count_as_sensitive_and_live_ladder_pdfs_as_staff_only():
    old = migrate(BEFORE)
    Report, Round = old.get_model("coprod", "Report"), old.get_model("ladder", "Round")
    ladder = old.get_model("ladder", "Ladder").objects.create(name="Test ladder")
    now = timezone.now()
    day_before = now - datetime.timedelta(days=1)

    def round_(title, **fields):
        return Round.objects.create(title=title, ladder=ladder, closes_on=datetime.date(2026, 6, 30),
                                    **fields)

    closed_early = round_("Spring", status="closed", closed_at=now - datetime.timedelta(days=30))
    still_open = round_("Summer", status="open")
    closed_late = round_("Autumn", status="closed", closed_at=now)
    made = {}
    for title, kind, params, started in [
        ("export by staff without the permission", "data_export", {"sensitive": False}, now),
        ("export by the partner", "data_export", {"sensitive": True}, now),
        ("closed round", "ladder_round", {"round": closed_early.pk}, day_before),
        ("open round", "ladder_round", {"round": still_open.pk}, day_before),
        ("round closed after the pdf", "ladder_round", {"round": closed_late.pk}, day_before),
        ("deleted round", "ladder_round", {"round": 9999}, now),
        ("governance", "governance", {}, now),
    ]:
        made[title] = Report.objects.create(kind=kind, title=title, params=params, started_at=started).pk

    new = migrate(AFTER)
    after = {report.title: report for report in new.get_model("coprod", "Report").objects.all()}
    assert after["export by staff without the permission"].includes_sensitive_data, "safe default"
    assert after["export by the partner"].includes_sensitive_data
    assert not after["governance"].includes_sensitive_data and not after["governance"].staff_only
    assert not after["closed round"].staff_only
    assert after["open round"].staff_only
    assert after["round closed after the pdf"].staff_only
    assert after["deleted round"].staff_only
