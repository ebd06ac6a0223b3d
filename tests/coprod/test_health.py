import pytest
from django.db.utils import OperationalError
from django.urls import reverse

from ..helpers import break_with

pytestmark = pytest.mark.django_db


def test_health_check_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert "broker" in body


def test_health_check_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    break_with(monkeypatch, "coprod.health.connection.cursor",
               OperationalError("could not connect to server"))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable",
                               "broker": response.json()["broker"]}


def test_health_check_reports_an_unreachable_broker(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["broker"] == "unreachable"
