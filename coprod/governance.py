"""The governance report: the dashboard's figures and charts for a period, rendered
to PDF by a worker, made automatically each quarter and sent to trustees."""

import base64
import datetime
import logging
import mimetypes

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import boardpack
from . import bounds
from . import kpis
from . import notify
from . import periods
from . import reports
from .i18n import in_language
from .models import COMMENTARY_MAX
from .models import Organisation
from .models import Report
from .models import Service
from .registry import Registry

logger = logging.getLogger(__name__)


def governance_report_request(*, period: periods.Period, service: Service | None, by,
                              scheduled: bool = False, commentary: str = "") -> Report:
    """Queue the governance report for a period (within `bounds.REPORT_PERIOD`), with staff's
    optional commentary for the board."""
    bounds.REPORT_PERIOD.check(period.start, period.end)
    commentary = bounds.check_text("commentary", commentary, max_length=COMMENTARY_MAX)
    title = _("Governance report: %(period)s") % {"period": period.label}
    title += f" — {service.name}" if service else ""
    params = {**period.as_params(), "service": service.pk if service else None, "scheduled": scheduled}
    return reports.report_request(kind=Report.Kind.GOVERNANCE, title=title, by=by, params=params,
                                  commentary=commentary)


# What each app adds to the governance report: `section(period, service) -> dict` of template
# context (panels: the decision extract and "you said, we did"), registered from its `ready()`.
sections = Registry("governance report sections")


def _site_link(name: str, **params) -> str:
    query = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{settings.SITE_URL.rstrip('/')}{reverse(name)}" + (f"?{urlencode(query)}" if query else "")


def _logo_uri() -> str:
    """The organisation's logo for the cover, inlined (uploads are never served publicly)."""
    logo = Organisation.current().logo
    if not logo:
        return ""
    try:
        with logo.open("rb") as image:
            data = image.read()
    except OSError:
        logger.warning("the organisation's logo could not be read for the report cover")
        return ""
    kind = mimetypes.guess_type(logo.name)[0] or "image/png"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def render_governance(report: Report) -> tuple[str, dict]:
    period = periods.Period.from_params(report.params)
    service = Service.objects.filter(pk=report.params.get("service")).first()
    board = kpis.dashboard(period, service)
    before = boardpack.previous_period(period)
    lines = boardpack.summary(board, kpis.dashboard(before, service))
    drawn = kpis.charts(board)  # every funder in the chart ("Other funders" adds up the smallest)
    # The pack stays short: the services with most active partners; the dashboard shows them all.
    service_count = len(board.services)
    board.services = sorted(board.services, key=lambda row: -row["active_partners"])[:boardpack.MOST_SERVICES]
    if board.reciprocity:
        board.reciprocity["budgets"] = boardpack.shorten_budgets(board.reciprocity["budgets"])
    dates = {"decided_from": period.start.isoformat(), "decided_to": period.end.isoformat(),
             "service": service.pk if service else None}
    return "reports/governance.html", {
        "board": board, "charts": drawn, "previous_period": before,
        "summary": lines, "targets": boardpack.target_counts(lines), "commentary": report.commentary,
        "definitions": boardpack.DEFINITIONS,
        **{key: value for section in sections for key, value in section(period, service).items()},
        "services": board.services, "service_count": service_count, "logo_uri": _logo_uri(),
        "decision_log_link": _site_link("panels:decision_list", shaped="yes", export="xlsx", **dates),
        "feedback_link": _site_link("panels:feedback_log", export="xlsx", **{
            "answered_from": period.start.isoformat(), "answered_to": period.end.isoformat(),
            "service": service.pk if service else None}),
    }


def notify_ready(report: Report) -> int:
    """E-mail trustees that the scheduled report is ready (or the person who asked for it).
    Answers how many people it was queued to."""
    User = get_user_model()
    if not report.params.get("scheduled"):
        # Asked for by someone: they are told on their own channel.
        return reports.report_ready_tell(report)
    trustees = User.objects.filter(is_trustee=True, is_active=True)
    by_language: dict[str, list[str]] = {}
    for email_address, language in trustees.values_list("email", "language"):
        by_language.setdefault(language or "", []).append(email_address)
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    link = f"{base}{reverse('coprod:report_detail', args=[report.pk])}"
    organisation = Organisation.current().name
    words = {"organisation": organisation, "title": report.title, "link": link}
    sent = 0
    # One message the trustees who read the same language share, as a board paper would be.
    for language, recipients in sorted(by_language.items()):
        with in_language(language):
            email = notify.email_queue(
                kind="report_ready", to=recipients, user=None,
                subject=_("%(organisation)s: %(title)s is ready") % words,
                # The title as made ("Governance report: July to September 2026"): lowering it
                # would write month and service names in small letters.
                body=_("Hello,\n\n%(title)s is ready to read.\n\nSign in and open it here: %(link)s\n\n"
                       "%(organisation)s") % words,
            )
        sent += len(email.recipients) if email else 0
    return sent


def quarterly_report_due(today: datetime.date | None = None) -> periods.Period | None:
    """The quarter whose report should be made today, if any."""
    today = today or timezone.localdate()
    organisation = Organisation.current()
    if not organisation.quarterly_report or today.month not in (1, 4, 7, 10):
        return None
    if today.day < organisation.quarterly_report_day:
        return None
    quarter = periods.previous_quarter(today)
    already = Report.objects.filter(kind=Report.Kind.GOVERNANCE, params__start=quarter.start.isoformat(),
                                    params__end=quarter.end.isoformat(), params__scheduled=True)
    return None if already.exists() else quarter


@transaction.atomic
def quarterly_report_make(*, today: datetime.date | None = None) -> Report | None:
    quarter = quarterly_report_due(today)
    if quarter is None:
        return None
    logger.info("making the scheduled governance report for %s", quarter.label)
    return governance_report_request(period=quarter, service=None, by=None, scheduled=True)


def register() -> None:
    """The core's report (called from `CoprodConfig.ready()`)."""
    reports.register_renderer(Report.Kind.GOVERNANCE, render_governance, when_done=notify_ready)
