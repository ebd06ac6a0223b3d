"""Who may do what: the three roles, their predicates, and the team's permissions.

A person can hold several roles (a trustee with lived experience, say). Staff
and trustee are flags on the user; a user is a partner when a partner record is
linked to their login.

Plain functions and constants only, so models, querysets and services can import them at
the top of the module; the view decorators built on them are in `coprod.access`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    PARTNER = "partner", _("Partner")
    TRUSTEE = "trustee", _("Trustee")


def is_staff_member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff_member)


def is_trustee(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_trustee)


def partner_for(user):
    """The partner record linked to this login, or None. Cached on the user object."""
    if not (user.is_authenticated and user.is_active):
        return None
    if not hasattr(user, "_coprod_partner"):
        # The partner record's one-to-one link to its login (`Partner.user`, related name
        # "partner"): read through the user model, so the core names no feature app.
        try:
            user._coprod_partner = user.partner
        except ObjectDoesNotExist:
            user._coprod_partner = None
    return user._coprod_partner


def is_partner(user) -> bool:
    return partner_for(user) is not None


_PREDICATES = {Role.STAFF: is_staff_member, Role.PARTNER: is_partner, Role.TRUSTEE: is_trustee}


def require(predicate: Callable[[object], bool], user, message: str) -> None:
    """How a service checks who may call it: PermissionDenied(message) unless `predicate(user)`.
    The view checks the same predicate (or the decorator built on it) before it gets here.
    `user` None is the system acting on its own (a scheduled job, a data import), which may;
    a person using the site is never None (anonymous visitors are `AnonymousUser`)."""
    if user is not None and not predicate(user):
        raise PermissionDenied(message)


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


# --- The team's permissions ------------------------------------------------------------
# The permissions a team manager gives and takes away on the Team page, in plain words.
# Each is checked where it is used (participants.services, reciprocity.services,
# coprod.views) together with `is_staff_member`, so only staff members may hold them.

MANAGE_TEAM = "coprod.manage_team"
# Partners' lived experience, access needs and benefit flag: pages, exports, PDFs and e-mails
# show them only to staff holding this permission (and to the partner themselves).
SENSITIVE_DATA = "participants.view_sensitive_partner_data"


@dataclass(frozen=True)
class TeamPermission:
    name: str  # "app_label.codename", as `user.has_perm` takes it
    label: str
    explanation: str

    @property
    def app_label(self) -> str:
        return self.name.split(".")[0]

    @property
    def codename(self) -> str:
        return self.name.split(".")[1]


TEAM_PERMISSIONS = (
    TeamPermission(
        MANAGE_TEAM, _("Manage the team"),
        _("Use this page: give and take away these permissions, and deactivate or reactivate staff and "
        "trustee logins. Whoever has it can give themselves any of the others."),
    ),
    TeamPermission(
        "coprod.change_organisation", _("Change the organisation settings"),
        _("Change the organisation’s name, logo and targets, and when the governance report is made."),
    ),
    TeamPermission(
        SENSITIVE_DATA, _("See partners’ sensitive details"),
        _("See, search by and change partners’ lived experience, access needs and whether their payments "
        "are checked against benefit rules."),
    ),
    TeamPermission(
        "participants.delete_partner", _("Erase partners’ personal data"),
        _("Erase a partner’s personal data when they ask us to or we no longer need it. It cannot be "
          "undone."),
    ),
    TeamPermission(
        "reciprocity.approve_claim", _("Approve or reject claims"),
        _("Agree or refuse what partners claim for their time and costs (never their own claims), and see "
        "receipts and benefit-rule totals."),
    ),
    TeamPermission(
        "reciprocity.pay_claim", _("Record payments"),
        _("Record that an approved claim has been paid (bank transfer, voucher or cash), and see receipts."),
    ),
)
TEAM_PERMISSION_NAMES = tuple(permission.name for permission in TEAM_PERMISSIONS)


def team_permission(name: str) -> TeamPermission | None:
    return next((permission for permission in TEAM_PERMISSIONS if permission.name == name), None)


def can_manage_team(user) -> bool:
    return is_staff_member(user) and user.has_perm(MANAGE_TEAM)


def can_see_sensitive_data(user) -> bool:
    """May this person see any partner's lived experience, access needs and benefit flag?
    (A partner always sees their own; that is decided where their record is loaded.)"""
    return is_staff_member(user) and user.has_perm(SENSITIVE_DATA)


CHANGE_ORGANISATION = "coprod.change_organisation"
ERASE_PERSONAL_DATA = "participants.delete_partner"


def can_change_organisation(user) -> bool:
    """The organisation settings (name, logo, targets, report schedule, retention rules)."""
    return is_staff_member(user) and user.has_perm(CHANGE_ORGANISATION)


def can_see_retention(user) -> bool:
    """The retention page: staff who may change the organisation settings (the rules are
    set there) or erase partners' personal data (the rules do it for them)."""
    return is_staff_member(user) and (user.has_perm(CHANGE_ORGANISATION)
                                      or user.has_perm(ERASE_PERSONAL_DATA))


def can_see_retention_names(user) -> bool:
    """Whose records the retention rules are about: only staff who may erase personal data."""
    return is_staff_member(user) and user.has_perm(ERASE_PERSONAL_DATA)


@dataclass(frozen=True)
class HeldPermission:
    """One of TEAM_PERMISSIONS and how a person holds it: given to them directly (which
    the Team page changes), through groups (set up in the Django admin), or as a superuser."""

    permission: TeamPermission
    direct: bool
    groups: tuple[str, ...]
    superuser: bool

    @property
    def held(self) -> bool:
        return self.direct or bool(self.groups) or self.superuser


def held_permissions(user) -> list[HeldPermission]:
    """Which of TEAM_PERMISSIONS this person holds, and how. Reads `user_permissions`,
    `groups` and each group's `permissions` through `.all()`, so a list that prefetched
    them (`User.objects.team()`) runs no query here."""

    def name(permission) -> str:
        return f"{permission.content_type.app_label}.{permission.codename}"

    direct = {name(permission) for permission in user.user_permissions.all()}
    through: dict[str, list[str]] = {}
    for group in user.groups.all():
        for permission in group.permissions.all():
            through.setdefault(name(permission), []).append(group.name)
    return [
        HeldPermission(permission, permission.name in direct, tuple(sorted(through.get(permission.name, []))),
                       bool(user.is_superuser))
        for permission in TEAM_PERMISSIONS
    ]


def team_roles(person) -> list[str]:
    """What a login is, in words ("Staff", "Trustee", "Partner"), for the Team pages. Reads
    `is_partner_login`, annotated by `User.objects.team()`."""
    flags = ((person.is_staff_member, gettext("Staff")), (person.is_trustee, gettext("Trustee")),
             (person.is_partner_login, gettext("Partner")))
    return [label for flag, label in flags if flag]
