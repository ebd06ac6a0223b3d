"""Report requests and rendering. The view queues, the Celery task renders.

Each kind of report has a renderer: a function `render(report) -> (template, context)`
named here by dotted path, so the app that owns the data owns its report.
"""

import importlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import Report
from .pdf import render_pdf

logger = logging.getLogger(__name__)

RENDERERS: dict[str, str] = {
    # Report.Kind value: "app.module.function"
    "governance": "coprod.governance.render_governance",
    Report.Kind.DATA_EXPORT: "participants.data_protection.render_export_report",
    Report.Kind.LADDER_ROUND: "ladder.reports.render_round",
    Report.Kind.CERTIFICATE: "reciprocity.reports.render_certificate",
    Report.Kind.STATEMENT: "reciprocity.reports.render_statement",
}


def _renderer(kind: str):
    module, _, name = RENDERERS[kind].rpartition(".")
    return getattr(importlib.import_module(module), name)


@transaction.atomic
def report_request(*, kind: str, title: str, by, params: dict | None = None, partner=None,
                   includes_sensitive_data: bool | None = None, staff_only: bool = False) -> Report:
    """Record the request and queue the rendering once the transaction commits.

    `includes_sensitive_data` says whether the content will hold partners' access needs,
    lived experience or benefit flag (the renderer reads it); not given, a data export is
    taken to hold them, the safe default. `staff_only`: results not yet published beyond
    staff. Both decide who may open the report (`Report.objects.visible_to`)."""
    if kind not in RENDERERS:
        raise ValueError(f"No renderer for reports of kind {kind!r}")
    if kind in Report.PARTNER_KINDS and partner is None:
        raise ValueError(f"A report of kind {kind!r} is about one partner: say whose it is.")
    if includes_sensitive_data is None:
        includes_sensitive_data = kind == Report.Kind.DATA_EXPORT
    report = Report.objects.create(
        kind=kind, title=title, params=params or {}, partner=partner, requested_by=by,
        includes_sensitive_data=includes_sensitive_data, staff_only=staff_only,
    )
    _queue(report)
    return report


def _queue(report: Report) -> None:
    from .tasks import render_report

    transaction.on_commit(lambda: render_report.delay(report.pk))


@transaction.atomic
def report_retry(*, report: Report, by) -> Report:
    """Queue a failed report again."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.FAILED:
        raise ValueError("Only a failed report can be tried again.")
    report.status = Report.Status.QUEUED
    report.progress = 0
    report.error = ""
    report.save(update_fields=["status", "progress", "error"])
    logger.info("report %s retried by %s", report.pk, by)
    _queue(report)
    return report


def _set(report: Report, **fields) -> None:
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=list(fields))


def report_run(*, report_id: int) -> Report:
    """Render one report: running → done, or failed with the error kept for people to read."""
    report = Report.objects.get(pk=report_id)
    if report.status == Report.Status.DONE:
        return report
    _set(report, status=Report.Status.RUNNING, progress=10, started_at=timezone.now(),
         attempts=report.attempts + 1, error="")
    try:
        template, context = _renderer(report.kind)(report)
        _set(report, progress=50)
        pdf = render_pdf(template, {"report": report, **context})
        report.file.save(f"{slugify(report.title) or report.kind}.pdf", ContentFile(pdf), save=False)
        _set(report, file=report.file.name, status=Report.Status.DONE, progress=100,
             finished_at=timezone.now())
        if report.kind == Report.Kind.GOVERNANCE:
            from .governance import notify_ready

            notify_ready(report)
    except Exception as exc:  # noqa: BLE001 - any failure is shown on the report's page
        logger.exception("report %s failed", report.pk)
        _set(report, status=Report.Status.FAILED, error=f"{type(exc).__name__}: {exc}",
             finished_at=timezone.now())
    return report
