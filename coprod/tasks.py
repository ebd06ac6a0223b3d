"""The Celery tasks: what the workers run, and what beat runs on a schedule."""

import socket

from celery import shared_task

# Importing notify and notices registers their `send_email` and `send_notice` tasks with every worker.
from . import notices
from . import notify
from .governance import quarterly_report_make
from .health import database_status
from .registry import worker_counts

# Importing reports registers its `render_report` task (defined there, beside what it runs).
from .reports import render_report  # noqa: F401
from .reports import report_fail_stuck  # noqa: F401
from .reports import report_resend_waiting  # noqa: F401
from .retention import retention_run


@shared_task
def worker_status() -> dict:
    """Answer from a worker: where it runs and whether it reaches the database.

    `manage.py check_workers` sends it to prove that workers are up and share
    the web application's database.
    """
    database = database_status()
    return {
        "hostname": socket.gethostname(),
        "database": database,
        **{name: count() if database == "ok" else None for name, count in worker_counts.items()},
    }


@shared_task
def sweep_reports() -> dict:
    """Run by beat every REPORTS_SWEEP_SECONDS: reports left "being prepared" by a worker that died
    are marked failed (and can be tried again); queued reports that never reached a worker are sent."""
    return {"failed": report_fail_stuck(), "sent": report_resend_waiting()}


@shared_task
def make_quarterly_report() -> int | None:
    """Run daily by beat: makes last quarter's governance report on the organisation's chosen day."""
    report = quarterly_report_make()
    return report.pk if report else None


@shared_task
def requeue_waiting_emails() -> int:
    """Every few minutes (beat): queue again the e-mails whose task was lost, for example
    because the broker was down when the action that caused them was saved."""
    return notify.email_requeue_waiting()


@shared_task
def requeue_waiting_notices() -> int:
    """Every few minutes (beat): queue again the texts and letters whose task was lost."""
    return notices.notice_requeue_waiting()


@shared_task
def apply_retention_rules() -> int:
    """Nightly (Celery beat): apply the retention rules (coprod/retention.py). Answers the run's id."""
    return retention_run().pk
