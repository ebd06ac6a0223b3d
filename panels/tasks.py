"""Celery tasks of the panels app: each takes ids and calls a service. Each feature
keeps its own block."""

from celery import shared_task

from .reminders import meeting_chasers_send
from .reminders import meeting_reminders_send
from .services import panel_close_expired

# --- Panels, memberships, meetings, papers and attendance ---


@shared_task
def close_expired_panels() -> list[int]:
    """Daily (Celery beat): close time-limited panels whose end date has passed."""
    return [panel.pk for panel in panel_close_expired()]



@shared_task
def send_meeting_reminders() -> dict:
    """Every quarter of an hour (Celery beat): reminders before meetings, and chasers for
    invitations nobody answered. Each goes once per meeting and person however often this runs."""
    return {"reminders": meeting_reminders_send(), "chasers": meeting_chasers_send()}
