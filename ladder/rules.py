"""Who may do what on the ladder. Services check these before every change, and views
before showing a page that leads to one."""

from coprod.roles import is_staff_member
from coprod.roles import require

from .models import Respondent


def can_run_ladder(user) -> bool:
    """Ladders, areas, rounds and the action plan are run by staff (answers: `can_enter_for`)."""
    return is_staff_member(user)


def require_ladder_staff(by) -> None:
    require(can_run_ladder, by, "Only staff can change the ladder, its rounds and the action plan.")


def can_enter_for(respondent: Respondent, user) -> bool:
    """A respondent answers for themselves; staff may also answer for a partner."""
    if respondent.group == Respondent.Group.STAFF:
        return respondent.user_id is not None and respondent.user_id == user.pk
    if respondent.partner and respondent.partner.user_id == user.pk:
        return True
    return is_staff_member(user)
