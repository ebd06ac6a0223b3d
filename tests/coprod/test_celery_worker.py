"""A real Celery worker process, a real Redis broker and the real database.

Runs when REDIS_URL is set and the database is a server (PostgreSQL) that a
second process can share; CI sets both and refuses to skip it.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from coprod.celery import app as celery_app
from coprod.tasks import worker_status

from ..participants.factories import PartnerFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _skip_or_fail(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"the real-worker test cannot be skipped in CI: {reason}")
    pytest.skip(reason)


def _test_database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue(settings):
    """Start `celery worker` in its own process on a private queue; stop it afterwards."""
    if not settings.REDIS_URL:
        _skip_or_fail("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        _skip_or_fail("the worker must share the test database: set DATABASE_URL to PostgreSQL")
    queue = f"coprod-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "REDIS_URL": settings.REDIS_URL,
           "CELERY_TASK_ALWAYS_EAGER": "false", "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "coprod", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        cwd=ROOT, env=env,
    )
    celery_app.conf.task_always_eager = False
    yield queue
    celery_app.conf.task_always_eager = True
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


def test_a_real_worker_runs_a_task_against_the_same_database(worker_queue):
    PartnerFactory.create_batch(3)
    answer = worker_status.apply_async(queue=worker_queue).get(timeout=90)
    assert answer["database"] == "ok"
    assert answer["partners"] == 3, "the worker reads the rows this test committed"


def test_a_real_worker_renders_the_governance_report_to_a_pdf(worker_queue, world):
    from coprod import periods
    from coprod.models import Report
    from coprod.tasks import render_report

    from ..helpers import pdf_text

    quarter = periods.previous_quarter()
    report = Report.objects.create(
        kind=Report.Kind.GOVERNANCE, title=f"Governance report: {quarter.label}", requested_by=world.trustee,
        params={**quarter.as_params(), "service": None, "scheduled": False},
    )
    assert render_report.apply_async((report.pk,), queue=worker_queue).get(timeout=180) == "done"
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.attempts == 1
    assert "Governance report" in pdf_text(report.file.read())
