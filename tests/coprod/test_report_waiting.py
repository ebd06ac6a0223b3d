"""A report people can wait for: the page refreshes its status part by htmx (served from the
site's own static files) while the report is made, says in words what is being done, stops
polling once it is finished, and the person who asked is told on their own channel."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from coprod import reports
from coprod.models import Notice
from coprod.models import Report
from participants.models import ConsentStatement

from ..participants.factories import ConsentFactory
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory
from .test_reports import test_renderers  # noqa: F401 - fixtures
from .test_reports import test_template  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

HTMX = "/static/vendor/htmx/htmx.min.js"


def _get(client, report, **headers):
    return client.get(reverse("coprod:report_detail", args=[report.pk]), headers=headers)


def test_a_report_being_made_polls_its_status_and_says_what_is_being_done(client):
    staff = StaffFactory()
    report = Report.objects.create(kind=Report.Kind.GOVERNANCE, title="Quarter report", requested_by=staff,
                                   status=Report.Status.RUNNING, progress=50, stage=reports.STAGES["layout"])
    client.force_login(staff)
    page = _get(client, report).content.decode()
    assert f'hx-get="{reverse("coprod:report_detail", args=[report.pk])}"' in page
    assert 'hx-trigger="every 3s"' in page
    assert f'<script src="{HTMX}"></script>' in page
    assert '"includeIndicatorStyles": false' in page  # htmx adds no inline style the CSP would refuse
    assert "Drawing the charts and laying out the pages" in page
    assert "Check again" in page  # the plain fallback without JavaScript
    assert "We will also tell you by e-mail" in page

    partial = _get(client, report, HX_Request="true")
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert "Drawing the charts" in partial.content.decode()
    assert "HX-Request" in partial["Vary"]


def test_polling_stops_once_the_report_is_finished(client):
    staff = StaffFactory()
    report = Report.objects.create(kind=Report.Kind.GOVERNANCE, title="Quarter report", requested_by=staff,
                                   status=Report.Status.DONE, progress=100)
    client.force_login(staff)
    partial = _get(client, report, HX_Request="true")
    assert partial.status_code == 286  # htmx stops polling on this status
    assert "Download the PDF" in partial.content.decode()
    page = _get(client, report).content.decode()
    assert "hx-get" not in page and HTMX not in page


def test_htmx_is_served_from_the_sites_own_static_files():
    found = finders.find("vendor/htmx/htmx.min.js")
    assert found and Path(found).stat().st_size > 10_000
    assert "'self'" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]
    assert len(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]) == 1


def test_a_partner_who_asked_is_told_by_text_when_their_report_is_ready(
        test_renderers, django_capture_on_commit_callbacks, capsys):  # noqa: F811
    partner = PartnerWithLoginFactory(full_name="Tom Text", phone="07700 900111", preferred_contact="text")
    ConsentFactory(partner=partner, statement=ConsentStatement.objects.get(topic="contact", version=1))
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.report_request(kind=Report.Kind.GOVERNANCE, title="Certificate of contribution",
                                        by=partner.user, params={"figure": 3})
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.stage == ""
    notice = Notice.objects.get(kind="report_ready")
    assert notice.channel == "text" and notice.status == "sent" and notice.partner == partner
    assert "Certificate of contribution you asked for is ready" in capsys.readouterr().out


def test_a_failed_report_reads_in_words_not_as_an_exception(client, test_renderers,  # noqa: F811
                                                            django_capture_on_commit_callbacks):
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.report_request(kind=Report.Kind.LADDER_ROUND, title="Round 2", by=staff,
                                        params={"figure": 1})
    client.force_login(staff)
    page = _get(client, report).content.decode()
    assert "Something went wrong while making this report" in page
    assert f"report number, {report.pk}" in page
    assert "RuntimeError" not in page and "Try again" in page
    assert not Notice.objects.filter(kind="report_ready").exists()
