"""Sent once under real concurrency: workers delivering the same outbox row at the same
moment (a task delivered twice, or re-queued by the beat job while the first is still
sending) send one e-mail. Needs PostgreSQL (SQLite serialises every write, so it proves
nothing); CI runs it on PostgreSQL and refuses to skip it."""

import os
import time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from coprod import notify
from coprod.models import OutgoingEmail

from ..helpers import in_parallel

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 8


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        reason = "the sent-once race needs PostgreSQL's row locks (set DATABASE_URL to a PostgreSQL database)"
        if os.environ.get("CI"):
            pytest.fail(f"the sent-once test cannot be skipped in CI: {reason}")
        pytest.skip(reason)


class SlowBackend(EmailBackend):
    """A mail server that takes a moment, so the workers overlap while one is sending."""

    def send_messages(self, messages):
        time.sleep(0.3)
        return super().send_messages(messages)


def test_workers_delivering_one_message_at_once_send_it_once(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    email = OutgoingEmail.objects.create(kind="test", to="pat@example.test", subject="Hello", body="Once")
    results = in_parallel(lambda index: notify.email_deliver(email_id=email.pk), WORKERS)
    assert results == [("sent", None)] * WORKERS
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 1)
