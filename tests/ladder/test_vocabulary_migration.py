"""Moving the ladder vocabulary (ladders, rungs, areas) into the core keeps every row and every
link to it: the tables stay, only Django's record of which app owns the models changes."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from ..helpers import migrate
from ..helpers import migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fully_migrated_afterwards():
    yield
    migrate_to_latest()


BEFORE = [("ladder", "0004_keep_closed_rounds"),
          ("panels", "0003_archive_decisions_record_cancellations_keep_history"),
          ("coprod", "0010_retention_rules_and_runs")]
AFTER = [("ladder", "0005_ladder_vocabulary_in_core")]


def test_ladders_rungs_areas_and_what_points_at_them_survive_the_move_to_the_core():
    old = migrate(BEFORE)
    Ladder, Rung, Area = (old.get_model("ladder", name) for name in ("Ladder", "Rung", "Area"))
    ladder = Ladder.objects.create(name="Test ladder", description="For the upgrade.")
    rung = Rung.objects.create(ladder=ladder, position=1, name="Informing", description="We tell you.")
    area = Area.objects.create(name="Test area", order=99)
    panel = old.get_model("panels", "Panel").objects.create(name="Upgrade panel", kind="challenge",
                                                            purpose="Check the upgrade.", area=area)
    decision = old.get_model("panels", "Decision").objects.create(
        title="Upgrade decision", decided_on=datetime.date(2026, 5, 14), decided_by="board", rung=rung)
    round_ = old.get_model("ladder", "Round").objects.create(title="Upgrade round", ladder=ladder,
                                                             closes_on=datetime.date(2026, 6, 1))
    round_.areas.add(area)
    action = old.get_model("ladder", "Action").objects.create(area=area, description="Upgrade step",
                                                              due_on=datetime.date(2026, 12, 1))
    ContentType.objects.get_or_create(app_label="ladder", model="area")
    ContentType.objects.filter(app_label="coprod", model="area").delete()

    new = migrate(AFTER)
    assert new.get_model("coprod", "Ladder").objects.get(pk=ladder.pk).name == "Test ladder"
    assert new.get_model("coprod", "Rung").objects.get(pk=rung.pk).ladder_id == ladder.pk
    assert new.get_model("panels", "Panel").objects.get(pk=panel.pk).area.name == "Test area"
    assert new.get_model("panels", "Decision").objects.get(pk=decision.pk).rung.name == "Informing"
    areas = new.get_model("ladder", "Round").objects.get(pk=round_.pk).areas.all()
    assert [a.name for a in areas] == ["Test area"]
    assert new.get_model("ladder", "Action").objects.get(pk=action.pk).area.name == "Test area"
    assert ContentType.objects.filter(app_label="coprod", model="area").exists()
    assert not ContentType.objects.filter(app_label="ladder", model="area").exists()
