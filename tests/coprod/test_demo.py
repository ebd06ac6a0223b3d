import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from django.core.management import call_command
from django.urls import reverse

from coprod.models import Organisation
from coprod.models import Service
from participants.models import Partner

# `demo` (tests/conftest.py) loads the demo organisation once for this module.
pytestmark = pytest.mark.django_db


def _counts():
    return (get_user_model().objects.count(), Partner.objects.count(), Service.objects.count(),
            Organisation.objects.count())


def test_seed_demo_builds_the_organisation_once(demo, settings, capsys):
    settings.DEBUG = True
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first, "a second run must add nothing"
    assert Organisation.current().name == "Riverside Community Law Centre"
    assert "partner@example.org" in capsys.readouterr().out


def test_seed_demo_refuses_to_run_when_debug_is_off(settings):
    settings.DEBUG = False
    before = _counts()
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("seed_demo")
    assert _counts() == before


@pytest.mark.parametrize(
    ("email", "home"),
    [("staff@example.org", "coprod:staff_home"), ("partner@example.org", "participants:portal_home"),
     ("trustee@example.org", "coprod:dashboard")],
)
def test_each_demo_login_lands_on_its_own_home(demo, client, email, home):
    client.post(reverse("account_login"), {"login": email, "password": "coprod-demo"})
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse(home)
    assert response.status_code == 200


def test_demo_ladder_actions_are_linked_to_a_demo_panel_and_decision(demo, settings):
    from ladder.models import Action

    settings.DEBUG = True
    call_command("seed_demo")  # a second run keeps the links
    linked = {a.description: (a.panel and a.panel.name, a.decision and a.decision.title)
              for a in Action.objects.exclude(panel=None, decision=None).select_related("panel", "decision")}
    assert linked == {
        "Train four more partners to sit on interview panels.":
            (None, "Partners on every interview panel for advice posts"),
        "Co-design the new housing triage form in workshops with partners.":
            ("Housing advice challenge panel", None),
    }
