"""Who may do what: the three roles, their predicates, and view decorators.

A person can hold several roles (a trustee with lived experience, say). Staff
and trustee are flags on the user; a user is a partner when a partner record is
linked to their login.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


class Role(models.TextChoices):
    STAFF = "staff", "Staff"
    PARTNER = "partner", "Partner"
    TRUSTEE = "trustee", "Trustee"


def is_staff_member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff_member)


def is_trustee(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_trustee)


def partner_for(user):
    """The partner record linked to this login, or None. Cached on the user object."""
    if not (user.is_authenticated and user.is_active):
        return None
    if not hasattr(user, "_coprod_partner"):
        from participants.models import Partner

        user._coprod_partner = Partner.objects.filter(user=user).first()
    return user._coprod_partner


def is_partner(user) -> bool:
    return partner_for(user) is not None


_PREDICATES = {Role.STAFF: is_staff_member, Role.PARTNER: is_partner, Role.TRUSTEE: is_trustee}


def roles_of(user) -> list[Role]:
    """The user's roles in the order their homes are preferred."""
    return [role for role, predicate in _PREDICATES.items() if predicate(user)]


def has_role(user, *roles: Role) -> bool:
    return any(_PREDICATES[role](user) for role in roles)


HOME_URL_NAMES = {
    Role.STAFF: "coprod:staff_home",
    Role.PARTNER: "participants:portal_home",
    Role.TRUSTEE: "coprod:dashboard",
}


def home_url(user) -> str | None:
    roles = roles_of(user)
    return reverse(HOME_URL_NAMES[roles[0]]) if roles else None


def role_required(*roles: Role) -> Callable:
    """View decorator: anonymous visitors go to the login page; a signed-in user
    without one of the roles gets 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = role_required(Role.STAFF)
partner_required = role_required(Role.PARTNER)
staff_or_trustee_required = role_required(Role.STAFF, Role.TRUSTEE)
