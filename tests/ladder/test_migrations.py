"""Upgrading keeps what staff wrote in an action's old free-text "linked decision or panel"."""

import datetime

import pytest

from ..helpers import migrate
from ..helpers import migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fully_migrated_afterwards():
    yield
    migrate_to_latest()


BEFORE = [("ladder", "0002_default_ladders_and_areas"),
          ("panels", "0002_history_of_staff_time_and_recruitment_stages")]
AFTER = [("ladder", "0003_action_links_to_panels_and_decisions")]



def test_old_link_text_becomes_links_to_the_panel_and_decision_it_names():
    old = migrate(BEFORE)
    area, _ = old.get_model("ladder", "Area").objects.get_or_create(name="Recruitment")
    old.get_model("panels", "Panel").objects.create(name="Housing challenge panel", kind="challenge",
                                                    purpose="Challenge our plans.")
    old.get_model("panels", "Decision").objects.create(title="Partners on interview panels",
                                                       decided_on=datetime.date(2026, 5, 14),
                                                       decided_by="board")
    Action = old.get_model("ladder", "Action")
    for text in (" housing CHALLENGE panel ", "Partners on interview panels", "Board, 14 May", ""):
        Action.objects.create(area=area, description=f"Step for {text.strip() or 'nothing'}",
                              due_on=datetime.date(2026, 12, 1), linked_to=text)

    new = migrate(AFTER)
    actions = {a.description.split("\n")[0]: a
               for a in new.get_model("ladder", "Action").objects.select_related("panel", "decision")}
    assert actions["Step for housing CHALLENGE panel"].panel.name == "Housing challenge panel"
    assert actions["Step for housing CHALLENGE panel"].decision is None
    assert actions["Step for Partners on interview panels"].decision.title == "Partners on interview panels"
    kept = actions["Step for Board, 14 May"]
    assert kept.panel is None and kept.decision is None
    assert kept.description == "Step for Board, 14 May\n\nLinked to: Board, 14 May"
    assert actions["Step for nothing"].description == "Step for nothing"
