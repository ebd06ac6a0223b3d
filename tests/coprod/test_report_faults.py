"""Reports survive faults: the broker down when someone asks for one (kept, sent later), a worker
that dies while rendering (delivered again, or marked failed and retryable, never stuck "being
prepared"), and the same report sent twice (made once). `make drills` does it for real."""

from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from coprod import reports
from coprod.models import Report
from coprod.tasks import render_report
from coprod.tasks import sweep_reports

pytestmark = pytest.mark.django_db


def render_small_report(report):
    return "reports/faults_report.html", {"figure": report.params.get("figure")}


def render_too_slowly(report):
    raise SoftTimeLimitExceeded()


@pytest.fixture
def test_renderers(monkeypatch, settings, tmp_path):
    """Governance reports render a one-line template: these tests are about what happens around it."""
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "faults_report.html").write_text(
        '{% extends "reports/base.html" %}{% block body %}<p>Involvement rate {{ figure }}%</p>'
        '{% endblock %}')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    monkeypatch.setitem(reports.RENDERERS, Report.Kind.GOVERNANCE, render_small_report)


@pytest.fixture
def broker_down(monkeypatch):
    """Queuing raises what kombu raises when Redis refuses the connection."""

    def refuse(*args, **kwargs):
        raise BrokerUnreachable("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(render_report, "apply_async", refuse)


def _governance(**fields) -> Report:
    return Report.objects.create(kind=Report.Kind.GOVERNANCE, title="Quarter 3 report", params={"figure": 87},
                                 **fields)


def _ago(**delta):
    return timezone.now() - timedelta(**delta)


# --- The broker is down when someone asks -------------------------------------------------------


def test_asking_for_a_report_while_the_broker_is_down_keeps_it_queued_and_says_so(
    world, trustee_client, broker_down, django_capture_on_commit_callbacks
):
    client = trustee_client
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coprod:governance_report_request"), {"period": "last_quarter"})
    report = Report.objects.get(requested_by=world.trustee)
    assert response.status_code == 302
    assert response["Location"] == reverse("coprod:report_detail", args=[report.pk])
    assert report.status == Report.Status.QUEUED and report.sent_at is None

    page = client.get(response["Location"]).content.decode()
    assert "We could not start making your report just now; it will be made as soon as possible." in page
    assert "Your report is being made" not in page


def test_a_partner_asking_for_their_certificate_while_the_broker_is_down_gets_the_same_page(
    world, partner_client, broker_down, django_capture_on_commit_callbacks
):
    client = partner_client
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reciprocity:my_certificate"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "We could not start making your report just now" in page


def test_trying_again_while_the_broker_is_down_keeps_the_report_queued(
    world, staff_client, broker_down, django_capture_on_commit_callbacks
):
    report = _governance(status=Report.Status.FAILED, error="RuntimeError: no chart")
    client = staff_client
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coprod:report_retry", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED and report.sent_at is None
    page = client.get(response["Location"]).content.decode()
    assert "We could not start making your report just now" in page
    assert "The report has been queued again" not in page


def test_a_report_sent_to_the_workers_records_when(test_renderers, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.report_request(kind=Report.Kind.GOVERNANCE, title="Q3", by=world.trustee,
                                        params={"figure": 87})
    report.refresh_from_db()
    assert report.sent_at is not None
    assert report.status == Report.Status.DONE


# --- The sweep sends what never reached the workers ------------------------------------------


def test_the_sweep_sends_reports_the_broker_was_down_for_once_it_is_back(test_renderers, world):
    waiting = _governance()
    Report.objects.filter(pk=waiting.pk).update(requested_at=_ago(minutes=2))
    just_asked = _governance()  # its own request is still being sent: left alone

    assert sweep_reports.delay().get() == {"failed": [], "sent": [waiting.pk]}
    waiting.refresh_from_db()
    just_asked.refresh_from_db()
    assert waiting.status == Report.Status.DONE and waiting.sent_at is not None
    assert just_asked.status == Report.Status.QUEUED and just_asked.sent_at is None


def test_the_sweep_sends_again_a_report_no_worker_started_after_a_few_minutes(test_renderers, world,
                                                                              settings):
    settings.REPORTS_RESEND_AFTER = 300
    lost = _governance(sent_at=_ago(minutes=6))
    recent = _governance(sent_at=_ago(minutes=1))
    assert reports.report_resend_waiting() == [lost.pk]
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.status == Report.Status.DONE
    assert recent.status == Report.Status.QUEUED


def test_the_sweep_keeps_reports_queued_while_the_broker_is_still_down(world, broker_down):
    waiting = _governance()
    Report.objects.filter(pk=waiting.pk).update(requested_at=_ago(minutes=5))
    assert reports.report_resend_waiting() == []
    waiting.refresh_from_db()
    assert waiting.status == Report.Status.QUEUED and waiting.sent_at is None


# --- A worker dies while rendering ------------------------------------------------------------


def test_a_report_left_running_past_the_time_limit_is_marked_failed_and_can_be_tried_again(
    test_renderers, world, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_TIME_LIMIT = 600
    stuck = _governance(status=Report.Status.RUNNING, started_at=_ago(minutes=12), task_id="dead", attempts=1)
    busy = _governance(status=Report.Status.RUNNING, started_at=_ago(minutes=2), task_id="alive", attempts=1)

    assert sweep_reports.delay().get() == {"failed": [stuck.pk], "sent": []}
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.status == Report.Status.FAILED and stuck.error == reports.STUCK_MESSAGE
    assert stuck.finished_at is not None
    assert busy.status == Report.Status.RUNNING

    with django_capture_on_commit_callbacks(execute=True):
        reports.report_retry(report=stuck, by=world.staff)
    stuck.refresh_from_db()
    assert stuck.status == Report.Status.DONE and stuck.attempts == 2


def test_the_report_page_never_shows_a_dead_report_as_being_prepared(
    test_renderers, world, staff_client, settings, django_capture_on_commit_callbacks
):
    """Even before beat's sweep has run (or with no beat at all)."""
    settings.CELERY_TASK_TIME_LIMIT = 600
    stuck = _governance(status=Report.Status.RUNNING, started_at=_ago(minutes=15), task_id="dead")
    page = staff_client.get(reverse("coprod:report_detail", args=[stuck.pk])).content.decode()
    assert "The report was not finished" in page and "Try again" in page
    assert "Being prepared" not in page and "<progress" not in page
    listing = staff_client.get(reverse("coprod:report_list")).content.decode()
    assert "Stopped (open it to try again)" in listing

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("coprod:report_retry", args=[stuck.pk]))
    assert response.status_code == 302
    stuck.refresh_from_db()
    assert stuck.status == Report.Status.DONE


def test_a_report_being_prepared_within_the_time_limit_cannot_be_retried(world, staff_client):
    busy = _governance(status=Report.Status.RUNNING, started_at=_ago(minutes=1), task_id="alive")
    response = staff_client.post(reverse("coprod:report_retry", args=[busy.pk]), follow=True)
    assert "Only a report that failed can be tried again." in response.content.decode()
    busy.refresh_from_db()
    assert busy.status == Report.Status.RUNNING
    with pytest.raises(ValueError):
        reports.report_retry(report=busy, by=world.staff)


def test_the_task_delivered_again_after_its_worker_died_makes_the_report(test_renderers, world):
    report = _governance(status=Report.Status.RUNNING, started_at=_ago(seconds=20), task_id="task-1",
                         attempts=1)
    assert reports.report_run(report_id=report.pk, task_id="task-1").status == Report.Status.DONE
    report.refresh_from_db()
    assert report.attempts == 2 and report.file


def test_a_second_task_for_a_report_already_being_made_leaves_it_alone(test_renderers, world):
    report = _governance(status=Report.Status.RUNNING, started_at=_ago(seconds=20), task_id="task-1",
                         attempts=1)
    assert reports.report_run(report_id=report.pk, task_id="task-2").status == Report.Status.RUNNING
    report.refresh_from_db()
    assert report.attempts == 1 and report.task_id == "task-1"


def test_a_report_sent_twice_is_made_once(test_renderers, world):
    report = _governance()
    assert render_report.delay(report.pk).get() == "done"
    assert render_report.delay(report.pk).get() == "done"
    report.refresh_from_db()
    assert report.attempts == 1


def test_a_failed_report_waits_for_try_again_rather_than_being_made_by_a_stray_message(test_renderers, world):
    report = _governance(status=Report.Status.FAILED, error="RuntimeError: no chart", attempts=1)
    assert render_report.delay(report.pk).get() == "failed"
    report.refresh_from_db()
    assert report.attempts == 1


def test_a_report_that_keeps_killing_its_worker_gives_up_after_three_attempts(test_renderers, world):
    report = _governance(status=Report.Status.RUNNING, started_at=_ago(seconds=20), task_id="task-1",
                         attempts=reports.MAX_ATTEMPTS)
    assert reports.report_run(report_id=report.pk, task_id="task-1").status == Report.Status.FAILED
    report.refresh_from_db()
    assert "kept stopping" in report.error and "You can try again" in report.error
    assert report.can_be_retried


def test_a_report_over_the_soft_time_limit_fails_with_a_plain_message(world, monkeypatch):
    monkeypatch.setitem(reports.RENDERERS, Report.Kind.GOVERNANCE, render_too_slowly)
    report = _governance()
    assert render_report.delay(report.pk).get() == "failed"
    report.refresh_from_db()
    assert report.error == ("It took too long to make, so it was stopped. You can try again; "
                            "a shorter period may help.")


def test_a_report_deleted_before_its_turn_is_skipped():
    assert render_report.delay(987654).get() == "deleted"


def test_the_render_task_is_acknowledged_only_when_finished_and_requeued_if_its_worker_dies():
    assert render_report.acks_late is True
    assert render_report.reject_on_worker_lost is True
