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


@pytest.mark.parametrize(("target", "error", "url"), [
    pytest.param("coprod.views.kpis.dashboard", OperationalError("the database system is shutting down"),
                 "coprod:dashboard", id="a page, the database shutting down"),
    pytest.param("coprod.views.kpis.dashboard", InterfaceError("connection already closed"),
                 "coprod:dashboard", id="a page, the connection closed"),
    # The session is read by middleware, before any page: the 500 handler still tells it apart.
    pytest.param("django.contrib.sessions.backends.db.SessionStore.load",
                 OperationalError("server closed the connection unexpectedly"),
                 "coprod:report_list", id="reading the session"),
])
def test_losing_the_database_answers_503_try_again(trustee_browser, monkeypatch, target, error, url):
    break_with(monkeypatch, target, error)
    response = trustee_browser.get(reverse(url))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Back in a moment" in page
    assert "Please try again in a minute" in page
    assert "nothing was saved" in page


def test_any_other_error_keeps_the_ordinary_500_page(trustee_browser, monkeypatch):
    break_with(monkeypatch, "coprod.views.kpis.dashboard", ValueError("a bug"))
    response = trustee_browser.get(reverse("coprod:dashboard"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
