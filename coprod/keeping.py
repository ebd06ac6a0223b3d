"""Money and history are never deleted.

Paid claims, payments, logged decisions, the organisation's answers to a panel's points
and closed ladder rounds stay for good: where people need to get rid of one, they archive
or cancel it with a reason instead. Four layers refuse a deletion, each with a reason
people can act on:

- the model: `KeptRecord.delete()` raises ValidationError with `kept_because()`;
- foreign keys into these records are PROTECT, so deleting a parent cannot take them along;
- the Django admin asks `kept_because()` in `has_delete_permission` (`KeptRecordAdminMixin`);
- the database: a BEFORE DELETE trigger per table (`KeepTrigger`, created by each app's
  migrations) refuses queryset and raw SQL deletes too, with an IntegrityError.

`manage.py flush` empties every table, as the test suite does between browser tests: on
PostgreSQL it uses TRUNCATE, which fires no row trigger; on SQLite it lifts the triggers for
its own duration (see coprod/management/commands/flush.py). Nothing else removes these rows.

On SQLite, a migration that rebuilds one of these tables (SQLite cannot alter a column in
place, so Django copies the table) loses the table's trigger with the old copy: end such a
migration with the app's `keep_rows(...)` again. tests/coprod/test_keeping.py fails until then.
`keep_rows` replaces a trigger of the same name, so a changed trigger is simply a new
migration that runs it again.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

# Every trigger's name starts with this, so `flush` can find them on SQLite.
TRIGGER_PREFIX = "keep_"


class KeptRecord(models.Model):
    """A model some (or all) of whose rows are never deleted. Subclasses answer
    `kept_because()`: why this row stays, or "" when it may be deleted."""

    class Meta:
        abstract = True

    def kept_because(self) -> str:
        return ""

    def delete(self, *args, **kwargs):
        refuse_deletion(self)
        return super().delete(*args, **kwargs)


def refuse_deletion(instance) -> None:
    """Raise ValidationError naming why `instance` is kept, if it is."""
    reason = instance.kept_because() if isinstance(instance, KeptRecord) else ""
    if reason:
        raise ValidationError(reason, code="kept")


class KeptRecordAdminMixin:
    """For the ModelAdmin of a KeptRecord: no delete button for a row that is kept, and the
    bulk "delete selected" action refuses when the selection holds one (the admin asks
    this for each row it would delete)."""

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and isinstance(obj, KeptRecord) and obj.kept_because():
            return False
        return super().has_delete_permission(request, obj)


@dataclass(frozen=True)
class KeepTrigger:
    """A BEFORE DELETE trigger that refuses to delete a row of `table` when `condition`
    holds. `condition` is an SQL expression over OLD (the row) that both SQLite and
    PostgreSQL read the same way, subqueries included; "1 = 1" keeps every row."""

    table: str
    name: str
    message: str
    condition: str = "1 = 1"

    @property
    def trigger(self) -> str:
        return f"{TRIGGER_PREFIX}{self.name}"

    def create_sql(self, vendor: str) -> list[str]:
        message = self.message.replace("'", "''")
        if vendor == "sqlite":
            return self.drop_sql(vendor) + [
                f'CREATE TRIGGER "{self.trigger}" BEFORE DELETE ON "{self.table}" FOR EACH ROW '
                f"WHEN {self.condition} BEGIN SELECT RAISE(ABORT, '{message}'); END;"
            ]
        if vendor == "postgresql":
            # RAISE with an integrity_constraint_violation code: Django raises IntegrityError,
            # as it does for SQLite's RAISE(ABORT).
            return self.drop_sql(vendor) + [
                f'CREATE FUNCTION "{self.trigger}"() RETURNS trigger LANGUAGE plpgsql AS $$\n'
                f"BEGIN\n"
                f"  IF {self.condition} THEN\n"
                f"    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',\n"
                f"      MESSAGE = '{message}';\n"
                f"  END IF;\n"
                f"  RETURN OLD;\n"
                f"END $$;",
                f'CREATE TRIGGER "{self.trigger}" BEFORE DELETE ON "{self.table}" FOR EACH ROW '
                f'EXECUTE FUNCTION "{self.trigger}"();',
            ]
        raise NotImplementedError(f"No delete trigger for the {vendor} database: use PostgreSQL or SQLite.")

    def drop_sql(self, vendor: str) -> list[str]:
        if vendor == "sqlite":
            return [f'DROP TRIGGER IF EXISTS "{self.trigger}";']
        if vendor == "postgresql":
            return [f'DROP TRIGGER IF EXISTS "{self.trigger}" ON "{self.table}";',
                    f'DROP FUNCTION IF EXISTS "{self.trigger}"();']
        return []


def keep_rows(*triggers: KeepTrigger):
    """A migration operation creating `triggers` (and dropping them when unapplied)."""
    from django.db import migrations

    def run(statements):
        def apply(apps, schema_editor) -> None:
            vendor = schema_editor.connection.vendor
            for trigger in triggers:
                for sql in statements(trigger, vendor):
                    schema_editor.execute(sql, params=None)
        return apply

    return migrations.RunPython(
        run(lambda trigger, vendor: trigger.create_sql(vendor)),
        run(lambda trigger, vendor: trigger.drop_sql(vendor)),
        elidable=False,
    )
