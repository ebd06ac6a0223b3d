"""An action can be linked only to a decision in the log (not an archived one), though an
action already linked keeps its decision when edited."""

import pytest
from django.utils import timezone

from ladder.forms import ActionForm

from ..panels.factories import DecisionFactory

pytestmark = pytest.mark.django_db


def test_a_new_action_offers_only_decisions_in_the_log():
    kept = DecisionFactory(title="Keep the evening panel")
    archived = DecisionFactory(title="Old", archived_at=timezone.now(), archive_reason="Replaced.")
    choices = set(ActionForm().fields["decision"].queryset)
    assert kept in choices and archived not in choices


def test_an_action_linked_to_an_archived_decision_keeps_it_when_edited():
    archived = DecisionFactory(title="Old", archived_at=timezone.now(), archive_reason="Replaced.")
    form = ActionForm(initial={"decision": archived.pk}, editing=True)
    assert archived in set(form.fields["decision"].queryset)
