import socket

from celery import shared_task
from django.db import InterfaceError, OperationalError

# Importing notify and notices registers their `send_email` and `send_notice` tasks with every worker.
from . import notices, notify
from .governance import quarterly_report_make
from .health import database_status
from .models import Report
from .registry import worker_counts
from .reports import report_fail_stuck, report_resend_waiting, report_run
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


# Acknowledged once finished; if the worker process dies (killed, out of memory) the task goes
# back to the queue. Running it again is safe: `report_run` leaves a finished report alone.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, retry_backoff=True, max_retries=3,
             autoretry_for=(ConnectionError, OperationalError, InterfaceError))
def render_report(self, report_id: int) -> str:
    """Render a queued report (see coprod.reports)."""
    try:
        return report_run(report_id=report_id, task_id=self.request.id or "").status
    except Report.DoesNotExist:
        return "deleted"  # the report was removed (say, with its partner's data) before its turn


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
