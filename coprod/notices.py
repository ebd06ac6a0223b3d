"""Reminders and notices on each person's channel: e-mail, text message, letter, or a phone
call from staff. E-mails go through the outbox (`coprod.notify`); texts and letters through a
small backend (`coprod.channels`: GOV.UK Notify, or the console); a phone call puts the person
on a call list that staff work through.

- **Who and how** is decided before a notice is made: `Recipient` says the person's channel and
  the address, number or postal address to use. Which channel a *partner* wants, and whether
  they may be contacted at all (consent, erasure), is the participants app's rule
  (`participants.contact`); it registers a finder here (`register_recipient_finder`) for
  notices the core sends to a login, such as "your report is ready".
- **Logged.** Every notice is a `Notice` row on the person's record: channel, what was said,
  and whether it went.
- **Once.** A notice with a `key` (a reminder for one meeting, person and time) is saved only
  once: the key is unique in the database, so two beat runs at once cannot both send it.
- **Never breaks the action.** `notice_send` saves inside its own savepoint and logs, rather
  than raises, anything that goes wrong; a text or letter is sent by a worker after the action
  commits, and a failure is retried with a growing wait, as e-mail is.
"""

import logging
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import channels
from . import notify
from .models import Notice

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """One person and how to reach them. `channel` is a `Notice.Channel` value, or "" when
    they must not be contacted (no consent, erased, no way to reach them): `reason` says why."""

    name: str
    channel: str
    email: str = ""
    phone: str = ""
    address: tuple[str, ...] = field(default=())
    partner: object = None
    user: object = None
    reason: str = ""
    # The language what is sent to them is written in (`coprod.i18n.in_language`).
    language: str = ""

    @property
    def reachable(self) -> bool:
        return bool(self.channel)

    @property
    def to(self) -> str:
        if self.channel == Notice.Channel.EMAIL:
            return self.email
        if self.channel == Notice.Channel.LETTER:
            return "\n".join(self.address)
        return self.phone


def nobody(reason: str, *, partner=None, user=None) -> Recipient:
    return Recipient(name="", channel="", partner=partner, user=user, reason=reason)


# Finders answer a login's Recipient, or None when the login is not theirs to decide.
_finders: list[Callable[[object], Recipient | None]] = []


def register_recipient_finder(finder: Callable[[object], Recipient | None]) -> None:
    """Apps that know more about some logins (a partner's channel) register here, from
    `AppConfig.ready()`."""
    if finder not in _finders:
        _finders.append(finder)


def recipient_for_user(user) -> Recipient:
    """How to reach a login: as a registered finder says, else by e-mail if the login is active."""
    for finder in _finders:
        found = finder(user)
        if found is not None:
            return found
    if user is None or not user.is_active or not user.email:
        return nobody("no active login with an e-mail address", user=user)
    return Recipient(name=user.get_short_name(), channel=Notice.Channel.EMAIL, email=user.email, user=user,
                     language=user.language)


def notice_send(*, recipient: Recipient, kind: str, subject: str, body: str, key: str = "", topic: str = "",
                attachments: Sequence[notify.Attachment] = (), about=None) -> Notice | None:
    """Save one notice to `recipient` on their channel and have it delivered once the current
    transaction commits. Answers the notice, or None when nothing was saved: they must not be
    contacted, a notice with the same `key` exists, or something went wrong (logged, never
    raised, so the action that caused it still succeeds). `body` is plain text; for a letter
    it is the letter, for a text message keep it short. `about`: the partner a notice to staff
    is about, so it is on their record, in their data export, and goes with their erasure."""
    if not recipient.reachable:
        logger.info("notice %s not sent: %s", kind, recipient.reason or "they cannot be contacted")
        return None
    try:
        with transaction.atomic():
            if key and Notice.objects.filter(key=key).exists():
                return None
            return _save(recipient, kind=kind, subject=subject, body=body, key=key, topic=topic,
                         attachments=attachments, about=about)
    except IntegrityError:
        # The same key saved at the same moment by another run: that one goes.
        logger.info("notice %s already saved by another run", key)
        return None
    except Exception:
        logger.exception("notice %s to %s could not be saved; the action went ahead without it", kind,
                         recipient.partner or recipient.user)
        return None


def _save(recipient: Recipient, *, kind, subject, body, key, topic, attachments, about) -> Notice:
    partner = recipient.partner or about
    status = Notice.Status.TO_CALL if recipient.channel == Notice.Channel.PHONE else Notice.Status.QUEUED
    notice = Notice.objects.create(
        kind=kind[:60], key=key or None, topic=topic[:60], channel=recipient.channel,
        partner=partner, user=recipient.user, to=recipient.to[:400],
        subject=notify.clean_header(subject) or "(no subject)", body=body.replace("\x00", ""), status=status,
    )
    if recipient.channel == Notice.Channel.EMAIL:
        notice.email = notify.email_queue(
            kind=kind, to=[(recipient.name, recipient.email)], subject=notice.subject, body=notice.body,
            attachments=attachments, partner=partner, user=recipient.user)
        if notice.email is None:
            notice.status, notice.last_error = Notice.Status.FAILED, "The e-mail address is not valid."
        notice.save(update_fields=["email", "status", "last_error"])
    elif recipient.channel in (Notice.Channel.TEXT, Notice.Channel.LETTER):
        transaction.on_commit(lambda: _hand_to_worker(notice.pk))
    return notice


def _hand_to_worker(notice_id: int) -> None:
    try:
        send_notice.delay(notice_id)
    except notify.BROKER_ERRORS as error:
        logger.warning("notice %s kept: the task queue could not be reached (%s); it is sent later",
                       notice_id, error)
    except Exception:
        # In the web process (no broker) the task runs right here: whatever happens, the action
        # that caused the notice is already saved and its page must still answer.
        logger.exception("notice %s could not be sent; it stays waiting and is tried again later", notice_id)


# --- Sending texts and letters: in a worker -------------------------------------------------


def notice_deliver(*, notice_id: int) -> tuple[str, int | None]:
    """Send one waiting text or letter. Answers its status and, when a failed attempt should
    be tried again, how many seconds to wait first. The row is locked and its status checked
    first, so a task delivered twice sends once."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None:  # erased with the partner's data before it went
            return "gone", None
        if notice.status != Notice.Status.QUEUED or notice.channel not in (Notice.Channel.TEXT,
                                                                            Notice.Channel.LETTER):
            return notice.status, None
        notice.attempts += 1
        backend = channels.get_backend()
        try:
            if notice.channel == Notice.Channel.TEXT:
                reference = backend.send_text(phone=notice.to, body=notice.body,
                                              reference=f"notice-{notice.pk}")
            else:
                reference = backend.send_letter(address=notice.to.splitlines(), subject=notice.subject,
                                                body=notice.body, reference=f"notice-{notice.pk}")
        except channels.PermanentFailure as error:
            return _give_up(notice, error), None
        except channels.TemporaryFailure as error:
            if notice.attempts >= notify.MAX_ATTEMPTS:
                return _give_up(notice, error), None
            wait = notify.wait_before(notice.attempts)
            notice.last_error = notify.clean_header(str(error), limit=notify.ERROR_MAX)
            notice.next_attempt_at = timezone.now() + timedelta(seconds=wait)
            notice.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            logger.warning("notice %s (%s by %s) attempt %s failed, trying again in %ss: %s", notice.pk,
                           notice.kind, notice.channel, notice.attempts, wait, notice.last_error)
            return notice.status, wait
        notice.status, notice.sent_at, notice.last_error = Notice.Status.SENT, timezone.now(), ""
        notice.provider_reference = (reference or "")[:80]
        notice.save(update_fields=["status", "sent_at", "attempts", "last_error", "provider_reference"])
        return notice.status, None


def _give_up(notice: Notice, error: Exception) -> str:
    notice.status = Notice.Status.FAILED
    notice.last_error = notify.clean_header(str(error), limit=notify.ERROR_MAX)
    notice.save(update_fields=["status", "attempts", "last_error"])
    logger.error("notice %s (%s by %s) could not be sent after %s attempt(s): %s", notice.pk, notice.kind,
                 notice.channel, notice.attempts, notice.last_error)
    return notice.status


@shared_task(bind=True)
def send_notice(self, notice_id: int) -> str:
    """Send one saved text or letter (see `notice_deliver`), retrying with a growing wait."""
    while True:
        status, wait = notice_deliver(notice_id=notice_id)
        if wait is None:
            return status
        if not self.request.is_eager:
            raise self.retry(countdown=wait, max_retries=None)
        # In the web process (no broker) nobody comes back later: the attempts are made now.


def notice_requeue_waiting(*, now=None) -> int:
    """Queue again the texts and letters still waiting well after they were due (their task
    was lost). Answers how many were queued."""
    now = now or timezone.now()
    ids = list(Notice.objects.due_again(before=now - notify.LOST_AFTER)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:notify.REQUEUE_BATCH])
    Notice.objects.filter(pk__in=ids).update(next_attempt_at=now)
    for number, notice_id in enumerate(ids):
        try:
            send_notice.delay(notice_id)
        except notify.BROKER_ERRORS as error:
            logger.warning("re-queued %s of %s waiting notices; the task queue could not be reached (%s)",
                           number, len(ids), error)
            return number
    return len(ids)


# --- Staff: the call list -----------------------------------------------------------------


@transaction.atomic
def notice_mark_called(*, notice: Notice, by) -> Notice:
    """Staff rang the person: the call comes off the list, with who rang and when."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.channel != Notice.Channel.PHONE or notice.status != Notice.Status.TO_CALL:
        raise ValidationError(_("This call is not on the list any more."))
    notice.status, notice.sent_at, notice.done_by = Notice.Status.CALLED, timezone.now(), by
    notice.save(update_fields=["status", "sent_at", "done_by"])
    return notice
