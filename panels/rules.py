"""Who may do what in the panels app: the one place the services and the views ask."""

from django.utils import timezone
from django.utils.translation import gettext

from coprod.roles import is_staff_member
from coprod.roles import require

from .models import Attendance
from .models import Meeting
from .models import Panel
from .models import Proposal

# The register lines whose partner may still say whether they are coming.
ANSWERABLE = (Attendance.Status.INVITED, Attendance.Status.CONFIRMED, Attendance.Status.DECLINED)


def can_run_panels(user) -> bool:
    """Panels, meetings, proposals, decisions and recruitment are run by staff; partners answer
    their invitations and add points as panels.services allows."""
    return is_staff_member(user)


def require_staff(by, message: str = "") -> None:
    require(can_run_panels, by, message or gettext("Only staff can change panels and meetings."))


def can_answer(meeting: Meeting, line: Attendance | None) -> bool:
    """Whether the partner on register `line` may still answer the invitation: the meeting is
    going ahead and has not started, and staff have not recorded what happened."""
    return bool(
        line is not None and meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at > timezone.now()
        and line.status in ANSWERABLE
    )


def may_add_points(*, proposal: Proposal, partner) -> bool:
    """Whether `partner` belongs now to the panel the proposal went to."""
    return Panel.objects.for_partner(partner).filter(pk=proposal.panel_id).exists()
