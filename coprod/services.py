"""Writes for the core app. Each function validates before saving and records who did it."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import bounds
from .changes import model_create
from .changes import model_delete
from .changes import model_save
from .changes import model_update
from .models import Organisation
from .models import Resource
from .models import Service
from .models import TeamChange
from .roles import MANAGE_TEAM
from .roles import TEAM_PERMISSION_NAMES
from .roles import can_change_organisation
from .roles import is_staff_member
from .roles import require
from .uploads import DOCUMENTS
from .uploads import MB
from .uploads import safe_name
from .uploads import validate_upload

# --- Services and teams ---


def _clean_service(*, service: Service | None, name: str, description: str, champion, by) -> dict:
    require(is_staff_member, by, _("Only staff can change the organisation’s services."))
    name = (name or "").strip()
    errors = {}
    limit = Service._meta.get_field("name").max_length
    if not name:
        errors["name"] = _("Enter the name of the service or team.")
    elif len(name) > limit:
        errors["name"] = _("Keep the name to %(limit)s characters or fewer.") % {"limit": limit}
    else:
        clash = Service.objects.filter(name__iexact=name)
        if service is not None:
            clash = clash.exclude(pk=service.pk)
        if clash.exists():
            errors["name"] = _("There is already a service called “%(name)s”.") % {"name": name}
    if champion is not None and not is_staff_member(champion):
        errors["champion"] = _("The co-production champion must be a member of staff.")
    if errors:
        raise ValidationError(errors)
    return {"name": name, "description": (description or "").strip(), "champion": champion}


@transaction.atomic
def service_create(*, name: str, description: str = "", champion=None, by) -> Service:
    """Add a service or team of the organisation, with its co-production champion."""
    fields = _clean_service(service=None, name=name, description=description, champion=champion, by=by)
    return model_create(Service, by=by, **fields)


@transaction.atomic
def service_update(*, service: Service, name: str, description: str = "", champion=None, by) -> Service:
    fields = _clean_service(service=service, name=name, description=description, champion=champion, by=by)
    service = Service.objects.select_for_update().get(pk=service.pk)
    model_update(instance=service, data=fields, by=by)
    return service


# --- Organisation settings ---

ORGANISATION_SETTINGS_FIELDS = [
    "name", "description", "logo", "address", "signatory_name", "signatory_role",
    "recruitment_involvement_target", "attendance_target",
    "feedback_on_time_target", "days_to_pay_target", "quarterly_report", "quarterly_report_day",
    "retention_enabled", "receipt_retention_years", "partner_retention_years",
]


@transaction.atomic
def organisation_update(*, organisation: Organisation, data: dict, by) -> Organisation:
    """Change the organisation's name, logo, KPI targets, report schedule or retention rules.

    `data` is a form's cleaned data: the logo is False when cleared, an upload when
    replaced (already checked by the form), and anything else when unchanged."""
    if not can_change_organisation(by):
        raise PermissionDenied(_("You do not have permission to change the organisation settings."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = []
    for field, value in data.items():
        if field not in ORGANISATION_SETTINGS_FIELDS:
            raise ValueError(f"{field} is not an organisation setting")
        if field == "logo":
            if value is False:
                value = ""
            elif hasattr(value, "content_type"):
                value.name = safe_name(value.name)
            else:
                continue
        setattr(organisation, field, value)
        changed.append(field)
    organisation.full_clean()
    return model_save(organisation, by=by, update_fields=changed)


# --- Resource library ---


RESOURCE_TEXT = ("title", "description", "description_cy")


def _clean_resource_text(text: dict) -> dict:
    """The title and description, trimmed and refused when they hold control characters."""
    errors = {}
    cleaned = {name: bounds.check_text(name, value, errors=errors) for name, value in text.items()}
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def resource_add(*, title: str, kind: str, file, by, description: str = "", description_cy: str = "", tags=(),
                 service=None, for_partners: bool = False) -> Resource:
    require(is_staff_member, by, _("Only staff can change the library."))
    text = _clean_resource_text({"title": title, "description": description,
                                 "description_cy": description_cy})
    validate_upload(file, allowed=DOCUMENTS, max_bytes=20 * MB)
    file.name = safe_name(file.name)
    resource = Resource(title=text["title"], kind=kind, file=file, description=text["description"],
                        description_cy=text["description_cy"],
                        service=service, for_partners=for_partners, uploaded_by=by)
    resource.full_clean()
    model_save(resource, by=by)
    resource.tags.set(tags)
    return resource


@transaction.atomic
def resource_update(*, resource: Resource, by, file=None, tags=None, **fields) -> Resource:
    require(is_staff_member, by, _("Only staff can change the library."))
    fields.update(_clean_resource_text({name: fields[name] for name in RESOURCE_TEXT if name in fields}))
    for name, value in fields.items():
        setattr(resource, name, value.strip() if isinstance(value, str) else value)
    if file is not None:
        validate_upload(file, allowed=DOCUMENTS, max_bytes=20 * MB)
        file.name = safe_name(file.name)
        resource.file = file
    resource.full_clean()
    model_save(resource, by=by)
    if tags is not None:
        resource.tags.set(tags)
    return resource


@transaction.atomic
def resource_delete(*, resource: Resource, by) -> None:
    require(is_staff_member, by, _("Only staff can change the library."))
    resource.file.delete(save=False)
    model_delete(resource, by=by)


# --- The team: staff permissions and logins ---
# Every change takes the organisation row's lock first, so two team managers acting at
# the same moment (each taking the permission away from the other, say) are checked one
# after the other and cannot together leave nobody able to manage the team.


def _lock_team(by) -> None:
    Organisation.objects.select_for_update().get(pk=Organisation.current().pk)
    # Checked again under the lock, from the database: `by` may have lost the permission
    # or been deactivated since their page was loaded.
    User = get_user_model()
    if not (User.objects.team_managers().filter(pk=by.pk).exists()
            or User.objects.filter(pk=by.pk, is_active=True, is_superuser=True).exists()):
        raise PermissionDenied(_("Only staff who can manage the team may change logins and permissions."))


def _check_managers_remain(*, losing) -> None:
    """Refuse when `losing` is the last active staff member able to manage the team."""
    managers = get_user_model().objects.team_managers()
    if managers.filter(pk=losing.pk).exists() and not managers.exclude(pk=losing.pk).exists():
        raise ValidationError(
            _("%(person)s is the only active staff member who can manage the team. Give someone else "
              "“Manage the team” first, so the organisation is never left without a team manager.")
            % {"person": losing}
        )


def _team_login(user):
    """The user, read again under the lock; only staff and trustee logins are managed here."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not (user.is_staff_member or user.is_trustee):
        raise ValidationError(_("%(person)s has no staff or trustee login, so it is not managed on the Team "
                                "page.")
                              % {"person": user})
    return user


def _permission_objects(names: Iterable[str]) -> list[Permission]:
    wanted = {tuple(name.split(".")) for name in names}
    return [permission for permission in Permission.objects.select_related("content_type")
            .filter(codename__in={codename for __, codename in wanted})
            if (permission.content_type.app_label, permission.codename) in wanted]


@transaction.atomic
def staff_permissions_set(*, user, permissions: Iterable[str], by) -> list[TeamChange]:
    """Give a staff member exactly `permissions` (names from coprod.roles.TEAM_PERMISSIONS,
    "app_label.codename") and take away the others of that list given to them directly.
    Permissions held through a group are the Django admin's and are left alone. Records
    one TeamChange per permission given or taken away; answers them (none if nothing changed)."""
    wanted = set(permissions)
    unknown = sorted(wanted - set(TEAM_PERMISSION_NAMES))
    if unknown:
        raise ValidationError(
            _("“%(permission)s” is not a permission that can be given here. Choose from the list on the "
              "page.")
            % {"permission": unknown[0]})
    _lock_team(by)
    user = _team_login(user)
    if wanted and not user.is_staff_member:
        raise ValidationError(
            _("Permissions are only for staff members, and %(person)s is not a member of staff. "
              "Nothing was changed.") % {"person": user})
    held = {f"{permission.content_type.app_label}.{permission.codename}"
            for permission in user.user_permissions.select_related("content_type")}
    current = held & set(TEAM_PERMISSION_NAMES)
    added, removed = wanted - current, current - wanted
    if MANAGE_TEAM in removed:
        if user.pk == by.pk:
            raise ValidationError(
                _("You cannot take away your own permission to manage the team. Ask another team manager "
                  "if it really should go. Nothing was changed."))
        if not _keeps_manage_team(user):
            _check_managers_remain(losing=user)
    if added:
        user.user_permissions.add(*_permission_objects(added))
    if removed:
        user.user_permissions.remove(*_permission_objects(removed))
    now = timezone.now()
    order = list(TEAM_PERMISSION_NAMES)
    changes = [
        TeamChange(user=user, by=by, at=now, kind=kind, permission=name)
        for kind, names in ((TeamChange.Kind.GRANTED, added), (TeamChange.Kind.REVOKED, removed))
        for name in sorted(names, key=order.index)
    ]
    return TeamChange.objects.bulk_create(changes)


def _keeps_manage_team(user) -> bool:
    """Would `user` still manage the team without their own direct grant (through a group,
    or as a superuser)?"""
    if user.is_superuser:
        return True
    app_label, codename = MANAGE_TEAM.split(".")
    return user.groups.filter(permissions__content_type__app_label=app_label,
                              permissions__codename=codename).exists()


@transaction.atomic
def login_deactivate(*, user, by) -> TeamChange:
    """Close a staff or trustee login: they can no longer sign in, and any session they
    have ends at their next request. Their records and permissions stay as they were."""
    _lock_team(by)
    user = _team_login(user)
    if not user.is_active:
        raise ValidationError(_("%(person)s’s login is already deactivated.") % {"person": user})
    if user.pk == by.pk:
        raise ValidationError(
            _("You cannot deactivate your own login. Ask another team manager if it really should be "
              "closed."))
    _check_managers_remain(losing=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return TeamChange.objects.create(user=user, by=by, kind=TeamChange.Kind.DEACTIVATED)


@transaction.atomic
def login_reactivate(*, user, by) -> TeamChange:
    """Open a deactivated staff or trustee login again, with the permissions it had."""
    _lock_team(by)
    user = _team_login(user)
    if user.is_active:
        raise ValidationError(_("%(person)s’s login is already active.") % {"person": user})
    user.is_active = True
    user.save(update_fields=["is_active"])
    return TeamChange.objects.create(user=user, by=by, kind=TeamChange.Kind.REACTIVATED)
