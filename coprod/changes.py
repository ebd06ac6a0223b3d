"""Saving a change to a row with its history: who made it (django-simple-history reads the
`_history_user` set on the instance), and only the columns that changed."""

from collections.abc import Mapping
from typing import Any
from typing import TypeVar

from django.db.models import ForeignKey
from django.db.models import Model

M = TypeVar("M", bound=Model)


def _differs(instance: Model, name: str, value: Any) -> bool:
    field = instance._meta.get_field(name)
    if isinstance(field, ForeignKey):
        # Compare keys: reading the related object would cost a query.
        return getattr(instance, field.attname) != (value.pk if isinstance(value, Model) else value)
    return getattr(instance, name) != value


def model_save(instance: M, *, by, update_fields: list[str] | None = None, reason: str | None = None) -> M:
    """Save `instance` (a new row when it has none yet) with `by` as the history's user and
    `reason` as its change reason."""
    instance._history_user = by
    # Set every time: a reason left on the instance would be repeated on its next version.
    instance._change_reason = reason or None
    instance.save(update_fields=update_fields)
    return instance


def model_create(model: type[M], *, by, **fields: Any) -> M:
    """A new row of `model` with these fields, recorded in its history as made by `by`."""
    return model_save(model(**fields), by=by)


def model_update(*, instance: Model, data: Mapping[str, Any], by, reason: str | None = None) -> list[str]:
    """Set the fields in `data` that differ from `instance`, save only those (with `by` as the
    history's user) and answer their names, in `data`'s order. Nothing changed, nothing is
    saved: the history gains no empty entry."""
    changed = [name for name, value in data.items() if _differs(instance, name, value)]
    for name in changed:
        setattr(instance, name, data[name])
    if changed:
        model_save(instance, by=by, update_fields=changed, reason=reason)
    return changed


def model_delete(instance: Model, *, by) -> None:
    """Delete `instance`, recorded in its history as deleted by `by`."""
    instance._history_user = by
    instance.delete()
