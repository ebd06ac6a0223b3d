"""A new installation: the first-run checklist takes a staff member with the organisation
settings permission through the organisation, services, rates and budgets, consent wording
and the staff team; each step can be skipped and revisited, and the checklist leaves the
staff home page once every step is done or skipped."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from coprod import firstrun
from coprod.models import Organisation
from coprod.models import SetupStep
from participants.models import Invitation

from ..helpers import assert_queries_bounded
from ..participants.factories import StaffFactory
from ..reciprocity.factories import FundingSourceFactory
from .factories import ServiceFactory

pytestmark = pytest.mark.django_db

STEP_KEYS = ["organisation", "services", "rates_and_budgets", "consent", "staff_team"]


@pytest.fixture
def manager(client):
    user = StaffFactory(full_name="Mo Manager")
    user.user_permissions.add(Permission.objects.get(codename="change_organisation"))
    client.force_login(user)
    return user


def _states() -> dict[str, str]:
    return {row.step.key: row.state for row in firstrun.progress()}


def test_a_new_installation_lists_every_step_still_to_do(client, manager):
    assert [step.key for step in firstrun.steps()] == STEP_KEYS
    assert set(_states().values()) == {"todo"}
    home = client.get(reverse("coprod:staff_home")).content.decode()
    assert "Set up your organisation" in home and "Continue setting up" in home
    page = client.get(reverse("coprod:setup_checklist")).content.decode()
    assert "0 of 5 done" in page
    for url_name in ["coprod:organisation_settings", "coprod:service_list", "reciprocity:rate_list",
                     "participants:consent_statement_list", "participants:import_list"]:
        assert reverse(url_name) in page


def test_createsuperuser_can_run_the_checklist_at_once(client):
    call_command("createsuperuser", email="founder@example.org", full_name="Fran Founder",
                 interactive=False, verbosity=0)
    client.force_login(get_user_model().objects.get(email="founder@example.org"))
    assert "Continue setting up" in client.get(reverse("coprod:staff_home")).content.decode()
    assert client.get(reverse("coprod:setup_checklist")).status_code == 200


def test_steps_are_done_once_what_they_ask_for_exists(client, manager):
    organisation = Organisation.current()
    client.post(reverse("coprod:organisation_settings"), {
        "name": "Riverside Advice", "address": "1 High Street\nRiverside RV1 1AA",
        "recruitment_involvement_target": "85", "attendance_target": "75", "feedback_on_time_target": "90",
        "days_to_pay_target": "14", "quarterly_report_day": "7",
    })
    organisation.refresh_from_db()
    assert organisation.address == "1 High Street\nRiverside RV1 1AA"
    ServiceFactory(champion=manager)
    FundingSourceFactory()
    Invitation.objects.create(email="colleague@example.org", full_name="Col League",
                              role=Invitation.Role.STAFF, token="t", expires_at="2030-01-01T00:00Z")
    assert _states() == {"organisation": "done", "services": "done", "rates_and_budgets": "done",
                         "consent": "todo", "staff_team": "done"}


def test_skipping_and_marking_done_finish_the_checklist_and_it_leaves_the_home_page(client, manager):
    for key in STEP_KEYS[:-1]:
        response = client.post(reverse("coprod:setup_step", args=[key]), {"action": "skip"})
        assert response.status_code == 302
    assert "Continue setting up" in client.get(reverse("coprod:staff_home")).content.decode()
    response = client.post(reverse("coprod:setup_step", args=["staff_team"]), {"action": "done"}, follow=True)
    assert "the checklist has left the staff home page" in response.content.decode()
    assert "Continue setting up" not in client.get(reverse("coprod:staff_home")).content.decode()
    record = SetupStep.objects.get(key="staff_team")
    assert (record.state, record.marked_by) == ("done", manager)
    assert record.history.get().history_user == manager
    # Revisiting: the page stays, and a skipped step goes back on the list.
    page = client.get(reverse("coprod:setup_checklist")).content.decode()
    assert "Setup is finished" in page
    client.post(reverse("coprod:setup_step", args=["consent"]), {"action": "reopen"})
    assert _states()["consent"] == "todo"
    assert "Continue setting up" in client.get(reverse("coprod:staff_home")).content.decode()


def test_staff_without_the_settings_permission_neither_see_nor_change_the_checklist(client):
    client.force_login(StaffFactory())
    assert "Continue setting up" not in client.get(reverse("coprod:staff_home")).content.decode()
    assert client.get(reverse("coprod:setup_checklist")).status_code == 403
    assert client.post(reverse("coprod:setup_step", args=["consent"]), {"action": "skip"}).status_code == 403
    assert not SetupStep.objects.exists()


def test_an_unknown_step_or_action_changes_nothing(client, manager):
    step = "coprod:setup_step"
    assert client.post(reverse(step, args=["nonsense"]), {"action": "skip"}).status_code == 404
    assert client.post(reverse(step, args=["consent"]), {"action": "explode"}).status_code == 404
    assert not SetupStep.objects.exists()


def test_the_checklist_runs_the_same_queries_however_many_records_exist(client, manager):
    Organisation.current()  # made on first use
    assert_queries_bounded(client, reverse("coprod:setup_checklist"),
                           lambda: [ServiceFactory(champion=None) for _ in range(10)], most=20)
