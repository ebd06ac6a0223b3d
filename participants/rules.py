"""Who may do what with partners' records: the one home of these predicates, checked by the
services (`coprod.roles.require`) and by the views and templates that offer the action."""

from django.utils.translation import gettext as _

from coprod.roles import SENSITIVE_DATA
from coprod.roles import can_see_sensitive_data
from coprod.roles import is_staff_member
from coprod.roles import require

SENSITIVE_PERMISSION = SENSITIVE_DATA
ERASE_PERMISSION = "participants.delete_partner"


def can_see_sensitive(user) -> bool:
    """May this person see and change lived experience, access needs and the benefit flag?"""
    return can_see_sensitive_data(user)


def can_run_participants(user) -> bool:
    """Partners' records and status, invitations, consent wording, courses and training, and
    the vocabularies (access needs, lived-experience areas) are kept by staff."""
    return is_staff_member(user)


def is_own_record(user, partner) -> bool:
    """Is this the partner's own login?"""
    return partner.user_id is not None and partner.user_id == user.pk


def can_act_for(user, partner) -> bool:
    """The partner themselves, or staff on their behalf (giving or withdrawing consent)."""
    return is_staff_member(user) or is_own_record(user, partner)


def can_erase(user) -> bool:
    """May this person erase a partner's personal data?"""
    return is_staff_member(user) and user.has_perm(ERASE_PERMISSION)


def require_staff(by) -> None:
    require(can_run_participants, by, _("Only staff can do this."))
