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


# --- Proposals for challenge: "you said, we did" ---


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def send_proposal_notice(proposal_id: int, base_url: str = "") -> int:
    """E-mail a challenge panel's members that a proposal is waiting for their points."""
    from .services import proposal_notify_panel

    return proposal_notify_panel(proposal_id=proposal_id, base_url=base_url)


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def send_you_said_we_did(response_id: int, first_answer: bool = True, base_url: str = "") -> bool:
    """Tell the partner who made a point what the organisation did about it."""
    from .services import feedback_response_notify

    return feedback_response_notify(response_id=response_id, first_answer=first_answer, base_url=base_url)
