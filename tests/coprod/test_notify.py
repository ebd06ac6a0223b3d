"""The outbox (coprod.notify): safe headers, one module for all mail, nothing lost when
the mail server or the broker fails, and never sent twice."""

import ast
import datetime
import logging
import smtplib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.handlers.base import BaseHandler
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from coprod import notify
from coprod.models import OutgoingEmail
from participants import data_protection
from participants import services as participant_services
from participants.models import ConsentStatement

from ..helpers import assert_queries_bounded
from ..participants.factories import ConsentFactory
from ..participants.factories import PartnerFactory
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["coprod", "participants", "panels", "reciprocity", "ladder"]
MAIL_CALLS = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage",
              "EmailMultiAlternatives", "get_connection"}


def _queue(**overrides) -> OutgoingEmail:
    values = {"kind": "test", "to": ["pat@example.test"], "subject": "Hello", "body": "Body"}
    return notify.email_queue(**{**values, **overrides})


# --- Headers ---


@pytest.mark.parametrize("value, expected", [
    ("Title\r\nBcc: evil@example.com", "Title Bcc: evil@example.com"),
    ("Line\rbreak\nand\ttab", "Line break and tab"),
    ("bell\x07 escape\x1b[31m null\x00 done", "bell escape[31m null done"),
    ("\u202eoverride\u2066isolate\u2069", "overrideisolate"),
    ("  many   spaces\u2028and a line separator ", "many spaces and a line separator"),
    ("Café — Cymraeg: Croeso", "Café — Cymraeg: Croeso"),
])
def test_clean_header_keeps_the_words_on_one_line(value, expected):
    assert notify.clean_header(value) == expected


def test_clean_header_bounds_the_length():
    cleaned = notify.clean_header("word " * 100)
    assert len(cleaned) == notify.SUBJECT_MAX and cleaned.endswith("…")
    assert notify.clean_header("short", limit=3) == "sh…"


def test_clean_address_refuses_anything_but_one_address():
    assert notify.clean_address("pat@example.test") == "pat@example.test"
    assert notify.clean_address("pat@example.test\nBcc: evil@example.com") is None
    assert notify.clean_address("pat@example.test, evil@example.com") is None
    assert notify.clean_address("") is None
    named = notify.clean_address("pat@example.test", name="Pat\r\nBcc: evil@example.com")
    assert named == '"Pat Bcc: evil@example.com" <pat@example.test>'


def test_a_display_name_is_sent_safely(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _queue(to=[("Siân O'Neil\nBcc: evil@example.com", "sian@example.test")])
    message = mail.outbox[0]
    assert message.recipients() == ["\"Siân O'Neil Bcc: evil@example.com\" <sian@example.test>"]
    assert "\nBcc:" not in message.message().as_string().split("\n\n")[0]


# --- One module for all mail ---


def _direct_mail_uses(source: str) -> list[str]:
    """Where `source` imports Django's mail module or calls its sending functions."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("django.core.mail") or (
                    node.module == "django.core" and any(alias.name == "mail" for alias in node.names)):
                found.append(f"line {node.lineno}: from {node.module} import …")
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {alias.name}" for alias in node.names
                      if alias.name.startswith("django.core.mail")]
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in MAIL_CALLS:
                found.append(f"line {node.lineno}: {name}(…)")
    return found


def test_the_source_scan_finds_direct_mail():
    assert _direct_mail_uses("from django.core.mail import send_mail\nsend_mail('a', 'b', None, ['c'])")
    assert _direct_mail_uses("from django.core import mail\nmail.get_connection()")
    assert _direct_mail_uses("import django.core.mail.message")
    assert not _direct_mail_uses("from coprod import notify\nnotify.email_queue(kind='x', to=[], subject='', "
                                 "body='')")


def test_no_module_but_notify_sends_mail_directly():
    offenders = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if path == ROOT / "coprod" / "notify.py" or "migrations" in path.parts:
                continue
            uses = _direct_mail_uses(path.read_text())
            if uses:
                offenders[str(path.relative_to(ROOT))] = uses
    assert offenders == {}, f"send e-mail through coprod.notify, not Django's mail functions: {offenders}"


# --- The outbox ---


def test_a_message_is_saved_with_the_action_and_sent_after_it_commits(db, django_capture_on_commit_callbacks):
    partner = PartnerFactory(email="pat@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            email = _queue(partner=partner, subject="Your meeting", body="See you there")
            assert mail.outbox == [], "nothing leaves before the action is saved"
            assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.QUEUED
    email.refresh_from_db()
    assert (email.status, email.attempts, email.partner) == (OutgoingEmail.Status.SENT, 1, partner)
    assert email.sent_at is not None
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [("Your meeting", "See you there",
                                                                 ["pat@example.test"])]
    assert mail.outbox[0].from_email == django_settings.DEFAULT_FROM_EMAIL


def test_a_message_of_an_action_that_fails_is_neither_saved_nor_sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        with transaction.atomic():
            _queue()
            raise ValidationError("the action was refused")
    assert not OutgoingEmail.objects.exists() and mail.outbox == []


def test_no_usable_address_saves_nothing(db):
    assert _queue(to=["", "not an address"]) is None
    assert not OutgoingEmail.objects.exists()


def test_each_address_is_sent_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(to=["pat@example.test", "PAT@example.test", "sam@example.test"])
    assert email.recipients == ["pat@example.test", "sam@example.test"]
    assert [message.to for message in mail.outbox] == [["pat@example.test", "sam@example.test"]]


def test_attachments_are_kept_json_safe_and_sent_as_given(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(attachments=[notify.Attachment("meeting.ics", b"BEGIN:VCALENDAR\r\n", "text/calendar"),
                                    notify.Attachment("logo.png", b"\x89PNG\x00\xff", "image/png")])
    email.refresh_from_db()
    assert [item["encoding"] for item in email.attachments] == ["base64", "base64"]
    sent = mail.outbox[0].attachments
    assert sent[0] == ("meeting.ics", "BEGIN:VCALENDAR\r\n", "text/calendar")
    assert sent[1] == ("logo.png", b"\x89PNG\x00\xff", "image/png")


def test_a_message_is_never_sent_twice(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    assert notify.email_deliver(email_id=email.pk) == ("sent", None)
    notify.send_email.delay(email.pk)
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_a_sign_in_code_is_removed_from_the_outbox_once_sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(body="Your code is 123456", secret=True)
    assert "123456" in mail.outbox[0].body
    email.refresh_from_db()
    assert email.body == notify.SECRET_REMOVED


# --- The mail server failing ---


class FlakyBackend:
    """Fails the first `failures` attempts of the test, then sends (locmem)."""

    failures = 0
    attempts = 0

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self.locmem = EmailBackend()

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.attempts <= FlakyBackend.failures:
            raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")
        return self.locmem.send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.attempts, FlakyBackend.failures = 0, 2
    return FlakyBackend


def test_a_passing_fault_is_retried_until_the_message_goes(db, flaky, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutgoingEmail.Status.SENT, 3, "")
    assert len(mail.outbox) == 1


@pytest.fixture
def partner(db):
    partner = PartnerFactory(email="pat@example.test", status="active")
    ConsentFactory(partner=partner, statement=ConsentStatement.objects.get(topic="contact", version=1))
    return partner


@pytest.fixture
def staff_client(db, client):
    client.force_login(StaffFactory())
    return client


def test_when_the_mail_server_fails_the_action_succeeds_and_the_message_is_retried_then_marked_failed(
        partner, staff_client, settings, caplog, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.helpers.RefusingEmailBackend"
    with caplog.at_level(logging.WARNING, logger="coprod.notify"), \
            django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("participants:partner_status", args=[partner.pk]),
                                     {"status": "paused", "note": "Taking a break"})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.status == "paused", "the action itself succeeded"
    email = OutgoingEmail.objects.get(partner=partner)
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, notify.MAX_ATTEMPTS)
    assert email.last_error == "SMTPServerDisconnected: the mail server went away"
    assert caplog.text.count("trying again") == notify.MAX_ATTEMPTS - 1
    assert f"e-mail {email.pk} (partner_status_changed) to {partner.email} could not be sent" in caplog.text
    # Staff see it on the partner's page.
    page = staff_client.get(reverse("participants:partner_detail", args=[partner.pk])).content.decode()
    assert "Messages sent" in page and "Could not be sent" in page and "the mail server went away" in page


def test_a_worker_waits_longer_after_each_failed_attempt(db, settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.helpers.RefusingEmailBackend"
    email = _queue()
    retries = []

    class Retry(Exception):
        pass

    def retry(*, countdown, max_retries):
        retries.append(countdown)
        return Retry()

    monkeypatch.setattr(notify.send_email, "retry", retry)
    notify.send_email.push_request(is_eager=False, called_directly=False)
    try:
        for _ in range(notify.MAX_ATTEMPTS - 1):
            with pytest.raises(Retry):
                notify.send_email.run(email.pk)
        assert notify.send_email.run(email.pk) == "failed"
    finally:
        notify.send_email.pop_request()
    assert retries == [60, 120, 240, 480, 960, 1920, 3600]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, notify.MAX_ATTEMPTS)


def test_a_permanent_refusal_is_not_retried(db, settings, monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({"pat@example.test": (550, b"No such user")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    email = _queue()
    assert notify.email_deliver(email_id=email.pk) == ("failed", None)
    email.refresh_from_db()
    assert email.attempts == 1 and "No such user" in email.last_error


def _failed(**overrides) -> OutgoingEmail:
    """A message the mail server refused every time."""
    email = _queue(**overrides)
    with override_settings(EMAIL_BACKEND="tests.helpers.RefusingEmailBackend"):
        while notify.email_deliver(email_id=email.pk)[1] is not None:
            pass
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    return email


def test_staff_can_send_a_failed_message_again(db, django_capture_on_commit_callbacks):
    email = _failed()
    with django_capture_on_commit_callbacks(execute=True):
        notify.email_send_again(email=email, by=StaffFactory())
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and len(mail.outbox) == 1
    with pytest.raises(ValidationError, match="Only an e-mail that could not be sent"):
        notify.email_send_again(email=email, by=None)


def test_a_secret_message_cannot_be_sent_again(db):
    email = _failed(secret=True, body="Your code is 123456")
    assert email.body == notify.SECRET_REMOVED
    with pytest.raises(ValidationError, match="ask the person to request a new one"):
        notify.email_send_again(email=email, by=None)


def test_the_admin_lists_failed_messages_and_sends_them_again(db, client, django_capture_on_commit_callbacks):
    email = _failed(subject="Meeting moved")
    root = get_user_model().objects.create_superuser(email="root@example.test", password="x" * 12)
    client.force_login(root)
    url = reverse("admin:coprod_outgoingemail_changelist")
    page = client.get(url, {"status__exact": "failed"}).content.decode()
    assert "Meeting moved" in page and "Could not be sent" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "send_again", "_selected_action": [email.pk]})
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and len(mail.outbox) == 1


# --- The broker down ---


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(notify.send_email, "delay", refuse)
    monkeypatch.setattr(notify.send_email, "apply_async", refuse)
    return monkeypatch


@pytest.fixture
def commits_before_the_response(monkeypatch, django_capture_on_commit_callbacks):
    """As in production, where what a view saves is committed (and the work waiting for
    the commit done) before the response passes back through the middleware. A test's
    requests run inside its transaction, so those callbacks run when the view returns."""
    original = BaseHandler._get_response

    def get_response(self, request):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, request)

    monkeypatch.setattr(BaseHandler, "_get_response", get_response)


def test_broker_down_the_action_succeeds_the_message_is_kept_and_the_person_told(
        partner, staff_client, broker_down, caplog, commits_before_the_response):
    with caplog.at_level(logging.WARNING, logger="coprod.notify"):
        response = staff_client.post(reverse("participants:partner_status", args=[partner.pk]),
                                     {"status": "paused", "note": ""}, follow=True)
    assert response.status_code == 200
    partner.refresh_from_db()
    assert partner.status == "paused"
    assert notify.DELAYED_MESSAGE in response.content.decode()
    email = OutgoingEmail.objects.get(partner=partner)
    assert (email.status, email.attempts) == (OutgoingEmail.Status.QUEUED, 0)
    assert "task queue could not be reached" in caplog.text
    assert mail.outbox == []

    # The broker comes back; the beat job finds the message and it goes, once.
    broker_down.undo()
    assert notify.email_requeue_waiting() == 0, "not yet: it may still be on its way"
    later = timezone.now() + notify.LOST_AFTER + datetime.timedelta(seconds=1)
    assert notify.email_requeue_waiting(now=later) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [message.to for message in mail.outbox] == [[partner.email]]
    assert notify.email_requeue_waiting(now=later + datetime.timedelta(hours=1)) == 0


def test_broker_down_while_signing_in_by_code(db, client, broker_down, commits_before_the_response):
    PartnerWithLoginFactory(user__email="pat@example.test")
    response = client.post(reverse("account_request_login_code"), {"email": "pat@example.test"}, follow=True)
    assert response.status_code == 200
    assert notify.DELAYED_MESSAGE in response.content.decode()
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.QUEUED


def test_the_beat_job_stops_quietly_while_the_broker_is_still_down(db, broker_down):
    email = _queue()
    later = timezone.now() + datetime.timedelta(minutes=10)
    assert notify.email_requeue_waiting(now=later) == 0
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED


def test_the_beat_job_leaves_sent_failed_and_waiting_to_retry_messages_alone(db):
    now = timezone.now()
    for status in (OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED):
        OutgoingEmail.objects.create(kind="test", to="a@example.test", subject="s", body="b", status=status,
                                     next_attempt_at=now - datetime.timedelta(hours=1))
    OutgoingEmail.objects.create(kind="test", to="a@example.test", subject="s", body="b",
                                 next_attempt_at=now + datetime.timedelta(minutes=30))
    assert notify.email_requeue_waiting(now=now) == 0
    assert mail.outbox == []


def test_the_beat_job_runs_every_few_minutes():
    entry = django_settings.CELERY_BEAT_SCHEDULE["requeue-waiting-emails"]
    assert entry["task"] == "coprod.tasks.requeue_waiting_emails"
    assert entry["schedule"].minute == set(range(0, 60, 3))


# --- Data protection ---


def test_erasing_a_partner_deletes_the_emails_to_or_about_them(world, django_capture_on_commit_callbacks):
    partner, other = world.partner, world.other_partner
    with django_capture_on_commit_callbacks(execute=True):
        _queue(to=[partner.email], partner=partner)
        _queue(to=[partner.email])
        _queue(to=[other.email], partner=other)
    participant_services.partner_erase(partner=partner, by=world.staff, confirm_name=partner.full_name)
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [other.email]


def test_the_partner_page_shows_their_latest_messages_in_a_fixed_number_of_queries(
        partner, staff_client, django_capture_on_commit_callbacks):
    other = PartnerFactory(email="olly@example.test")
    url = reverse("participants:partner_detail", args=[partner.pk])

    def grow():
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(12):
                _queue(partner=partner, subject=f"For Pat {number}")
                _queue(partner=other, to=[other.email], subject=f"For Olly {number}")

    _queue(partner=partner, subject="Waiting for Pat")
    staff_client.get(url)  # the first page of a session also sets it up
    assert_queries_bounded(staff_client, url, grow, most=40)
    page = staff_client.get(url).content.decode()
    assert "For Pat 11" in page and "For Pat 1<" not in page, "the ten latest only"
    assert "For Olly" not in page


def test_their_export_holds_the_emails_about_them(partner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _queue(partner=partner, subject="Your claim has been paid", body="£20 is on its way.")
    section = data_protection.partner_export(partner)["sections"]["E-mails"]
    assert [(row["subject"], row["body"], row["status"]) for row in section] == [
        ("Your claim has been paid", "£20 is on its way.", "Sent")]
