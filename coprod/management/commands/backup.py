from pathlib import Path

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from coprod.backup import BackupError
from coprod.backup import backup


class Command(BaseCommand):
    help = ("Write the database and every uploaded file to a dated archive "
            "(coprod-backup-YYYYMMDD-HHMMSS.tar.gz) in the folder given (default: backups).")

    def add_arguments(self, parser):
        parser.add_argument("--to", default="backups", help="The folder to write the archive to.")
        parser.add_argument("--database-dump", default="",
                            help="Use this pg_dump --format=custom file (made by the database server's own "
                                 "pg_dump, as with docker compose) instead of running pg_dump.")

    def handle(self, *args, to: str, database_dump: str, **options):
        try:
            archive = backup(Path(to), Path(database_dump) if database_dump else None)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {archive}")
