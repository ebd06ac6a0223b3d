"""Writes for the core app. Each function validates before saving and records who did it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Organisation, Resource, Service
from .roles import is_staff_member
from .uploads import DOCUMENTS, MB, safe_name, validate_upload

# --- Services and teams ---


def _clean_service(*, service: Service | None, name: str, description: str, champion) -> dict:
    name = (name or "").strip()
    errors = {}
    limit = Service._meta.get_field("name").max_length
    if not name:
        errors["name"] = "Enter the name of the service or team."
    elif len(name) > limit:
        errors["name"] = f"Keep the name to {limit} characters or fewer."
    else:
        clash = Service.objects.filter(name__iexact=name)
        if service is not None:
            clash = clash.exclude(pk=service.pk)
        if clash.exists():
            errors["name"] = f"There is already a service called “{name}”."
    if champion is not None and not is_staff_member(champion):
        errors["champion"] = "The co-production champion must be a member of staff."
    if errors:
        raise ValidationError(errors)
    return {"name": name, "description": (description or "").strip(), "champion": champion}


@transaction.atomic
def service_create(*, name: str, description: str = "", champion=None, by) -> Service:
    """Add a service or team of the organisation, with its co-production champion."""
    fields = _clean_service(service=None, name=name, description=description, champion=champion)
    service = Service(**fields)
    service._history_user = by
    service.save()
    return service


@transaction.atomic
def service_update(*, service: Service, name: str, description: str = "", champion=None, by) -> Service:
    fields = _clean_service(service=service, name=name, description=description, champion=champion)
    service = Service.objects.select_for_update().get(pk=service.pk)
    changed = [field for field, value in fields.items() if getattr(service, field) != value]
    if changed:
        for field in changed:
            setattr(service, field, fields[field])
        service._history_user = by
        service.save(update_fields=changed)
    return service


# --- Organisation settings ---

ORGANISATION_SETTINGS_FIELDS = [
    "name", "description", "logo", "recruitment_involvement_target", "attendance_target",
    "feedback_on_time_target", "days_to_pay_target", "quarterly_report", "quarterly_report_day",
]


@transaction.atomic
def organisation_update(*, organisation: Organisation, data: dict, by) -> Organisation:
    """Change the organisation's name, logo, KPI targets and report schedule.

    `data` is a form's cleaned data: the logo is False when cleared, an upload when
    replaced (already checked by the form), and anything else when unchanged."""
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
    organisation._history_user = by
    organisation.save(update_fields=changed)
    return organisation


# --- Resource library ---


@transaction.atomic
def resource_add(*, title: str, kind: str, file, by, description: str = "", tags=(),
                 service=None, for_partners: bool = False) -> Resource:
    validate_upload(file, allowed=DOCUMENTS, max_bytes=20 * MB)
    file.name = safe_name(file.name)
    resource = Resource(title=title.strip(), kind=kind, file=file, description=description.strip(),
                        service=service, for_partners=for_partners, uploaded_by=by)
    resource.full_clean()
    resource._history_user = by
    resource.save()
    resource.tags.set(tags)
    return resource


@transaction.atomic
def resource_update(*, resource: Resource, by, file=None, tags=None, **fields) -> Resource:
    for name, value in fields.items():
        setattr(resource, name, value.strip() if isinstance(value, str) else value)
    if file is not None:
        validate_upload(file, allowed=DOCUMENTS, max_bytes=20 * MB)
        file.name = safe_name(file.name)
        resource.file = file
    resource.full_clean()
    resource._history_user = by
    resource.save()
    if tags is not None:
        resource.tags.set(tags)
    return resource


@transaction.atomic
def resource_delete(*, resource: Resource, by) -> None:
    resource._history_user = by
    resource.file.delete(save=False)
    resource.delete()
