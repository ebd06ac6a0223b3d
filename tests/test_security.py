"""Controls SECURITY.md promises that no other test file covers, and SECURITY.md itself:
cross-site request forgery is refused, task messages are JSON only, `make test` runs
bandit, and every test file SECURITY.md names exists."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from coprod.models import Service

from .participants.factories import PASSWORD
from .participants.factories import StaffFactory

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_a_form_posted_from_another_site_is_refused_and_saves_nothing():
    staff = StaffFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    response = browser.post(reverse("coprod:service_create"), {"name": "Forged service"})
    assert response.status_code == 403
    assert not Service.objects.filter(name="Forged service").exists()


@pytest.mark.django_db
def test_a_sign_in_posted_from_another_site_is_refused():
    staff = StaffFactory()
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session


def test_task_messages_are_json_only_so_a_broker_message_cannot_run_code():
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_SERIALIZER == settings.CELERY_RESULT_SERIALIZER == "json"


def _recipe(target: str) -> list[str]:
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_make_test_runs_bandit_at_medium_severity_before_the_tests():
    recipe = _recipe("test")
    (bandit,) = [i for i, line in enumerate(recipe) if "/bandit " in line]
    (pytest_step,) = [i for i, line in enumerate(recipe) if "/pytest " in line]
    assert bandit < pytest_step
    words = recipe[bandit].split()
    assert {"-ll", "-r", "."} <= set(words) and words[words.index("-c") + 1] == "pyproject.toml"


def test_security_md_names_only_test_files_that_exist_and_the_readme_links_it():
    text = (ROOT / "SECURITY.md").read_text()
    named = set(re.findall(r"tests/[\w/]+\.py", text))
    assert len(named) >= 10
    assert sorted(path for path in named if not (ROOT / path).exists()) == []
    assert "(SECURITY.md)" in (ROOT / "README.md").read_text()
