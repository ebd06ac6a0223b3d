"""Reports: queued by a service, rendered by the Celery task, downloaded by those allowed."""

import pytest
from django.urls import reverse

from coprod import reports
from coprod.models import Report
from coprod.tasks import render_report

from ..helpers import pdf_text

pytestmark = pytest.mark.django_db


def render_test_report(report):
    return "reports/test_report.html", {"figure": report.params["figure"]}


def render_broken_report(report):
    raise RuntimeError("the chart could not be drawn")


@pytest.fixture
def test_renderers(monkeypatch, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setitem(reports.RENDERERS, Report.Kind.GOVERNANCE, render_test_report)
    monkeypatch.setitem(reports.RENDERERS, Report.Kind.LADDER_ROUND, render_broken_report)


@pytest.fixture(autouse=True)
def test_template(settings, tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    (folder / "reports").mkdir()
    (folder / "reports" / "test_report.html").write_text(
        '{% extends "reports/base.html" %}{% block body %}<p>Involvement rate {{ figure }}%</p>{% endblock %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], folder]}]


def test_a_requested_report_is_rendered_to_a_pdf_with_its_figures(test_renderers, world,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.report_request(kind=Report.Kind.GOVERNANCE, title="Quarter 3 report",
                                        by=world.trustee, params={"figure": 87})
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert report.progress == 100
    assert report.attempts == 1
    text = pdf_text(report.file.read())
    assert "Involvement rate 87%" in text
    assert "Quarter 3 report" in text


def test_a_failing_render_marks_the_report_failed_in_words_logs_the_error_and_it_can_be_retried(
    test_renderers, world, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.report_request(kind=Report.Kind.LADDER_ROUND, title="Round 2", by=world.staff,
                                        params={"figure": 50})
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    # The person reads what happened and what to do; the exception goes to the log only.
    assert report.error == reports.FAILED_MESSAGE.format(number=report.pk)
    assert "RuntimeError" not in report.error and "chart could not be drawn" not in report.error
    logged = [record for record in caplog.records if record.name == "coprod.reports" and record.exc_info]
    assert "the chart could not be drawn" in str(logged[0].exc_info[1])
    assert not report.file

    monkeypatch.setitem(reports.RENDERERS, Report.Kind.LADDER_ROUND, render_test_report)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_retry(report=report, by=world.staff)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert report.attempts == 2
    assert report.error == ""


def test_only_a_failed_report_can_be_retried(world):
    report = Report.objects.create(kind=Report.Kind.GOVERNANCE, title="Done", status=Report.Status.DONE)
    with pytest.raises(ValueError):
        reports.report_retry(report=report, by=world.staff)


def test_the_task_leaves_a_finished_report_alone(test_renderers, world):
    report = Report.objects.create(kind=Report.Kind.GOVERNANCE, title="Done", status=Report.Status.DONE,
                                   params={"figure": 1})
    assert render_report.delay(report.pk).get() == "done"
    report.refresh_from_db()
    assert report.attempts == 0


def test_an_unknown_kind_cannot_be_requested(world):
    before = Report.objects.count()
    with pytest.raises(ValueError):
        reports.report_request(kind="horoscope", title="x", by=world.staff)
    assert Report.objects.count() == before


def test_report_page_shows_the_error_and_a_retry_button(staff_client, world):
    response = staff_client.get(reverse("coprod:report_detail", args=[world.failed_report.pk]))
    page = response.content.decode()
    assert "the chart could not be drawn" in page
    assert "Try again" in page


def test_partner_downloads_their_own_document(partner_client, world):
    response = partner_client.get(reverse("coprod:report_download", args=[world.certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_unfinished_report_cannot_be_downloaded(staff_client, world):
    response = staff_client.get(reverse("coprod:report_download", args=[world.failed_report.pk]))
    assert response.status_code == 404
