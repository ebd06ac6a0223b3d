"""Celery tasks of the panels app: each takes ids and calls a service. Each feature
keeps its own block."""

from celery import shared_task

from .services import panel_close_expired

# --- Panels, memberships, meetings, papers and attendance ---


@shared_task
def close_expired_panels() -> list[int]:
    """Daily (Celery beat): close time-limited panels whose end date has passed."""
    return [panel.pk for panel in panel_close_expired()]

