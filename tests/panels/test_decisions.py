"""The decision log: what was decided, the ladder rung it reached, and how lived
experience shaped it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ladder.models import Ladder
from ladder.models import Rung
from panels import services
from panels.models import Decision
from tests.coprod.factories import ServiceFactory
from tests.helpers import assert_queries_bounded
from tests.panels.factories import DecisionFactory
from tests.panels.factories import PanelFactory
from tests.panels.factories import ProposalFactory
from tests.participants.factories import TrusteeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _rung(position: int) -> Rung:
    return Ladder.current().rungs.get(position=position)


def _other_ladders_rung() -> Rung:
    return Rung.objects.exclude(ladder__is_current=True).first()


def _today():
    return timezone.localdate()


def _record(**changes) -> Decision:
    data = {"title": "Evening sessions", "decided_on": _today(), "decided_by": "leadership"}
    return services.decision_record(**{**data, **changes})


def test_a_decision_is_logged_with_who_logged_it(staff):
    decision = _record(rung=_rung(6), by=staff)
    assert decision.recorded_by == staff
    assert decision.history.first().history_user == staff


def test_the_rung_must_belong_to_the_current_ladder(staff):
    with pytest.raises(ValidationError) as error:
        _record(rung=_other_ladders_rung(), by=staff)
    assert "current ladder" in str(error.value.message_dict["rung"])
    assert not Decision.objects.exists()


def test_a_decision_keeps_its_rung_after_the_ladder_changes_until_someone_changes_it(staff):
    decision = _record(rung=_rung(5), by=staff)
    old, new = Ladder.current(), _other_ladders_rung().ladder
    old.is_current = False
    old.save()
    new.is_current = True
    new.save()
    changed = services.decision_update(decision=decision, title="Evening sessions", decided_on=_today(),
                                       decided_by="leadership", rung=decision.rung,
                                       implementation="done", by=staff)
    assert changed == ["implementation"]
    with pytest.raises(ValidationError):
        services.decision_update(decision=decision, title="Evening sessions", decided_on=_today(),
                                 decided_by="leadership", rung=old.rungs.get(position=6), by=staff)


def test_the_proposal_names_the_panel_that_shaped_it(staff):
    proposal = ProposalFactory()
    decision = _record(shaped_by_proposal=proposal, how_shaped="The panel asked for evenings.", by=staff)
    assert decision.shaped_by_panel == proposal.panel


def test_a_panel_other_than_the_proposals_is_refused(staff):
    proposal = ProposalFactory()
    with pytest.raises(ValidationError) as error:
        _record(shaped_by_proposal=proposal, shaped_by_panel=PanelFactory(), how_shaped="Asked.", by=staff)
    assert "went to" in str(error.value.message_dict["shaped_by_panel"])


def test_saying_how_lived_experience_shaped_it_is_required(staff):
    with pytest.raises(ValidationError) as error:
        _record(shaped_by_panel=PanelFactory(), how_shaped="  ", by=staff)
    assert "how_shaped" in error.value.message_dict


def test_a_decision_in_the_future_is_refused(staff):
    with pytest.raises(ValidationError) as error:
        _record(decided_on=_today() + datetime.timedelta(days=1), by=staff)
    assert "future" in str(error.value.message_dict["decided_on"])


def test_the_form_refuses_bad_input_and_saves_nothing(staff_client):
    response = staff_client.post(reverse("panels:decision_create"), {
        "title": "Evening sessions", "decided_on": _today().isoformat(), "decided_by": "leadership",
        "implementation": "planned", "shaped_by_panel": PanelFactory().pk, "how_shaped": "",
    })
    assert response.status_code == 200
    assert "Say how the panel or proposal shaped the decision" in response.content.decode()
    assert not Decision.objects.exists()


def test_logging_a_decision_from_a_proposal_starts_with_what_shaped_it(staff_client):
    proposal = ProposalFactory(title="Evening advice sessions")
    page = staff_client.get(reverse("panels:decision_create") + f"?proposal={proposal.pk}").content.decode()
    assert f'<option value="{proposal.pk}" selected>' in page
    assert 'value="Evening advice sessions"' in page


def test_the_log_filters_by_service_rung_panel_and_period(staff_client):
    housing, debt = ServiceFactory(name="Housing"), ServiceFactory(name="Debt")
    panel = PanelFactory()
    DecisionFactory(title="Housing one", service=housing, rung=_rung(6), shaped_by_panel=panel,
                    decided_on=_today() - datetime.timedelta(days=10))
    DecisionFactory(title="Debt one", service=debt, rung=_rung(3),
                    decided_on=_today() - datetime.timedelta(days=200))
    url = reverse("panels:decision_list")

    def titles(query):
        page = staff_client.get(url, query)
        return {decision.title for decision in page.context["page_obj"]}

    assert titles({"service": housing.pk}) == {"Housing one"}
    assert titles({"rung": _rung(3).pk}) == {"Debt one"}
    assert titles({"panel": panel.pk}) == {"Housing one"}
    assert titles({"decided_from": (_today() - datetime.timedelta(days=30)).isoformat()}) == {"Housing one"}
    assert titles({"decided_to": (_today() - datetime.timedelta(days=30)).isoformat()}) == {"Debt one"}
    assert titles({"shaped": "no"}) == {"Debt one"}


def test_the_log_counts_the_decisions_shaped_by_lived_experience_in_view(staff_client):
    panel = PanelFactory()
    DecisionFactory(shaped_by_panel=panel, how_shaped="Asked for it")
    DecisionFactory(shaped_by_proposal=ProposalFactory(panel=panel), shaped_by_panel=panel)
    DecisionFactory()
    page = staff_client.get(reverse("panels:decision_list")).content.decode()
    assert "<strong>2 of 3</strong> decisions in this view were shaped by lived experience" in page
    page = staff_client.get(reverse("panels:decision_list"), {"panel": panel.pk}).content.decode()
    assert "<strong>2 of 2</strong> decisions in this view were shaped" in page


def test_trustees_read_the_log_and_internal_decisions_without_editing(client):
    DecisionFactory(title="Reserves policy", is_public=False)
    decision = DecisionFactory(title="Peer support", is_public=True)
    client.force_login(TrusteeFactory())
    page = client.get(reverse("panels:decision_list")).content.decode()
    assert "Reserves policy" in page and "Peer support" in page
    assert reverse("panels:decision_create") not in page
    detail = client.get(reverse("panels:decision_detail", args=[decision.pk])).content.decode()
    assert reverse("panels:decision_edit", args=[decision.pk]) not in detail
    assert client.get(reverse("panels:decision_edit", args=[decision.pk])).status_code == 403


def test_decision_list_runs_the_same_queries_for_10_or_100_decisions(staff_client):
    panel, service = PanelFactory(), ServiceFactory()

    def add(count):
        for _ in range(count):
            DecisionFactory(service=service, rung=_rung(4), shaped_by_panel=panel,
                            shaped_by_proposal=ProposalFactory(panel=panel), how_shaped="Asked.")

    add(10)
    assert_queries_bounded(staff_client, reverse("panels:decision_list"), lambda: add(90), most=14)
