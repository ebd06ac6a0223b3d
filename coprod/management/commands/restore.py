from pathlib import Path

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from coprod.backup import BackupError
from coprod.backup import database_from_url
from coprod.backup import restore


class Command(BaseCommand):
    help = ("Restore a backup made by `backup` into a fresh, empty database (DATABASE_URL, or "
            "--database-url) and the file storage, then check every table's rows and every file "
            "against the backup's manifest.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The coprod-backup-….tar.gz file.")
        parser.add_argument("--database-url", default="",
                            help="Restore into this database instead of DATABASE_URL's.")
        parser.add_argument("--database-restored", action="store_true",
                            help="The database was put back with the server's own pg_restore (docker "
                                 "compose): restore only the files, then check everything.")

    def handle(self, *args, archive: str, database_url: str, database_restored: bool, **options):
        try:
            differences = restore(Path(archive), database_from_url(database_url) if database_url else None,
                                  database_restored=database_restored)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if differences:
            for difference in differences:
                self.stderr.write(f"{difference.what}: {difference.expected} in the backup, "
                                  f"{difference.found} now")
            raise CommandError("The restored data differs from the backup (see above).")
        self.stdout.write(f"Restored {archive}: every table and file matches the backup.")
