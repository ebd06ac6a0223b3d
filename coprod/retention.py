"""Retention rules: what goes after how long, applied every night by Celery beat.

Each app registers its own rules in its `AppConfig.ready()` with `register()`: the
reciprocity app removes old receipt files, the participants app anonymises partners who
left long ago. The core knows neither; it runs whatever is registered, records each run
(`RetentionRun`: when, by whom — nobody for the nightly job — and how many per rule) and
shows the dry run on the retention page.

A rule names the organisation's setting for its number of years; the core turns it into the
run's cut-off day. The rule answers what ended before that day (`due`, oldest first) and
handles one batch of it (`apply`). The dry run and the real run read the same `due`, so the page lists exactly
what the next run removes; whatever a run has handled is no longer due, so running again
does nothing more.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from .models import Organisation
from .models import RetentionRun

logger = logging.getLogger(__name__)

# Rows handled per transaction: a run that stops part-way keeps what it finished.
BATCH_SIZE = 100
# Rows the retention page lists per rule (it always gives the full count).
PREVIEW_LIMIT = 50


@dataclass(frozen=True)
class RetentionItem:
    """One row the next run would handle, as the retention page lists it."""

    pk: int
    reference: str  # what it is, without personal data: "Claim 12: travel receipt"
    detail: str  # why it is due: "paid on 3 May 2019"
    person: str  # whose it is: shown only to staff allowed to see partners' names
    url: str = ""


@dataclass(frozen=True)
class RetentionRule:
    key: str
    title: str
    verb: str  # what happens to each row, as in "3 removed": "removed", "anonymised"
    # Rules run (and show) in this order, lowest first. Old receipts go before partners are
    # anonymised: erasure also removes the receipts of the partners it anonymises, so the
    # other way round the receipts rule would do less than the dry run listed.
    order: int
    # The organisation's setting that says after how many years: "receipt_retention_years".
    years_setting: str
    # In words, "{years}" standing for that setting: "{years} years after the claim was paid…"
    limit: str
    # What a run handles, given its cut-off day (what ended before it is due), oldest first.
    due: Callable[[date], QuerySet]
    # The page's rows for some of `due` (a slice of it).
    items: Callable[[QuerySet], list[RetentionItem]]
    # Handle the rows with these primary keys if they are still due before the cut-off day
    # (`apply(pks=..., before=...)`); answer (primary keys done, primary keys that failed).
    # Each batch commits on its own.
    apply: Callable[..., tuple[list[int], list[int]]]

    def cut_off(self, organisation: Organisation, on: date) -> date:
        """What ended before this day is due on the day `on`."""
        return years_before(on, getattr(organisation, self.years_setting))

    def limit_for(self, organisation: Organisation) -> str:
        return self.limit.format(years=getattr(organisation, self.years_setting))


_RULES: dict[str, RetentionRule] = {}


def register(rule: RetentionRule) -> None:
    """Add a rule (from an app's `ready()`); registering a key again replaces it."""
    _RULES[rule.key] = rule


def rules() -> list[RetentionRule]:
    return sorted(_RULES.values(), key=lambda rule: (rule.order, rule.key))


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class RulePreview:
    rule: RetentionRule
    limit: str
    count: int
    items: list[RetentionItem]

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def retention_preview(*, on: date | None = None, limit: int = PREVIEW_LIMIT) -> list[RulePreview]:
    """The dry run: per rule, how many rows the next run on `on` (today) handles, and the
    first `limit` of them. Two queries per rule."""
    on = on or timezone.localdate()
    organisation = Organisation.current()
    previews = []
    for rule in rules():
        due = rule.due(rule.cut_off(organisation, on))
        previews.append(RulePreview(rule=rule, limit=rule.limit_for(organisation), count=due.count(),
                                    items=rule.items(due[:limit])))
    return previews


def retention_run(*, on: date | None = None, by=None) -> RetentionRun:
    """Apply every rule for the day `on` (today), in batches, and record the run.

    `by` is the person who asked, or None for the nightly job. Not one transaction on
    purpose: each batch commits, so a run stopped by an error keeps what it finished and
    the next run carries on. With the rules paused the run removes nothing and says so."""
    on = on or timezone.localdate()
    organisation = Organisation.current()
    run = RetentionRun.objects.create(by=by, applied_on=on)
    if not organisation.retention_enabled:
        run.status, run.finished_at = RetentionRun.Status.PAUSED, timezone.now()
        run.save(update_fields=["status", "finished_at"])
        logger.info("retention run %s: the rules are paused, nothing removed", run.pk)
        return run
    try:
        for rule in rules():
            result = {"rule": rule.key, "title": str(rule.title), "verb": str(rule.verb),
                      "limit": rule.limit_for(organisation), "done": 0, "failed": 0}
            run.results.append(result)
            before = rule.cut_off(organisation, on)
            passed: list[int] = []  # failed, or no longer due: not offered again in this run
            while True:
                pks = list(rule.due(before).exclude(pk__in=passed)
                           .values_list("pk", flat=True)[:BATCH_SIZE])
                if not pks:
                    break
                done, failed = rule.apply(pks=pks, before=before)
                result["done"] += len(done)
                result["failed"] += len(failed)
                passed += [pk for pk in pks if pk not in set(done)]
                run.save(update_fields=["results"])
            logger.info("retention run %s, %s: %s done, %s failed", run.pk, rule.key, result["done"],
                        result["failed"])
    except Exception as error:
        run.status, run.finished_at, run.error = RetentionRun.Status.FAILED, timezone.now(), repr(error)
        run.save(update_fields=["status", "finished_at", "error", "results"])
        logger.exception("retention run %s stopped", run.pk)
        raise
    run.status, run.finished_at = RetentionRun.Status.DONE, timezone.now()
    run.save(update_fields=["status", "finished_at", "results"])
    return run


def results_by_rule(run: RetentionRun) -> list[dict | None]:
    """A run's results in the order of `rules()`, None for a rule it has no result for
    (a paused run, or a rule added since)."""
    results = {result.get("rule"): result for result in run.results}
    return [results.get(rule.key) for rule in rules()]
