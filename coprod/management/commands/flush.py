"""`flush` as Django ships it, and on SQLite without refusing the rows that are never deleted.

Flushing empties every table at once; the test suite does it between browser tests. On
PostgreSQL it is a TRUNCATE, which fires no row trigger; SQLite has no TRUNCATE, so Django
deletes each table's rows and the triggers of coprod/keeping.py would refuse. Here they
are dropped, the tables emptied and the triggers put back, in one transaction: if the
flush fails, the triggers are as they were.
"""

from django.core.management.commands import flush
from django.db import connections
from django.db import transaction

from coprod.keeping import TRIGGER_PREFIX


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, %s) = %s",
                    [len(TRIGGER_PREFIX), TRIGGER_PREFIX],
                )
                triggers = cursor.fetchall()
                for name, _ in triggers:
                    cursor.execute(f'DROP TRIGGER "{name}"')
            super().handle(**options)
            with connection.cursor() as cursor:
                for _, sql in triggers:
                    cursor.execute(sql)
