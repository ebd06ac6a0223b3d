import json
import logging

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from coprod.demo import benchmark

COLUMNS = ["measurement", "queries N", "queries N×K", "ms N", "ms N×K", "ratio", "× floor", "× admin",
           "× document", "verdict"]


class Command(BaseCommand):
    help = (
        "Measure the key pages of each role and the heavy services at N partners' worth of synthetic "
        "data and at N×K, and compare: SQL queries must not grow with the data, and time may grow at "
        f"most {benchmark.PAGE_TIME_RATIO:g}-fold for pages (a partner's own pages "
        f"{benchmark.PARTNER_TIME_RATIO:g}, the CSV export {benchmark.EXPORT_TIME_RATIO_PER_FACTOR:g}×K). "
        "The same run measures three anchors on the same data: the floor (a bare view of the staff base "
        "template), the Django admin's claims changelist and WeasyPrint laying out a static document as "
        f"long as the governance report; at N×K pages may take at most {benchmark.FLOOR_RATIO:g}× the "
        f"floor ({benchmark.HEAVY_FLOOR_RATIO:g}× for the dashboard and ladder results), the claims list "
        f"{benchmark.ADMIN_RATIO:g}× the admin changelist and the report {benchmark.DOCUMENT_RATIO:g}× "
        "the static document. Everything runs inside one database transaction that is rolled back at "
        "the end: it never leaves data behind. Queries that grow always fail the command; time ratios "
        "only with --strict."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=benchmark.DEFAULT_SIZE,
                            help=f"Partners' worth of data for the first run (N, default "
                                 f"{benchmark.DEFAULT_SIZE}).")
        parser.add_argument("--factor", type=int, default=benchmark.DEFAULT_FACTOR,
                            help=f"How many times more data for the second run (K, default "
                                 f"{benchmark.DEFAULT_FACTOR}).")
        parser.add_argument("--repeat", type=int, default=benchmark.DEFAULT_REPEAT,
                            help=f"Timed repetitions of each measurement; the best counts (default "
                                 f"{benchmark.DEFAULT_REPEAT}). The governance PDF is rendered once.")
        parser.add_argument("--strict", action="store_true",
                            help="Also fail when a time ratio is over its target.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the results as JSON.")

    def handle(self, *args, size: int, factor: int, repeat: int, strict: bool, as_json: bool, **options):
        # WeasyPrint logs every step of every PDF at INFO: keep the output to the measurements.
        pdf_steps = logging.getLogger("weasyprint.progress")
        level = pdf_steps.level
        pdf_steps.setLevel(logging.WARNING)
        try:
            outcome = benchmark.run(size=size, factor=factor, repeat=repeat, progress=self._progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        finally:
            pdf_steps.setLevel(level)
        if as_json:
            self.stdout.write(json.dumps(outcome.as_dict(), indent=2))
        else:
            self._table(outcome)
        failed = [result.name for result in outcome.results if not result.queries_ok]
        if failed:
            raise CommandError(f"Queries grow with the data on: {', '.join(failed)}.")
        slow = [result.name for result in outcome.results if not result.time_ok]
        if strict and slow:
            raise CommandError(f"Time ratio over its target on: {', '.join(slow)}.")

    def _progress(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()

    def _table(self, outcome: benchmark.Outcome) -> None:
        small, large = outcome.partners
        self.stdout.write(f"Database: {outcome.database}. N = {small} partners, N×K = {large} "
                          f"(K = {outcome.factor}); best of {outcome.repeat}. "
                          f"Data built in {sum(outcome.build_seconds):.0f} s; the whole run took "
                          f"{outcome.total_seconds:.0f} s.")
        for anchor in outcome.anchors:
            pages = f", {anchor.pages[0]} and {anchor.pages[1]} pages" if anchor.pages else ""
            self.stdout.write(f"Anchor {anchor.name}: {anchor.queries[0]} and {anchor.queries[1]} queries, "
                              f"{anchor.ms[0]:.1f} and {anchor.ms[1]:.1f} ms{pages}.")

        def times(ratios: list[float]) -> str:
            return f"{ratios[-1]:.1f}" if ratios else ""

        rows = [COLUMNS] + [
            [r.name, str(r.queries[0]), str(r.queries[1]), f"{r.ms[0]:.1f}", f"{r.ms[1]:.1f}",
             f"{r.time_ratio:.2f}", times(r.floor_ratio), times(r.admin_ratio), times(r.document_ratio),
             r.verdict]
            for r in outcome.results
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
        for row in rows:
            cells = [row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:-1], widths[1:-1],
                                                                                   strict=True)]
            self.stdout.write("  ".join(cells + [row[-1]]).rstrip())
        grow = sum(not r.queries_ok for r in outcome.results)
        slow = sum(r.queries_ok and not r.time_ok for r in outcome.results)
        ok = len(outcome.results) - grow - slow
        self.stdout.write(
            f"Summary: {len(outcome.results)} measured, {ok} ok, {grow} with queries growing, {slow} slow. "
            f"Targets: queries grow by at most {benchmark.QUERY_GROWTH_ALLOWED}; time ratio at most "
            f"{benchmark.PAGE_TIME_RATIO:g} (a partner's own pages {benchmark.PARTNER_TIME_RATIO:g}, "
            f"CSV export {benchmark.EXPORT_TIME_RATIO_PER_FACTOR * outcome.factor:g}); at N×K, × floor "
            f"at most {benchmark.FLOOR_RATIO:g} ({benchmark.HEAVY_FLOOR_RATIO:g} for the dashboard and "
            f"ladder results), × admin at most {benchmark.ADMIN_RATIO:g} for the claims list, "
            f"× document at most {benchmark.DOCUMENT_RATIO:g} for the governance report."
        )
