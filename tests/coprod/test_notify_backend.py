"""Texts and letters through GOV.UK Notify, run against a fake Notify API on 127.0.0.1: what is
sent (template, personalisation, signed token), an outage retried until it answers, a refusal
that will not change recorded at once, and failures logged on the person's record."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import jwt
import pytest
from kombu.exceptions import OperationalError

from coprod import channels
from coprod import notices
from coprod.models import Notice
from coprod.notices import Recipient

from ..participants.factories import PartnerFactory
from ..participants.factories import StaffFactory

pytestmark = pytest.mark.django_db

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
TEXT_TEMPLATE = str(uuid.uuid4())
LETTER_TEMPLATE = str(uuid.uuid4())


class FakeNotify:
    """A tiny threaded HTTP server answering as the Notify API would: each request is recorded,
    and answered with the next status in `answers` (201 once they run out)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "json": body,
                                      "authorization": self.headers.get("Authorization", "")})
                status = fake.answers.pop(0) if fake.answers else 201
                if status == 201:
                    answer = {"id": str(uuid.uuid4()), "reference": body.get("reference")}
                else:
                    answer = {"status_code": status,
                              "errors": [{"error": "Error", "message": f"fake {status}"}]}
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_notify(settings):
    fake = FakeNotify()
    settings.NOTIFY_BACKEND = "notify"
    settings.NOTIFY_API_KEY = f"coprod_test-{SERVICE_ID}-{SECRET}"
    settings.NOTIFY_BASE_URL = fake.url
    settings.NOTIFY_TEXT_TEMPLATE_ID = TEXT_TEMPLATE
    settings.NOTIFY_LETTER_TEMPLATE_ID = LETTER_TEMPLATE
    settings.NOTIFY_TIMEOUT = 5
    yield fake
    fake.stop()


def _text_to(partner) -> Recipient:
    return Recipient(name="Tom", channel="text", phone="07700 900111", partner=partner)


def _send(recipient, capture, **fields) -> Notice:
    with capture(execute=True):
        notice = notices.notice_send(recipient=recipient, kind="meeting_reminder", subject="Reminder",
                                     body="Housing panel on Friday at 10:00.", **fields)
    notice.refresh_from_db()
    return notice


def test_a_text_goes_to_notify_with_the_template_and_a_signed_token(fake_notify,
                                                                    django_capture_on_commit_callbacks):
    notice = _send(_text_to(PartnerFactory()), django_capture_on_commit_callbacks)
    assert notice.status == "sent" and notice.attempts == 1 and notice.provider_reference
    [request] = fake_notify.requests
    assert request["path"] == "/v2/notifications/sms"
    assert request["json"]["phone_number"] == "07700 900111"
    assert request["json"]["template_id"] == TEXT_TEMPLATE
    assert request["json"]["personalisation"] == {"body": "Housing panel on Friday at 10:00."}
    assert request["json"]["reference"] == f"notice-{notice.pk}"
    token = request["authorization"].removeprefix("Bearer ")
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["iss"] == SERVICE_ID


def test_a_letter_goes_with_its_address_lines(fake_notify, django_capture_on_commit_callbacks):
    recipient = Recipient(name="Lou", channel="letter", address=("Lou Letter", "1 High Street", "AB1 2CD"),
                          partner=PartnerFactory())
    notice = _send(recipient, django_capture_on_commit_callbacks)
    assert notice.status == "sent"
    [request] = fake_notify.requests
    assert request["path"] == "/v2/notifications/letter"
    assert request["json"]["template_id"] == LETTER_TEMPLATE
    assert request["json"]["personalisation"] == {
        "address_line_1": "Lou Letter", "address_line_2": "1 High Street", "address_line_3": "AB1 2CD",
        "subject": "Reminder", "body": "Housing panel on Friday at 10:00."}


def test_a_notify_outage_is_retried_until_it_answers_and_logged(
        fake_notify, django_capture_on_commit_callbacks, caplog):
    fake_notify.answers = [500, 503]
    notice = _send(_text_to(PartnerFactory()), django_capture_on_commit_callbacks)
    assert notice.status == "sent" and notice.attempts == 3
    assert len(fake_notify.requests) == 3
    assert caplog.text.count("trying again") == 2


def test_a_notify_outage_that_lasts_marks_the_notice_failed_on_the_record(
        fake_notify, django_capture_on_commit_callbacks, caplog, client, settings):
    fake_notify.answers = [503] * 20
    partner = PartnerFactory(full_name="Tom Text")
    notice = _send(_text_to(partner), django_capture_on_commit_callbacks)
    assert notice.status == "failed" and notice.attempts == 8
    assert "GOV.UK Notify answered 503" in notice.last_error
    assert "could not be sent after 8 attempt(s)" in caplog.text
    client.force_login(StaffFactory())
    page = client.get(f"/staff/partners/{partner.pk}/").content.decode()
    assert "Reminders and notices" in page and "Could not be sent" in page and "answered 503" in page


def test_a_refusal_is_not_retried(fake_notify, django_capture_on_commit_callbacks):
    fake_notify.answers = [400]
    notice = _send(_text_to(PartnerFactory()), django_capture_on_commit_callbacks)
    assert notice.status == "failed" and notice.attempts == 1
    assert len(fake_notify.requests) == 1


def test_notify_unreachable_counts_as_an_outage(settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_BACKEND, settings.NOTIFY_API_KEY = "notify", f"coprod_test-{SERVICE_ID}-{SECRET}"
    settings.NOTIFY_BASE_URL, settings.NOTIFY_TIMEOUT = "http://127.0.0.1:9", 2
    backend = channels.get_backend()
    with pytest.raises(channels.TemporaryFailure):
        backend.send_text(phone="07700 900111", body="Hello", reference="x")


def test_a_letter_without_a_postcode_line_is_refused_before_sending(fake_notify):
    with pytest.raises(channels.PermanentFailure):
        channels.get_backend().send_letter(address=["Lou"], subject="S", body="B", reference="x")
    assert not fake_notify.requests


def test_a_text_kept_while_the_broker_was_down_is_sent_by_the_beat_job(
        monkeypatch, django_capture_on_commit_callbacks, capsys):
    def down(*args, **kwargs):
        raise OperationalError("broker down")

    with monkeypatch.context() as patched:
        patched.setattr(notices.send_notice, "delay", down)
        with django_capture_on_commit_callbacks(execute=True):
            notice = notices.notice_send(recipient=_text_to(PartnerFactory()), kind="k", subject="S",
                                         body="B")
    notice.refresh_from_db()
    assert notice.status == "queued"
    Notice.objects.filter(pk=notice.pk).update(next_attempt_at=notice.next_attempt_at.replace(year=2000))
    assert notices.notice_requeue_waiting() == 1
    notice.refresh_from_db()
    assert notice.status == "sent"
    assert "text message to 07700 900111" in capsys.readouterr().out
