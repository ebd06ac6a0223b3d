"""Every e-mail the app sends goes through this module; nothing else calls Django's mail
functions (a test scans the source for that).

- **Headers from user text are safe.** Subjects, reply-to addresses and display names
  are built by `clean_header` / `clean_address`: newlines and other control characters
  go, length is bounded, and an unusable address is dropped (and logged), so building
  a message never raises `BadHeaderError` and a crafted title cannot add a header.
- **Nothing is lost.** `email_queue` saves the message as an `OutgoingEmail` row inside
  the transaction of the action that causes it, and queues `send_email` once that
  transaction commits. If the broker is down the action still succeeds: the row stays
  queued, the person is told the e-mail will follow, and the beat job
  (`coprod.tasks.requeue_waiting_emails`) queues it again when the broker is back.
- **Sent once.** `email_deliver` locks the row and re-checks its status before sending,
  so a task delivered twice (or re-queued by the beat job) sends nothing the second time.
- **Failures are retried.** An SMTP or connection error is retried with a growing wait,
  `MAX_ATTEMPTS` times in all; then the row is marked failed and the failure logged.
  Failed messages show in the Django admin (with "Send again") and on the partner's page.

With the embedded default (no `REDIS_URL`) the task runs in the web process straight
after the action commits, so mail is printed to the console at once, as before.
"""

import base64
import logging
import smtplib
import unicodedata
from collections.abc import Iterable
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import Address

from celery import shared_task
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import BadHeaderError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from kombu.exceptions import OperationalError

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

SUBJECT_MAX = 180
NAME_MAX = 80
ERROR_MAX = 1000
# Eight attempts over about two hours: 1, 2, 4, 8, 16, 32 and 60 minutes apart.
MAX_ATTEMPTS = 8
FIRST_WAIT = 60
LONGEST_WAIT = 60 * 60
# The beat job re-queues a message still waiting this long after it was due.
LOST_AFTER = timedelta(minutes=2)
REQUEUE_BATCH = 500
# Kept in the outbox in the default language (staff read it in the admin); a constant tests compare.
SECRET_REMOVED = "(Removed once sent: it held a sign-in code or a personal link.)"
# Marked here, translated where it is shown.
DELAYED_MESSAGE = gettext_noop("Done. We could not send the e-mail about this just now. We have kept it, "
                               "and it will be sent automatically in a few minutes.")

# Publishing a task fails with one of these when the broker cannot be reached.
BROKER_ERRORS = (OperationalError, ConnectionError)
# Sending fails with one of these when the mail server is down, refuses or times out.
SMTP_ERRORS = (smtplib.SMTPException, OSError)

# Unicode's directional overrides and isolates can make a subject read backwards.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def clean_header(value: object, *, limit: int = SUBJECT_MAX) -> str:
    """`value` as one line fit for an e-mail header: line breaks and other white space
    become single spaces, other control characters (and direction overrides) are
    removed, and the result is at most `limit` characters (cut with "…")."""
    characters = []
    for character in str(value):
        if character.isspace():
            characters.append(" ")
        elif unicodedata.category(character) in {"Cc", "Cs"} or character in _BIDI_CONTROLS:
            continue
        else:
            characters.append(character)
    text = " ".join("".join(characters).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def clean_address(address: str, *, name: str = "") -> str | None:
    """One address fit for To or Reply-To (with `name` as its display name, cleaned), or
    None when it is not a valid address (anything with a line break is not)."""
    address = (address or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        return None
    name = clean_header(name, limit=NAME_MAX)
    # Quoted as needed; Django encodes a non-ASCII name when it sends.
    return str(Address(display_name=name, addr_spec=address)) if name else address


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str | bytes
    mimetype: str = "application/octet-stream"

    def as_json(self) -> dict:
        """A JSON-safe form for the outbox row: text stays text, bytes become base64."""
        filename = clean_header(self.filename, limit=100) or "attachment"
        if isinstance(self.content, bytes):
            return {"filename": filename, "mimetype": self.mimetype, "encoding": "base64",
                    "content": base64.b64encode(self.content).decode("ascii")}
        return {"filename": filename, "mimetype": self.mimetype, "encoding": "text", "content": self.content}


def _attachment_from_json(data: dict) -> tuple[str, str | bytes, str]:
    content = data["content"]
    if data.get("encoding") == "base64":
        content = base64.b64decode(content)
    return data["filename"], content, data["mimetype"]


# --- Queueing: in the transaction of the action --------------------------------------------

# Set for each web request by `MailQueueMiddleware`: the ids of messages whose task
# could not be queued, so the person can be told the e-mail will follow.
_delayed: ContextVar[list[int] | None] = ContextVar("coprod_mail_delayed", default=None)


@transaction.atomic
def email_queue(*, kind: str, to: Iterable[str | tuple[str, str]], subject: str, body: str,
                html_body: str = "", attachments: Sequence[Attachment] = (), reply_to: str = "",
                partner=None, user=None, secret: bool = False) -> OutgoingEmail | None:
    """Save one e-mail and send it once the current transaction commits.

    `to` is usually one address; several only for a notice a group shares. Each is an
    address or a (display name, address) pair. `kind` names the notice (e.g.
    "meeting_scheduled"); `partner` and `user` are who it is to or about. `secret`
    messages (sign-in codes, personal links) lose their body once sent. Answers the
    saved row, or None, saving nothing, when no address is usable."""
    addresses, seen = [], set()
    for value in to:
        name, address = value if isinstance(value, tuple) else ("", value)
        formatted = clean_address(address, name=name)
        if formatted is None:
            logger.warning("e-mail %s: left out an address that is not valid", kind)
        elif address.strip().casefold() not in seen:
            seen.add(address.strip().casefold())
            addresses.append(formatted)
    if not addresses:
        logger.info("e-mail %s not saved: no valid address", kind)
        return None
    email = OutgoingEmail.objects.create(
        kind=kind[:60], to="\n".join(addresses), reply_to=(clean_address(reply_to) or "") if reply_to else "",
        subject=clean_header(subject) or "(no subject)", body=body.replace("\x00", ""),
        html_body=html_body.replace("\x00", ""), attachments=[item.as_json() for item in attachments],
        secret=secret, partner=partner, user=user,
    )
    transaction.on_commit(lambda: _hand_to_worker(email.pk))
    return email


def _hand_to_worker(email_id: int) -> None:
    try:
        send_email.delay(email_id)
    except BROKER_ERRORS as error:
        # The row is committed and stays queued; the beat job sends it when the broker is back.
        logger.warning("e-mail %s kept in the outbox: the task queue could not be reached (%s)",
                       email_id, error)
        delayed = _delayed.get()
        if delayed is not None:
            delayed.append(email_id)


class MailQueueMiddleware:
    """Tells the person, on the next page they see, when an e-mail their action caused
    could not be queued yet (the broker was down): it is kept and will follow."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _delayed.set([])
        try:
            response = self.get_response(request)
            if _delayed.get():
                messages.warning(request, _(DELAYED_MESSAGE))
        finally:
            _delayed.reset(token)
        return response


# --- Sending: in a worker -------------------------------------------------------------------


def _wait_before(attempt: int) -> int:
    """Seconds to wait after failed attempt number `attempt` (1, 2, ...)."""
    return min(FIRST_WAIT * 2 ** (attempt - 1), LONGEST_WAIT)


# Texts and letters (coprod.notices) are retried on the same timetable.
wait_before = _wait_before


def _is_permanent(error: Exception) -> bool:
    """A refusal the mail server will repeat however often we try (a 5xx reply)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, __ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body, to=email.recipients,
        reply_to=[email.reply_to] if email.reply_to else None,
        attachments=[_attachment_from_json(item) for item in email.attachments],
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    return message


def email_deliver(*, email_id: int) -> tuple[str, int | None]:
    """Send one queued e-mail. Answers its status afterwards and, when a failed attempt
    should be tried again, how many seconds to wait first (otherwise None).

    The row is locked while sending and its status checked first, so two workers (or a
    task delivered twice) cannot both send it. Only if the worker dies between the mail
    server accepting the message and the commit can it go twice."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:  # erased with the partner's data before it was sent
            return "gone", None
        if email.status != OutgoingEmail.Status.QUEUED:
            return email.status, None
        email.attempts += 1
        try:
            _message(email).send()
        except (BadHeaderError, ValueError, UnicodeError) as error:
            # Cannot happen for a row saved by email_queue; never worth retrying.
            return _give_up(email, error), None
        except SMTP_ERRORS as error:
            if _is_permanent(error) or email.attempts >= MAX_ATTEMPTS:
                return _give_up(email, error), None
            wait = _wait_before(email.attempts)
            email.last_error = _describe(error)
            email.next_attempt_at = timezone.now() + timedelta(seconds=wait)
            email.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            logger.warning("e-mail %s (%s) attempt %s failed, trying again in %ss: %s",
                           email.pk, email.kind, email.attempts, wait, email.last_error)
            return email.status, wait
        email.status, email.sent_at, email.last_error = OutgoingEmail.Status.SENT, timezone.now(), ""
        fields = ["status", "sent_at", "attempts", "last_error"]
        if email.secret:
            email.body, email.html_body = SECRET_REMOVED, ""
            fields += ["body", "html_body"]
        email.save(update_fields=fields)
        return email.status, None


def _describe(error: Exception) -> str:
    return clean_header(f"{type(error).__name__}: {error}", limit=ERROR_MAX)


def _give_up(email: OutgoingEmail, error: Exception) -> str:
    email.status, email.last_error = OutgoingEmail.Status.FAILED, _describe(error)
    fields = ["status", "attempts", "last_error"]
    if email.secret:
        email.body, email.html_body = SECRET_REMOVED, ""
        fields += ["body", "html_body"]
    email.save(update_fields=fields)
    logger.error("e-mail %s (%s) to %s could not be sent after %s attempt(s): %s",
                 email.pk, email.kind, email.to, email.attempts, email.last_error)
    return email.status


@shared_task(bind=True)
def send_email(self, email_id: int) -> str:
    """Send one saved e-mail (see `email_deliver`), retrying with a growing wait."""
    while True:
        status, wait = email_deliver(email_id=email_id)
        if wait is None:
            return status
        if not self.request.is_eager:
            raise self.retry(countdown=wait, max_retries=None)
        # Running in the web process (no broker): no worker will come back to it
        # later, so the attempts are made now, up to the bound.


# --- Staff and the beat job -----------------------------------------------------------------


def email_requeue_waiting(*, now=None) -> int:
    """Queue again the messages still waiting well after they were due (their task was
    lost: the broker was down, or a worker stopped). Answers how many were queued."""
    now = now or timezone.now()
    ids = list(OutgoingEmail.objects.due_again(before=now - LOST_AFTER)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:REQUEUE_BATCH])
    # Not due again for a while, so the next run does not queue them twice.
    OutgoingEmail.objects.filter(pk__in=ids).update(next_attempt_at=now)
    for number, email_id in enumerate(ids):
        try:
            send_email.delay(email_id)
        except BROKER_ERRORS as error:
            logger.warning("re-queued %s of %s waiting e-mails; the task queue could not be reached (%s)",
                           number, len(ids), error)
            return number
    if ids:
        logger.info("re-queued %s waiting e-mails", len(ids))
    return len(ids)


@transaction.atomic
def email_send_again(*, email: OutgoingEmail, by) -> OutgoingEmail:
    """Try a failed e-mail again from the start (staff, from the admin)."""
    email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
    if email.status != OutgoingEmail.Status.FAILED:
        raise ValidationError(_("Only an e-mail that could not be sent can be sent again."))
    if email.secret:
        raise ValidationError(_("This e-mail held a sign-in code or a personal link, which was removed: "
                                "ask the person to request a new one, or send the invitation again."))
    email.status, email.attempts, email.next_attempt_at = OutgoingEmail.Status.QUEUED, 0, timezone.now()
    email.save(update_fields=["status", "attempts", "next_attempt_at"])
    logger.info("e-mail %s (%s) queued again by %s", email.pk, email.kind, by)
    transaction.on_commit(lambda: _hand_to_worker(email.pk))
    return email
