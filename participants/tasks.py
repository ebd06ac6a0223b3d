"""Celery tasks of the participants app: each takes ids and calls a service."""

import logging

from celery import shared_task

from coprod.notify import BROKER_ERRORS

from . import imports

logger = logging.getLogger(__name__)

# --- Spreadsheet imports ---


@shared_task(acks_late=True)
def import_run(batch_id: int) -> int:
    """Import a confirmed spreadsheet (one transaction; a second delivery does nothing)."""
    return imports.import_run(batch_id=batch_id).pk


@shared_task(acks_late=True)
def import_invite_send(batch_id: int, ids: list[int], by_id: int, base_url: str) -> list[int]:
    return list(imports.import_invite_send(batch_id=batch_id, ids=ids, by_id=by_id, base_url=base_url))


def queue(task, *args) -> bool:
    """Hand a task to the workers; False (and a warning in the log) when the queue cannot be
    reached, so the page can say so instead of failing."""
    try:
        task.delay(*args)
    except BROKER_ERRORS as error:
        logger.warning("%s could not be queued: %s", task.name, error)
        return False
    return True
