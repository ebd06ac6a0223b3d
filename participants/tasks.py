"""Celery tasks of the participants app: each takes ids and calls a service."""

from celery import shared_task

# --- Partner records (staff) ---


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def send_status_change_email(status_change_id: int) -> bool:
    """Tell a partner their status changed (if they have an e-mail address and agreed to contact)."""
    from .services import status_change_notify

    return status_change_notify(status_change_id=status_change_id)
