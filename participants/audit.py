"""The audit trail of a partner record, read from django-simple-history: who
changed what, and when, in a few queries however long the history is."""

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_reverse_field_name

from coprod.models import Service

from .models import Partner

# Bookkeeping columns that people do not edit.
HIDDEN_FIELDS = {"id", "created"}
CHANGES_SHOWN = 30
LABELS = {"user": _("Login"), "erased_at": _("Erased on"), "erased_by": _("Erased by"),
          "email": _("E-mail address"), "service": _("Service or team")}


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    sensitive: bool


@dataclass
class Change:
    when: datetime
    who: object  # the user, or None when unknown (a data migration, a script)
    kind: str  # "created", "changed", or "earliest" (the oldest version shown, not its creation)
    fields: list[FieldChange] = field(default_factory=list)


def _text(value) -> str:
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return f"{value:%d %b %Y %H:%M}"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def partner_changes(partner: Partner, *, sensitive: bool, limit: int = CHANGES_SHOWN) -> list[Change]:
    """The latest `limit` changes to a partner's record, newest first. Changes to
    `Partner.SENSITIVE_FIELDS` are left out unless `sensitive`; a change made only of
    those disappears entirely."""
    history_model = Partner.history.model
    records = list(
        partner.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    ids = [record.history_id for record in records]

    # The tags each version held: one query per many-to-many field.
    tags: dict[str, dict[int, list[str]]] = {}
    for m2m in history_model._history_m2m_fields:
        target = get_m2m_reverse_field_name(m2m)
        rows = (history_model.__dict__[m2m.name].model.objects.filter(history_id__in=ids)
                .order_by(f"{target}__name").values_list("history_id", f"{target}__name"))
        held = defaultdict(list)
        for history_id, name in rows:
            held[history_id].append(name or _("(removed from the list)"))
        tags[m2m.name] = held

    # Names for the foreign keys: one query per related model.
    user_ids = {pk for record in records
                for pk in (record.user_id, record.link_worker_id, record.erased_by_id) if pk}
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=user_ids)}
    services = {service.pk: service for service in Service.objects.filter(
        pk__in={record.service_id for record in records if record.service_id})}
    related = {"user": users, "link_worker": users, "erased_by": users, "service": services}

    fields = [f for f in Partner._meta.concrete_fields if f.name not in HIDDEN_FIELDS]

    def value(record, model_field) -> str:
        if model_field.name in related:
            pk = getattr(record, model_field.attname)
            return _text(related[model_field.name].get(pk, "(removed)") if pk else None)
        raw = getattr(record, model_field.attname)
        if model_field.choices:
            return _text(dict(model_field.flatchoices).get(raw, raw))
        return _text(raw)

    def label(name: str) -> str:
        if name in LABELS:
            return LABELS[name]
        verbose = str(Partner._meta.get_field(name).verbose_name)
        return verbose[:1].upper() + verbose[1:]

    changes = []
    for newer, older in zip(records[:limit], [*records[1:], None], strict=False):
        kind = "changed" if older else ("created" if newer.history_type == "+" else "earliest")
        change = Change(when=newer.history_date, who=newer.history_user, kind=kind)
        if older is not None:
            for model_field in fields:
                old, new = value(older, model_field), value(newer, model_field)
                if old != new:
                    change.fields.append(FieldChange(
                        model_field.name, label(model_field.name), old, new,
                        model_field.name in Partner.SENSITIVE_FIELDS))
            for name, held in tags.items():
                old, new = _text(held[older.history_id]), _text(held[newer.history_id])
                if old != new:
                    change.fields.append(FieldChange(name, label(name), old, new, True))
            if not change.fields:
                continue  # a save that changed nothing people can see
        if not sensitive:
            hidden = [f for f in change.fields if f.sensitive]
            change.fields = [f for f in change.fields if not f.sensitive]
            if hidden and not change.fields:
                continue
        changes.append(change)
    return changes
