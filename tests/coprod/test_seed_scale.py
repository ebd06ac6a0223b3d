"""`seed_scale` builds a lasting organisation in committed batches and issues the load test's
sessions; run again, it adds nothing."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import CommandError
from django.core.management import call_command

from coprod.demo import scale
from participants.models import Partner
from reciprocity.models import Claim


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_scale", "--no-progress", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_it_builds_the_organisation_in_batches_keeps_it_and_writes_sessions(tmp_path):
    sessions = tmp_path / "sessions.json"

    output = _seed("--partners", "12", "--batch", "5", "--sessions", str(sessions))

    assert "Built 12 partners' worth of data" in output
    assert scale.existing_partners() == 12
    assert Claim.objects.exists()
    data = json.loads(sessions.read_text())
    assert data["cookie"] == settings.SESSION_COOKIE_NAME
    assert set(data["sessions"]) == {"partner", "staff", "trustee"}
    assert all(data["sessions"][role] for role in ("partner", "staff", "trustee"))
    keys = [key for role in data["sessions"].values() for key in role]
    assert Session.objects.filter(session_key__in=keys).count() == len(keys)
    assert oct(sessions.stat().st_mode & 0o777) == "0o600"

    again = _seed("--partners", "12")
    assert "already holds the scale organisation (12 partners): nothing added" in again
    assert Partner.objects.filter(email__startswith="partner-").count() == 12


@pytest.mark.django_db
def test_a_size_below_one_is_refused():
    with pytest.raises(CommandError, match="at least 1"):
        _seed("--partners", "0")
