"""How texts and letters leave coprod: a small backend interface with two backends.

- `ConsoleBackend` (the embedded default) writes each text or letter to the console, as
  Django's console e-mail backend does, so a trial installation shows what would be sent.
- `NotifyBackend` sends through GOV.UK Notify with the official client, using two templates
  made in Notify: a text message template whose content is `((body))`, and a letter
  template whose heading is `((subject))` and whose content is `((body))`
  (`NOTIFY_TEXT_TEMPLATE_ID`, `NOTIFY_LETTER_TEMPLATE_ID`, `NOTIFY_API_KEY`).

A backend raises `TemporaryFailure` for what may work later (Notify down, too many requests,
no connection) and `PermanentFailure` for what never will (a bad number, a letter address
without a postcode, a refused key). `coprod.notices` retries the first and logs both.
"""

import sys
import threading
from typing import Protocol

from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

# Notify takes up to seven address lines, the last a UK postcode (or a country).
LETTER_ADDRESS_LINES = 7


class TemporaryFailure(Exception):
    """Sending failed in a way that may work if tried again later."""


class PermanentFailure(Exception):
    """Sending failed in a way that trying again will not change."""


class Backend(Protocol):
    def send_text(self, *, phone: str, body: str, reference: str) -> str:
        """Send a text message; answers the provider's reference for it."""

    def send_letter(self, *, address: list[str], subject: str, body: str, reference: str) -> str:
        """Post a letter; `address` is its lines, the name first. Answers the provider's reference."""


class ConsoleBackend:
    """Writes each text and letter to standard output instead of sending it."""

    _lock = threading.Lock()

    def _write(self, text: str) -> None:
        stream = sys.stdout  # looked up each time, so a redirected stdout (tests, runserver) is used
        with self._lock:
            stream.write(text)
            stream.flush()

    def send_text(self, *, phone: str, body: str, reference: str) -> str:
        self._write(f"--- text message to {phone} ({reference}) ---\n{body}\n{'-' * 40}\n")
        return f"console-{reference}"

    def send_letter(self, *, address: list[str], subject: str, body: str, reference: str) -> str:
        lines = "\n".join(address)
        self._write(f"--- letter ({reference}) ---\n{lines}\n\n{subject}\n\n{body}\n{'-' * 40}\n")
        return f"console-{reference}"


class NotifyBackend:
    """Sends through GOV.UK Notify (notifications-python-client)."""

    def __init__(self, *, api_key: str, base_url: str, text_template: str, letter_template: str,
                 timeout: int = 30):
        self.client = NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)
        self.text_template, self.letter_template = text_template, letter_template

    def _post(self, send, **arguments) -> str:
        try:
            answer = send(**arguments)
        except APIError as error:
            message = f"GOV.UK Notify answered {error.status_code}: {error.message}"
            if error.status_code >= 500 or error.status_code == 429:
                raise TemporaryFailure(message) from error
            raise PermanentFailure(message) from error
        return str((answer or {}).get("id", ""))

    def send_text(self, *, phone: str, body: str, reference: str) -> str:
        return self._post(self.client.send_sms_notification, phone_number=phone,
                          template_id=self.text_template, personalisation={"body": body}, reference=reference)

    def send_letter(self, *, address: list[str], subject: str, body: str, reference: str) -> str:
        lines = [line.strip() for line in address if line.strip()]
        if len(lines) < 3:
            raise PermanentFailure("A letter needs the name and at least two address lines, "
                                   "the last the postcode.")
        if len(lines) > LETTER_ADDRESS_LINES:
            # Notify allows seven lines: keep the name, the postcode and what fits between.
            lines = lines[:LETTER_ADDRESS_LINES - 1] + lines[-1:]
        personalisation = {f"address_line_{number}": line for number, line in enumerate(lines, start=1)}
        personalisation.update(subject=subject, body=body)
        return self._post(self.client.send_letter_notification, template_id=self.letter_template,
                          personalisation=personalisation, reference=reference)


def get_backend() -> Backend:
    """The backend the settings choose (NOTIFY_BACKEND)."""
    if settings.NOTIFY_BACKEND == "notify":
        return NotifyBackend(api_key=settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL,
                             text_template=settings.NOTIFY_TEXT_TEMPLATE_ID,
                             letter_template=settings.NOTIFY_LETTER_TEMPLATE_ID,
                             timeout=settings.NOTIFY_TIMEOUT)
    return ConsoleBackend()
