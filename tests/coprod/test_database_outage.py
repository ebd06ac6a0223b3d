"""When the database cannot be reached (restarting, say) people get a plain "try again in a
minute" page with status 503, whether the failure comes from a page or from signing in; any
other error keeps the ordinary 500 page. The drill (`make drills`) restarts a real PostgreSQL."""

import pytest
from django.db import InterfaceError
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from ..helpers import break_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def trustee_browser(world) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.trustee)
    return client


@pytest.mark.parametrize("error", [OperationalError("the database system is shutting down"),
                                   InterfaceError("connection already closed")])
def test_a_page_answers_503_try_again_when_the_database_is_unreachable(trustee_browser, monkeypatch, error):
    break_with(monkeypatch, "coprod.views.kpis.dashboard", error)
    response = trustee_browser.get(reverse("coprod:dashboard"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Please try again in a minute" in page
    assert "nothing was saved" in page


def test_losing_the_database_while_reading_the_session_also_answers_503(trustee_browser, monkeypatch):
    """The session is read by middleware, before any page: the 500 handler still tells it apart."""
    break_with(monkeypatch, "django.contrib.sessions.backends.db.SessionStore.load",
               OperationalError("server closed the connection unexpectedly"))
    response = trustee_browser.get(reverse("coprod:report_list"))
    assert response.status_code == 503
    assert "Back in a moment" in response.content.decode()


def test_any_other_error_keeps_the_ordinary_500_page(trustee_browser, monkeypatch):
    break_with(monkeypatch, "coprod.views.kpis.dashboard", ValueError("a bug"))
    response = trustee_browser.get(reverse("coprod:dashboard"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
