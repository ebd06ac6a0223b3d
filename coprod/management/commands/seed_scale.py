from pathlib import Path

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from rich.progress import BarColumn
from rich.progress import MofNCompleteColumn
from rich.progress import Progress
from rich.progress import TextColumn
from rich.progress import TimeElapsedColumn

from coprod.demo import scale


class Command(BaseCommand):
    help = (
        "Build an organisation of 10,000 partners (--partners) with a year of panels, meetings, claims, "
        "payments, decisions and two ladder rounds, in batches committed one by one, and keep it: for "
        "the load test and for trying pages at scale. A database that already holds it is left as it "
        "is (drop the database to build it again). --sessions FILE signs in some partners, staff and "
        "trustees of it and writes their session cookies to FILE for the load test. Never run it "
        "against a production database: it adds thousands of made-up people."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partners", type=int, default=scale.DEFAULT_PARTNERS,
                            help=f"How many partners (default {scale.DEFAULT_PARTNERS:,}).")
        parser.add_argument("--batch", type=int, default=scale.BATCH,
                            help=f"Partners per committed batch (default {scale.BATCH}).")
        parser.add_argument("--sessions", type=Path,
                            help="Write the load test's session cookies to this file (JSON).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (for logs).")

    def handle(self, *args, partners: int, batch: int, sessions: Path | None, no_progress: bool, **options):
        if partners < 1 or batch < 1:
            raise CommandError("--partners and --batch must be at least 1.")
        if scale.already_seeded():
            self.stdout.write(f"The database already holds the scale organisation "
                              f"({scale.existing_partners():,} partners): nothing added.")
        else:
            with Progress(TextColumn("Building partners"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), disable=no_progress) as progress:
                task = progress.add_task("partners", total=partners)
                seeded = scale.seed(partners, batch=batch, advance=lambda n: progress.advance(task, n))
            self.stdout.write(f"Built {seeded.added:,} partners' worth of data in {seeded.seconds:.0f} s.")
        if sessions is not None:
            data = scale.issue_sessions(sessions)
            counts = ", ".join(f"{len(keys)} {role}" for role, keys in data["sessions"].items())
            self.stdout.write(f"Sessions for the load test ({counts}) written to {sessions}.")
