"""Celery tasks of the reciprocity app: each takes ids and calls a service."""

from celery import shared_task


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def send_claim_email(claim_id: int, event: str) -> bool:
    """Tell a partner about a step of their claim (if they have an e-mail address and agreed to contact)."""
    from .services import claim_notify

    return claim_notify(claim_id=claim_id, event=event)
