"""Simultaneous "Approve" and "Mark as paid" for one claim, sent to a real server in other
processes (gunicorn: two processes of four threads): nobody gets an error page, the claim is
approved once and paid once.

On SQLite always, with a database file as `make run` uses (overlapping writes must wait their
turn, not fail with "database is locked"); on PostgreSQL when DATABASE_URL names one (CI refuses
to skip it)."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ..helpers import in_parallel

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 8
CSRF = "racecsrftoken" + "x" * 19  # a 32-character CSRF secret, sent as cookie and form field


def _environment(database_url: str, media: Path) -> dict:
    """The embedded default (tasks in-process, no broker) on the given database."""
    return {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": "", "CELERY_TASK_ALWAYS_EAGER": "true",
            "DEBUG": "true", "EMAIL_URL": "memorymail://", "MEDIA_ROOT": str(media),
            "DJANGO_SETTINGS_MODULE": "coprod.settings"}


def _run(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _site(env: dict, *args: str) -> dict:
    return json.loads(_run(env, "-m", "tests.reciprocity.race_site", *args).splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving coprod from another process: two workers of four threads each."""

    def __init__(self, env: dict, log: Path):
        self.port = _free_port()
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "coprod.wsgi:application",
                 "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--threads", "4", "--timeout", "60"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, log.read_text()
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"gunicorn did not answer:\n{log.read_text()}")

    def request(self, method: str, path: str, data: dict | None = None, session: str = "") -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            body = urlencode({**(data or {}), "csrfmiddlewaretoken": CSRF}) if data is not None else None
            conn.request(method, path, body=body, headers={
                "Cookie": f"csrftoken={CSRF}; sessionid={session}",
                "Content-Type": "application/x-www-form-urlencoded",
            })
            response = conn.getresponse()
            return response.status, response.read().decode(errors="replace")
        finally:
            conn.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _race(database_url: str, tmp_path: Path) -> None:
    env = _environment(database_url, tmp_path / "media")
    seeded = _site(env, "seed")
    server = Server(env, tmp_path / "gunicorn.log")
    try:
        approve = reverse("reciprocity:claim_approve", args=[seeded["claim"]])
        approvals = in_parallel(lambda index: server.request(
            "POST", approve, {"amount": seeded["total"]}, seeded["session"]), REQUESTS)
        pay = reverse("reciprocity:claim_pay", args=[seeded["claim"]])
        payments = in_parallel(lambda index: server.request("POST", pay, {
            "method": "bank_transfer", "paid_on": timezone.localdate().isoformat(),
            "funding_source": seeded["source"], "amount": seeded["total"], "reference": "BACS",
        }, seeded["session"]), REQUESTS)
    finally:
        server.stop()
    log = server.log.read_text()
    for results, refusal, state in ((approvals, "This claim cannot be approved: it is approved.", "approved"),
                                    (payments, "This claim has already been paid.", "paid")):
        statuses = [result[0] if isinstance(result, tuple) else repr(result) for result in results]
        assert sorted(statuses, key=str) == [302] + [400] * (REQUESTS - 1), f"{state}: {statuses}\n{log}"
        # Each refused request is answered with the claim page: it says why, or shows the claim
        # already in its new state (the form is gone).
        for status, body in results:
            assert status == 302 or refusal in body or f'claim-status claim-{state}"' in body, body
    assert "database is locked" not in log
    assert _site(env, "outcome", str(seeded["claim"])) == {"status": "paid", "approvals": 1, "payments": 1}


@pytest.fixture(scope="module")
def sqlite_file_database(tmp_path_factory) -> str:
    """A migrated SQLite file of its own (the test database is in memory, which one process only sees)."""
    folder = tmp_path_factory.mktemp("sqlite-race")
    url = f"sqlite:///{folder / 'coprod.sqlite3'}"
    _run(_environment(url, folder / "media"), "manage.py", "migrate", "--noinput", "-v", "0")
    return url


def test_simultaneous_approve_and_pay_on_sqlite_record_one_approval_and_one_payment(
    sqlite_file_database, tmp_path
):
    _race(sqlite_file_database, tmp_path)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_approve_and_pay_on_postgresql_record_one_approval_and_one_payment(tmp_path):
    if connection.vendor != "postgresql":
        reason = "set DATABASE_URL to a PostgreSQL database to race on PostgreSQL too"
        if os.environ.get("CI"):
            pytest.fail(f"the PostgreSQL race cannot be skipped in CI: {reason}")
        pytest.skip(reason)
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    _race(f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}", tmp_path)
