"""Report requests and rendering. The view queues, the Celery task `render_report` (defined
here, beside what it runs, so this module needs nothing from `coprod.tasks`) renders.

Each kind of report has a renderer: a function `render(report) -> (template, context)`
that the app owning the data registers with `register_renderer` from its
`AppConfig.ready()`, so the app that owns the data owns its report.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError
from django.db import OperationalError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError as BrokerUnreachable

from . import notices
from .i18n import in_language
from .models import Notice
from .models import Organisation
from .models import Report
from .pdf import render_pdf

logger = logging.getLogger(__name__)

# What the person reads when their report could not be handed to the workers.
NOT_SENT_MESSAGE = gettext_lazy("We could not start making your report just now; it will be made as soon "
                                "as possible. You can leave this page and come back later.")
STUCK_MESSAGE = gettext_lazy("The report was not finished: it took too long, or the computer making it "
                             "stopped. You can try again.")
# What the person reads when making the report went wrong; the error itself goes to the log.
FAILED_MESSAGE = gettext_lazy(
    "Something went wrong while making this report, so it could not be finished. You can try again. If it "
    "fails again, tell whoever runs coprod and give them the report number, {number}: the details are in "
    "their log.")
# What is being done, in words, while the report is made.
STAGES = {
    "gathering": gettext_lazy("Gathering the figures and records it draws on"),
    "layout": gettext_lazy("Drawing the charts and laying out the pages"),
    "saving": gettext_lazy("Saving the finished PDF"),
}
# A task delivered again after its worker died this many times gives up (a report that kills
# its worker must not loop for ever).
MAX_ATTEMPTS = 3

# Report.Kind value → its renderer; and, for some kinds, what to do once a report is made
# (the governance report e-mails the trustees).
RENDERERS: dict[str, Callable[[Report], tuple[str, dict]]] = {}
WHEN_DONE: dict[str, Callable[[Report], object]] = {}


def register_renderer(kind: str, render: Callable[[Report], tuple[str, dict]], *,
                      when_done: Callable[[Report], object] | None = None) -> None:
    """Make reports of `kind` with `render`; `when_done(report)` runs after one is made."""
    RENDERERS[kind] = render
    if when_done is not None:
        WHEN_DONE[kind] = when_done


@transaction.atomic
def report_request(*, kind: str, title: str, by, params: dict | None = None, partner=None,
                   includes_sensitive_data: bool | None = None, staff_only: bool = False,
                   commentary: str = "") -> Report:
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
        includes_sensitive_data=includes_sensitive_data, staff_only=staff_only, commentary=commentary,
    )
    _queue(report)
    return report


def _queue(report: Report) -> None:
    transaction.on_commit(lambda: _send(report))


def _send(report: Report) -> bool:
    """Hand the report to the workers' queue and note when. If the broker cannot be reached the
    report stays queued with no `sent_at`: the person is told, and the sweep sends it later."""
    try:
        # No result is kept: the report's row says how it went. Fail within seconds, not minutes.
        render_report.apply_async((report.pk,), ignore_result=True, retry_policy={
            "max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1})
    except (BrokerUnreachable, OSError):
        logger.exception("report %s could not be queued; the sweep will send it when the broker is back",
                         report.pk)
        return False
    report.sent_at = timezone.now()
    Report.objects.filter(pk=report.pk).update(sent_at=report.sent_at)
    return True


@transaction.atomic
def report_retry(*, report: Report, by) -> Report:
    """Queue again a report that failed, or that stopped with its worker."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.can_be_retried:
        raise ValueError("Only a report that failed can be tried again.")
    report.status = Report.Status.QUEUED
    report.progress = 0
    report.error = ""
    report.task_id = ""
    report.sent_at = None
    report.stage = ""
    report.save(update_fields=["status", "progress", "error", "task_id", "sent_at", "stage"])
    logger.info("report %s retried by %s", report.pk, by)
    _queue(report)
    return report


@transaction.atomic
def report_fail_stuck() -> list[int]:
    """Mark failed, with a plain message, the reports left "being prepared" by a worker that died
    or was stopped at its time limit; people can then try them again. Run by beat."""
    stuck = list(Report.objects.stuck().select_for_update(skip_locked=True))
    for report in stuck:
        logger.warning("report %s stuck since %s (task %s): marked failed", report.pk, report.started_at,
                       report.task_id or "unknown")
        with in_language(report_language(report)):
            _set(report, status=Report.Status.FAILED, error=str(STUCK_MESSAGE), finished_at=timezone.now(),
                 stage="")
    return [report.pk for report in stuck]


def report_resend_waiting() -> list[int]:
    """Send again the queued reports no worker has: those the broker was down for, and those
    sent REPORTS_RESEND_AFTER ago and never started (the message was lost). Sending one twice
    is harmless: a report already done or being made is left alone. Run by beat."""
    waiting = Report.objects.waiting_to_be_sent(
        now=timezone.now(), resend_after=timedelta(seconds=settings.REPORTS_RESEND_AFTER))
    sent = []
    for report in waiting.order_by("requested_at")[:200]:
        if not _send(report):
            break  # the broker is down again: the next sweep tries
        logger.info("report %s sent to the workers again", report.pk)
        sent.append(report.pk)
    return sent


def _set(report: Report, **fields) -> None:
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=list(fields))


@transaction.atomic
def _start(report_id: int, task_id: str) -> Report | None:
    """Claim a report for this task, or answer None when there is nothing for it to do."""
    report = Report.objects.select_for_update().get(pk=report_id)
    redelivered = (report.status == Report.Status.RUNNING and bool(task_id)
                   and report.task_id == task_id)
    if report.status != Report.Status.QUEUED and not redelivered:
        return None  # done, failed (waiting for "Try again"), or another task is making it
    if redelivered and report.attempts >= MAX_ATTEMPTS:
        logger.error("report %s: its worker stopped %s times while making it; giving up", report.pk,
                     report.attempts)
        _set(report, status=Report.Status.FAILED, finished_at=timezone.now(),
             error=_("The computer making this report kept stopping while making it. "
                     "You can try again; if it keeps happening, tell whoever runs coprod."))
        return None
    _set(report, status=Report.Status.RUNNING, progress=10, started_at=timezone.now(),
         attempts=report.attempts + 1, error="", task_id=task_id, stage=str(STAGES["gathering"]))
    return report


def report_ready_tell(report: Report) -> int:
    """Tell the person who asked that their report is ready, on their own channel (a partner by
    text or letter if they chose it). Never stops the report being ready. (The scheduled
    quarterly report goes to the trustees instead: `governance.notify_ready`.)"""
    if report.requested_by is None:
        return 0
    recipient = notices.recipient_for_user(report.requested_by)
    organisation = Organisation.current().name
    link = f"{settings.SITE_URL.rstrip('/')}{reverse('coprod:report_detail', args=[report.pk])}"
    words = {"title": report.title, "link": link, "organisation": organisation, "name": recipient.name,
             "phone": recipient.phone}
    with in_language(recipient.language):
        if recipient.channel == Notice.Channel.EMAIL:
            body = _("Hello,\n\nThe %(title)s is ready.\n\nSign in and open it here: %(link)s\n\n"
                     "%(organisation)s") % words
        elif recipient.channel == Notice.Channel.PHONE:
            body = _("Ring %(name)s (%(phone)s): the %(title)s they asked for is ready.") % words
        else:
            body = _("%(organisation)s: the %(title)s you asked for is ready. Sign in to download it, "
                     "or ask us for a copy.") % words
        subject = _("%(organisation)s: %(title)s is ready") % words
    notice = notices.notice_send(recipient=recipient, kind="report_ready", subject=subject, body=body,
                                 topic=f"report:{report.pk}", key=f"report-ready:{report.pk}")
    return int(notice is not None)


def report_language(report: Report) -> str:
    """The language a report is written in: a partner's own document in the partner's language,
    any other in the language of whoever asked for it (the default for scheduled ones)."""
    if report.partner_id:
        return report.partner.language
    return report.requested_by.language if report.requested_by_id else ""


def report_run(*, report_id: int, task_id: str = "") -> Report:
    """Render one report: running → done, or failed with the error kept for people to read.

    Safe to run more than once for the same report: a finished report, or one another task is
    making, is left alone; the same task delivered again after its worker died starts again."""
    report = Report.objects.select_related("partner", "requested_by").get(pk=report_id)
    with in_language(report_language(report)):
        return _run(report_id, task_id)


def _run(report_id: int, task_id: str) -> Report:
    report = _start(report_id, task_id)
    if report is None:
        return Report.objects.get(pk=report_id)
    try:
        template, context = RENDERERS[report.kind](report)
        _set(report, progress=50, stage=str(STAGES["layout"]))
        pdf = render_pdf(template, {"report": report, **context})
        _set(report, progress=90, stage=str(STAGES["saving"]))
        report.file.save(f"{slugify(report.title) or report.kind}.pdf", ContentFile(pdf), save=False)
        _set(report, file=report.file.name, status=Report.Status.DONE, progress=100, stage="",
             finished_at=timezone.now())
    except SoftTimeLimitExceeded:
        logger.exception("report %s took too long", report.pk)
        _set(report, status=Report.Status.FAILED, finished_at=timezone.now(), stage="",
             error=_("It took too long to make, so it was stopped. You can try again; "
                     "a shorter period may help."))
        return report
    except Exception:  # noqa: BLE001 - any failure is shown on the report's page, in words
        # The details go to the log for whoever runs coprod; the person reads what to do.
        logger.exception("report %s (%s) failed", report.pk, report.kind)
        _set(report, status=Report.Status.FAILED, error=FAILED_MESSAGE.format(number=report.pk), stage="",
             finished_at=timezone.now())
        return report
    if report.kind in WHEN_DONE:
        WHEN_DONE[report.kind](report)
    else:
        report_ready_tell(report)
    return report


# Acknowledged once finished; if the worker process dies (killed, out of memory) the task goes
# back to the queue. Running it again is safe: `report_run` leaves a finished report alone.
# Its name stays "coprod.tasks.render_report", so reports queued before it moved here still run.
@shared_task(name="coprod.tasks.render_report", bind=True, acks_late=True, reject_on_worker_lost=True,
             retry_backoff=True, max_retries=3,
             autoretry_for=(ConnectionError, OperationalError, InterfaceError))
def render_report(self, report_id: int) -> str:
    """Render a queued report."""
    try:
        return report_run(report_id=report_id, task_id=self.request.id or "").status
    except Report.DoesNotExist:
        return "deleted"  # the report was removed (say, with its partner's data) before its turn
