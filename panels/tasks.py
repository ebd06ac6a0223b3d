"""Celery tasks of the panels app: each takes ids and calls a service. Each feature
keeps its own block."""

from celery import shared_task

# --- Panels, memberships, meetings, papers and attendance ---


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def send_meeting_notice(meeting_id: int, change: str, base_url: str = "") -> int:
    """E-mail a meeting's register that it was scheduled, changed or cancelled."""
    from .services import meeting_notice_send

    return meeting_notice_send(meeting_id=meeting_id, change=change, base_url=base_url)


@shared_task
def close_expired_panels() -> list[int]:
    """Daily (Celery beat): close time-limited panels whose end date has passed."""
    from .services import panel_close_expired

    return [panel.pk for panel in panel_close_expired()]
