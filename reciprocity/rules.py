"""Who may do what in the reciprocity app: one home for the predicates the services
enforce and the views use to decide what to show."""

from django.core.exceptions import PermissionDenied

from coprod.roles import can_see_sensitive_data
from coprod.roles import is_staff_member
from coprod.roles import require

from .models import Claim

APPROVE = "reciprocity.approve_claim"
PAY = "reciprocity.pay_claim"


def can_approve(user) -> bool:
    return is_staff_member(user) and user.has_perm(APPROVE)


def can_pay(user) -> bool:
    return is_staff_member(user) and user.has_perm(PAY)


def is_finance(user) -> bool:
    """Finance staff: may approve or pay, so may see receipts and benefit totals."""
    return can_approve(user) or can_pay(user)


def can_see_benefits(user) -> bool:
    """Benefit rules name the partners they apply to: finance staff and staff allowed to
    see sensitive partner data may see who they are and their totals."""
    return is_finance(user) or can_see_sensitive_data(user)


def can_run_reciprocity(user) -> bool:
    """Rates, activity types, funding sources, benefit rules, vouchers, recognition and the
    settings are kept by staff (benefit rules name partners only to `can_see_benefits`)."""
    return is_staff_member(user)


def can_claim_for(user, partner) -> bool:
    """A partner claims for themselves; staff may make a claim for any partner."""
    return is_staff_member(user) or (partner.user_id is not None and partner.user_id == user.pk)


def require_reciprocity_staff(by) -> None:
    require(can_run_reciprocity, by, "Only staff can change how claims, payments and recognition are set up.")


def check_own_or_staff(claim: Claim, by) -> None:
    if not Claim.objects.visible_to(by).filter(pk=claim.pk).exists():
        raise PermissionDenied("Only the partner or staff can change this claim.")


def is_own_claim(claim: Claim, by) -> bool:
    return claim.partner.user_id is not None and claim.partner.user_id == by.pk
