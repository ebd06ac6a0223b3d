import socket

from celery import shared_task


@shared_task
def worker_status() -> dict:
    """Answer from a worker: where it runs and whether it reaches the database.

    `manage.py check_workers` sends it to prove that workers are up and share
    the web application's database.
    """
    from participants.models import Partner

    from .health import database_status

    database = database_status()
    return {
        "hostname": socket.gethostname(),
        "database": database,
        "partners": Partner.objects.count() if database == "ok" else None,
    }


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def render_report(self, report_id: int) -> str:
    """Render a queued report (see coprod.reports)."""
    from .reports import report_run

    return report_run(report_id=report_id).status


@shared_task
def make_quarterly_report() -> int | None:
    """Run daily by beat: makes last quarter's governance report on the organisation's chosen day."""
    from .governance import quarterly_report_make

    report = quarterly_report_make()
    return report.pk if report else None


@shared_task
def apply_retention_rules() -> int:
    """Nightly (Celery beat): apply the retention rules (coprod/retention.py). Answers the run's id."""
    from .retention import retention_run

    return retention_run().pk
