"""Speed and scale measurements behind `python manage.py benchmark`.

Machines are noisy, so targets are never absolute times: the benchmark builds
synthetic data with the apps' own models, measures the key pages of each role
and the services that do heavy work, grows the data K-fold and measures again,
and compares the two runs. Everything happens inside one database transaction
that is rolled back, so nothing is left behind.

This module is the framework and the core's part; each feature app adds its own in
`<app>/demo/benchmark.py`, registered from its `AppConfig.ready()`:
- `setups`: `setup(world)` adds the app's fixed records to the `World` (the ladder round
  whose results page is measured, the rate claims are paid at...);
- `growers`: `grow(world, batch)` adds the app's share of a batch of data, reading what
  earlier apps put on the `Batch` (services, staff, partners, panels...) and adding its own;
- `add_page(order, Page(...))` and `add_call(order, Call(...))`: the measurements, listed
  (and reported) in `order`.

Targets:
- queries: a page or service runs the same number of SQL queries however much
  data there is (at most QUERY_GROWTH_ALLOWED more at the larger size). More
  queries with more data is an N+1: the hard failure.
- time: pages paginate, so K times the data may cost at most PAGE_TIME_RATIO
  times the time (set for the default K of 10). The CSV export writes one line
  per payment, so its time may grow with the data: at most
  EXPORT_TIME_RATIO_PER_FACTOR × K. A partner's own pages show their own records,
  which do not grow with the organisation: at most PARTNER_TIME_RATIO.
- anchors (coprod/anchors.py), measured the same way in the same run, at N×K:
  every page at most FLOOR_RATIO × a bare view of the staff base template (the
  dashboard and the ladder results HEAVY_FLOOR_RATIO ×), the staff claims list
  at most ADMIN_RATIO × the Django admin's claims changelist, and the governance
  report at most DOCUMENT_RATIO × WeasyPrint laying out a static document of as
  many pages.
"""

import datetime
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta
from math import ceil

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection
from django.db import reset_queries
from django.db import transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from coprod import anchors as anchors_module
from coprod import kpis
from coprod import periods
from coprod.models import Organisation
from coprod.models import Report
from coprod.models import Service
from coprod.registry import Registry
from coprod.reports import report_run

QUERY_GROWTH_ALLOWED = 0
PAGE_TIME_RATIO = 3.0
PARTNER_TIME_RATIO = 1.2
EXPORT_TIME_RATIO_PER_FACTOR = 1.5
# Against the anchors, at N×K (see coprod/anchors.py).
FLOOR_RATIO = 10.0  # list and detail pages: at most 10× the floor
HEAVY_FLOOR_RATIO = 20.0  # the dashboard and the ladder results
ADMIN_RATIO = 1.0  # the staff claims list: no slower than the Django admin's claims changelist
DOCUMENT_RATIO = 3.0  # the governance report: at most 3× a static document of as many pages

PARTNER_PANELS = 3


DEFAULT_SIZE = 50
DEFAULT_FACTOR = 10
DEFAULT_REPEAT = 3

# The benchmark's staff member may do everything a page can show: finance buttons, sensitive data.
STAFF_PERMISSIONS = [
    ("participants", "view_sensitive_partner_data"),
    ("reciprocity", "approve_claim"),
    ("reciprocity", "pay_claim"),
]


def part(size: int, per: int) -> int:
    """One record for every `per` partners, at least one."""
    return max(1, ceil(size / per))


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def at(days_from_today: int, hour: int):
    """An aware datetime `days_from_today` away (negative: in the past) at `hour` o'clock, local time."""
    day = timezone.localdate() + timedelta(days=days_from_today)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# --- Synthetic data --------------------------------------------------------------

# `setup(world)` of each app, run in order once; `grow(world, batch)` of each app, run in order
# for every batch of data.
setups = Registry("benchmark setups")
growers = Registry("benchmark data")


@dataclass
class World:
    """The people the measurements sign in as and the records they look at. Each app's setup
    adds its own fixed records as attributes (participants: `partner`, the partner whose pages
    are measured; ladder: `round`...). Each call of `world_grow` adds a batch of data around them."""

    tag: str  # makes names and e-mail addresses unique, whatever the database already holds
    staff: object
    trustee: object
    partner_login: object  # the login of the partner on the partner's pages
    password: str  # unusable: nobody can sign in as a benchmark login
    batches: int = 0
    partners: int = 0


@dataclass
class Batch:
    """One batch of data being built: its number and size, and what each app built so far
    (the core: `services`, `staff`; participants: `partners`; panels: `panels`, `attended`,
    `decisions`), for the apps that come after it."""

    number: int
    size: int


def world_create(tag: str) -> "World":
    """The benchmark's own logins, then each app's fixed records the batches of data hang on."""
    # Single-row settings are created on first use: create them now, not inside the first measurement.
    Organisation.current()
    User = get_user_model()
    password = make_password(None)
    staff = User.objects.create(email=f"benchmark-{tag}-staff@example.invalid", full_name="Benchmark Staff",
                                is_staff_member=True, password=password)
    staff.user_permissions.add(*[
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in STAFF_PERMISSIONS
    ])
    trustee = User.objects.create(email=f"benchmark-{tag}-trustee@example.invalid",
                                  full_name="Benchmark Trustee", is_trustee=True, password=password)
    partner_login = User.objects.create(email=f"benchmark-{tag}-partner@example.invalid",
                                        full_name="Benchmark Partner", password=password)
    world = World(tag=tag, staff=staff, trustee=trustee, partner_login=partner_login, password=password)
    for setup in setups:
        setup(world)
    return world


def world_grow(world: World, size: int) -> None:
    """Add `size` partners and what goes with them: services, staff, panels, meetings and their
    registers, claims and payments, decisions, proposals, recruitment, ladder answers and actions."""
    batch = Batch(number=world.batches, size=size)
    for grow in growers:
        grow(world, batch)
    world.batches += 1
    world.partners += size


def _organisation_data(world: World, batch: Batch) -> None:
    """One service and one staff member for every ten partners."""
    User = get_user_model()
    count = part(batch.size, 10)
    batch.staff = User.objects.bulk_create([
        User(email=f"benchmark-{world.tag}-staff-{batch.number}-{i}@example.invalid",
             full_name=f"Staff member {batch.number}-{i}", is_staff_member=True, password=world.password)
        for i in range(count)
    ])
    batch.services = Service.objects.bulk_create([
        Service(name=f"Benchmark {world.tag} service {batch.number}-{i}", champion=batch.staff[i])
        for i in range(count)
    ])


# --- Measurements ----------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    role: str  # who signs in: "staff", "trustee" or "partner"
    url: Callable[[World], str]
    heavy: bool = False  # a dashboard or a results page: HEAVY_FLOOR_RATIO, not FLOOR_RATIO
    against_admin: bool = False  # also compared with the Django admin's claims changelist
    own: bool = False  # a partner's own page: its time must not grow with the organisation


def _dashboard_figures(world: World) -> None:
    kpis.dashboard(periods.year_to(timezone.localdate()))


def _governance_pdf(world: World):
    """The governance report as the worker makes it (renderer, WeasyPrint, file), for the last
    12 months. Returns the finished report."""
    period = periods.year_to(timezone.localdate())
    report = Report.objects.create(kind=Report.Kind.GOVERNANCE, title=f"Governance report: {period.label}",
                                   params={**period.as_params(), "service": None, "scheduled": False})
    report = report_run(report_id=report.pk)
    if report.status != Report.Status.DONE:
        raise RuntimeError(f"The governance report failed: {report.error}")
    return report


@dataclass(frozen=True)
class Call:
    """A service function measured on its own, outside any page."""

    name: str
    run: Callable[[World], object]
    once: bool = False  # True: run once at each size (a PDF takes seconds), not the best of --repeat
    grows_with_data: bool = False  # writes a line per row: its time target scales with the factor
    against_document: bool = False  # a PDF: compared with a static document of as many pages


# What is measured, in the order the table lists it. Apps add theirs with `add_page` and `add_call`.
PAGES: list[Page] = []
CALLS: list[Call] = []
_ORDER: dict[str, int] = {}


def _add(measurements: list, order: int, measurement: Page | Call) -> None:
    _ORDER[measurement.name] = order
    kept = [m for m in measurements if m.name != measurement.name] + [measurement]
    measurements[:] = sorted(kept, key=lambda m: (_ORDER[m.name], m.name))


def add_page(order: int, page: Page) -> None:
    """Measure `page` (listed in `order` among the pages); adding a name again replaces it."""
    _add(PAGES, order, page)


def add_call(order: int, call: Call) -> None:
    """Measure `call` (listed in `order` among the services); adding a name again replaces it."""
    _add(CALLS, order, call)


def _ratio(ms: float, anchor_ms: float) -> float:
    return ms / anchor_ms if anchor_ms else float("inf")


@dataclass
class Anchor:
    """A reference measured the same way in the same run: the floor, the admin claims changelist,
    the static document."""

    name: str
    queries: list[int] = field(default_factory=list)  # at N, then at N×K
    ms: list[float] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)  # the static document only: pages laid out

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value != [] or key != "pages"}


@dataclass
class Result:
    name: str
    time_target: float  # the largest growth (time at N×K ÷ time at N) allowed
    floor_target: float | None = None  # the largest multiple of the floor allowed at N×K
    admin_target: float | None = None  # the largest multiple of the admin claims changelist at N×K
    document_target: float | None = None  # the largest multiple of the static document at N×K
    queries: list[int] = field(default_factory=list)  # at N, then at N×K
    ms: list[float] = field(default_factory=list)  # best wall time in milliseconds, at N then at N×K
    floor_ratio: list[float] = field(default_factory=list)  # ms ÷ the floor's ms, at N then at N×K
    admin_ratio: list[float] = field(default_factory=list)
    document_ratio: list[float] = field(default_factory=list)

    @property
    def time_ratio(self) -> float:
        return self.ms[1] / self.ms[0] if self.ms[0] else float("inf")

    @property
    def queries_ok(self) -> bool:
        return self.queries[1] - self.queries[0] <= QUERY_GROWTH_ALLOWED

    @property
    def growth_ok(self) -> bool:
        return self.time_ratio <= self.time_target

    def _anchors(self) -> list[tuple[str, float, list[float]]]:
        """(anchor, target, ratios) for each anchor this measurement is held to."""
        pairs = [("the floor", self.floor_target, self.floor_ratio),
                 ("the admin claims changelist", self.admin_target, self.admin_ratio),
                 ("the static document", self.document_target, self.document_ratio)]
        return [(name, target, ratios) for name, target, ratios in pairs if target is not None and ratios]

    @property
    def anchors_ok(self) -> bool:
        return all(ratios[-1] <= target for _, target, ratios in self._anchors())

    @property
    def time_ok(self) -> bool:
        return self.growth_ok and self.anchors_ok

    @property
    def verdict(self) -> str:
        if not self.queries_ok:
            return f"FAIL: queries grow by {self.queries[1] - self.queries[0]}"
        if not self.growth_ok:
            return f"SLOW: time ratio over {self.time_target:g}"
        for name, target, ratios in self._anchors():
            if ratios[-1] > target:
                return f"SLOW: {ratios[-1]:.1f}× {name}, over {target:g}"
        return "ok"

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("floor_ratio", "admin_ratio", "document_ratio"):
            data[key] = [round(ratio, 2) for ratio in data[key]]
        return {**data, "time_ratio": round(self.time_ratio, 2), "queries_ok": self.queries_ok,
                "growth_ok": self.growth_ok, "anchors_ok": self.anchors_ok, "time_ok": self.time_ok,
                "verdict": self.verdict}


@dataclass
class Outcome:
    size: int
    factor: int
    repeat: int
    database: str
    partners: list[int]  # at N and at N×K
    anchors: list[Anchor]
    results: list[Result]
    build_seconds: list[float] = field(default_factory=list)  # building the data for N, then for N×K
    total_seconds: float = 0.0

    @property
    def queries_ok(self) -> bool:
        return all(result.queries_ok for result in self.results)

    @property
    def time_ok(self) -> bool:
        return all(result.time_ok for result in self.results)

    def as_dict(self) -> dict:
        return {
            "size": self.size, "factor": self.factor, "repeat": self.repeat, "database": self.database,
            "partners": self.partners,
            "targets": targets(self.factor),
            "anchors": {anchor.name: anchor.as_dict() for anchor in self.anchors},
            "results": [result.as_dict() for result in self.results],
            "queries_ok": self.queries_ok, "time_ok": self.time_ok,
            "build_seconds": [round(seconds, 1) for seconds in self.build_seconds],
            "total_seconds": round(self.total_seconds, 1),
        }


def targets(factor: int) -> dict:
    return {"query_growth_allowed": QUERY_GROWTH_ALLOWED, "page_time_ratio": PAGE_TIME_RATIO,
            "partner_time_ratio": PARTNER_TIME_RATIO,
            "export_time_ratio": EXPORT_TIME_RATIO_PER_FACTOR * factor,
            "floor_ratio": FLOOR_RATIO, "heavy_floor_ratio": HEAVY_FLOOR_RATIO,
            "admin_ratio": ADMIN_RATIO, "document_ratio": DOCUMENT_RATIO}


def _results(factor: int) -> list[Result]:
    """One result per page and call, with the targets it is held to."""
    results = [
        Result(page.name, PARTNER_TIME_RATIO if page.own else PAGE_TIME_RATIO,
               floor_target=HEAVY_FLOOR_RATIO if page.heavy else FLOOR_RATIO,
               admin_target=ADMIN_RATIO if page.against_admin else None)
        for page in PAGES
    ]
    results += [
        Result(call.name, EXPORT_TIME_RATIO_PER_FACTOR * factor if call.grows_with_data else PAGE_TIME_RATIO,
               document_target=DOCUMENT_RATIO if call.against_document else None)
        for call in CALLS
    ]
    return results


def _measure(action: Callable[[], object], repeat: int) -> tuple[int, float, object]:
    """The queries of the last of `repeat` runs (the warmest), the best wall time in milliseconds
    and what the last run returned. Every run records its queries, so each carries the same small
    overhead."""
    best = float("inf")
    for _ in range(repeat):
        reset_queries()  # the connection's log keeps at most 9,000 queries: a full one would count nothing
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            returned = action()
            best = min(best, time.perf_counter() - started)
    return len(queries), best * 1000, returned


def _fetch(client: Client, url: str) -> Callable[[], None]:
    def get() -> None:
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return get


def _measure_anchors(anchors: dict[str, Anchor], clients: dict[str, Client], repeat: int) -> None:
    for name, client, url in [(anchors_module.FLOOR, clients["staff"], anchors_module.floor_url()),
                              (anchors_module.ADMIN_CLAIMS, clients["admin"],
                               anchors_module.admin_claims_url())]:
        queries, ms, _ = _measure(_fetch(client, url), repeat)
        anchors[name].queries.append(queries)
        anchors[name].ms.append(ms)


def _measure_document(anchor: Anchor, pages: int) -> None:
    queries, ms, _ = _measure(lambda: anchors_module.static_document_pdf(pages), 1)
    anchor.queries.append(queries)
    anchor.ms.append(ms)
    anchor.pages.append(pages)


def _measure_all(world: World, clients: dict[str, Client], repeat: int,
                 anchors: dict[str, Anchor]) -> list[tuple[int, float]]:
    """Every page and call, with the floor and the admin changelist measured between the pages and
    the calls, and the static document right after the governance PDF with its number of pages."""
    measured = [_measure(_fetch(clients[page.role], page.url(world)), repeat)[:2] for page in PAGES]
    _measure_anchors(anchors, clients, repeat)
    for call in CALLS:
        queries, ms, returned = _measure(lambda call=call: call.run(world), 1 if call.once else repeat)
        measured.append((queries, ms))
        if call.against_document:
            with returned.file.open("rb") as pdf:
                pages = anchors_module.pdf_page_count(pdf.read())
            _measure_document(anchors[anchors_module.STATIC_DOCUMENT], pages)
    return measured


def _warm_up_pdf() -> None:
    """WeasyPrint loads its fonts on first use: do that before anything is timed."""
    from weasyprint import HTML

    HTML(string="<p>Warm-up</p>").write_pdf()


def refresh_planner_statistics() -> None:
    """PostgreSQL plans queries from table statistics that autovacuum refreshes some time after
    rows arrive: refresh them now, as a database that has been running a while has them (this
    works inside the benchmark's transaction and is rolled back with it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _set_ratios(results: list[Result], anchors: dict[str, Anchor]) -> None:
    floor, admin = anchors[anchors_module.FLOOR], anchors[anchors_module.ADMIN_CLAIMS]
    document = anchors[anchors_module.STATIC_DOCUMENT]
    for result in results:
        result.floor_ratio = [_ratio(ms, base) for ms, base in zip(result.ms, floor.ms, strict=True)]
        result.admin_ratio = [_ratio(ms, base) for ms, base in zip(result.ms, admin.ms, strict=True)]
        if result.document_target is not None and document.ms:
            result.document_ratio = [_ratio(ms, base)
                                     for ms, base in zip(result.ms, document.ms, strict=True)]


def run(*, size: int = DEFAULT_SIZE, factor: int = DEFAULT_FACTOR, repeat: int = DEFAULT_REPEAT,
        progress: Callable[[str], None] = lambda message: None) -> Outcome:
    """Build `size` partners' worth of data, measure, grow it to `size` × `factor`, measure
    again; then roll everything back."""
    if size < 1 or factor < 2 or repeat < 1:
        raise ValueError("size must be at least 1, factor at least 2 and repeat at least 1")
    started = time.perf_counter()
    results = _results(factor)
    anchors = {name: Anchor(name) for name in (anchors_module.FLOOR, anchors_module.ADMIN_CLAIMS,
                                               anchors_module.STATIC_DOCUMENT)}
    build_seconds = []
    with (tempfile.TemporaryDirectory(prefix="coprod-benchmark-") as media,
          override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], MEDIA_ROOT=media,
                            ROOT_URLCONF=anchors_module.__name__,
                            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
          transaction.atomic()):
        _warm_up_pdf()
        world = world_create(secrets.token_hex(4))
        clients = {}
        for role, user in [("staff", world.staff), ("trustee", world.trustee),
                           ("partner", world.partner_login),
                           ("admin", anchors_module.administrator(world.tag, world.password))]:
            clients[role] = Client()
            clients[role].force_login(user)
        for target in (size, size * factor):
            progress(f"Building {target} partners' worth of data...")
            building = time.perf_counter()
            world_grow(world, target - world.partners)
            refresh_planner_statistics()
            build_seconds.append(time.perf_counter() - building)
            progress(f"Measuring at {target} partners...")
            measured = _measure_all(world, clients, repeat, anchors)
            for result, (queries, ms) in zip(results, measured, strict=True):
                result.queries.append(queries)
                result.ms.append(ms)
        transaction.set_rollback(True)
    _set_ratios(results, anchors)
    return Outcome(size=size, factor=factor, repeat=repeat, database=connection.vendor,
                   partners=[size, size * factor], results=results,
                   anchors=[anchor for anchor in anchors.values() if anchor.ms],  # the document: if measured
                   build_seconds=build_seconds, total_seconds=time.perf_counter() - started)


def register() -> None:
    """The core's part (called from `CoprodConfig.ready()`): services and staff in every batch, the
    trustees' dashboard, the dashboard figures and the governance PDF."""
    growers.register("coprod.organisation", _organisation_data, order=10)
    add_page(90, Page("trustee: dashboard", "trustee",
                      lambda world: reverse("coprod:dashboard") + "?period=last_year", heavy=True))
    add_call(10, Call("service: kpis.dashboard()", _dashboard_figures))
    # Its tables have a row per service, so it grows longer with the organisation: it is held to
    # a static document of the same length rather than to its own time at N.
    add_call(30, Call("service: governance report PDF", _governance_pdf, once=True, grows_with_data=True,
                      against_document=True))
