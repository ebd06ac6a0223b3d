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
  EXPORT_TIME_RATIO_PER_FACTOR × K.
"""

import datetime
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from math import ceil

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from coprod import kpis, periods
from coprod.models import Organisation, Report, Service
from coprod.registry import Registry
from coprod.reports import report_run

QUERY_GROWTH_ALLOWED = 0
PAGE_TIME_RATIO = 3.0
EXPORT_TIME_RATIO_PER_FACTOR = 1.5

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


def _dashboard_figures(world: World) -> None:
    kpis.dashboard(periods.year_to(timezone.localdate()))


def _governance_pdf(world: World) -> None:
    """The governance report as the worker makes it (renderer, WeasyPrint, file), for the last
    12 months."""
    period = periods.year_to(timezone.localdate())
    report = Report.objects.create(kind=Report.Kind.GOVERNANCE, title=f"Governance report: {period.label}",
                                   params={**period.as_params(), "service": None, "scheduled": False})
    report = report_run(report_id=report.pk)
    if report.status != Report.Status.DONE:
        raise RuntimeError(f"The governance report failed: {report.error}")


@dataclass(frozen=True)
class Call:
    """A service function measured on its own, outside any page."""

    name: str
    run: Callable[[World], None]
    once: bool = False  # True: run once at each size (a PDF takes seconds), not the best of --repeat
    grows_with_data: bool = False  # writes a line per row: its time target scales with the factor


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


@dataclass
class Result:
    name: str
    time_target: float  # the largest time ratio allowed
    queries: list[int] = field(default_factory=list)  # at N, then at N×K
    ms: list[float] = field(default_factory=list)  # best wall time in milliseconds, at N then at N×K

    @property
    def time_ratio(self) -> float:
        return self.ms[1] / self.ms[0] if self.ms[0] else float("inf")

    @property
    def queries_ok(self) -> bool:
        return self.queries[1] - self.queries[0] <= QUERY_GROWTH_ALLOWED

    @property
    def time_ok(self) -> bool:
        return self.time_ratio <= self.time_target

    @property
    def verdict(self) -> str:
        if not self.queries_ok:
            return f"FAIL: queries grow by {self.queries[1] - self.queries[0]}"
        if not self.time_ok:
            return f"SLOW: time ratio over {self.time_target:g}"
        return "ok"

    def as_dict(self) -> dict:
        return {**asdict(self), "time_ratio": round(self.time_ratio, 2), "queries_ok": self.queries_ok,
                "time_ok": self.time_ok, "verdict": self.verdict}


@dataclass
class Outcome:
    size: int
    factor: int
    repeat: int
    database: str
    partners: list[int]  # at N and at N×K
    results: list[Result]

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
            "targets": {"query_growth_allowed": QUERY_GROWTH_ALLOWED, "page_time_ratio": PAGE_TIME_RATIO,
                        "export_time_ratio": EXPORT_TIME_RATIO_PER_FACTOR * self.factor},
            "results": [result.as_dict() for result in self.results],
            "queries_ok": self.queries_ok, "time_ok": self.time_ok,
        }


def _measure(action: Callable[[], None], repeat: int) -> tuple[int, float]:
    """The queries of the last of `repeat` runs (the warmest) and the best wall time in milliseconds.
    Every run records its queries, so each carries the same small overhead."""
    best = float("inf")
    for _ in range(repeat):
        reset_queries()  # the connection's log keeps at most 9,000 queries: a full one would count nothing
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            action()
            best = min(best, time.perf_counter() - started)
    return len(queries), best * 1000


def _fetch(client: Client, url: str) -> Callable[[], None]:
    def get() -> None:
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return get


def _measure_all(world: World, clients: dict[str, Client], repeat: int) -> list[tuple[int, float]]:
    measured = [_measure(_fetch(clients[page.role], page.url(world)), repeat) for page in PAGES]
    measured += [_measure(lambda call=call: call.run(world), 1 if call.once else repeat) for call in CALLS]
    return measured


def _warm_up_pdf() -> None:
    """WeasyPrint loads its fonts on first use: do that before anything is timed."""
    from weasyprint import HTML  # loaded on first use: it takes a second to start

    HTML(string="<p>Warm-up</p>").write_pdf()


def run(*, size: int = DEFAULT_SIZE, factor: int = DEFAULT_FACTOR, repeat: int = DEFAULT_REPEAT,
        progress: Callable[[str], None] = lambda message: None) -> Outcome:
    """Build `size` partners' worth of data, measure, grow it to `size` × `factor`, measure
    again; then roll everything back."""
    if size < 1 or factor < 2 or repeat < 1:
        raise ValueError("size must be at least 1, factor at least 2 and repeat at least 1")
    results = [Result(page.name, PAGE_TIME_RATIO) for page in PAGES] + [
        Result(call.name, EXPORT_TIME_RATIO_PER_FACTOR * factor if call.grows_with_data else PAGE_TIME_RATIO)
        for call in CALLS
    ]
    with (tempfile.TemporaryDirectory(prefix="coprod-benchmark-") as media,
          override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], MEDIA_ROOT=media,
                            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
          transaction.atomic()):
        _warm_up_pdf()
        world = world_create(secrets.token_hex(4))
        clients = {}
        for role, user in [("staff", world.staff), ("trustee", world.trustee),
                           ("partner", world.partner_login)]:
            clients[role] = Client()
            clients[role].force_login(user)
        for target in (size, size * factor):
            progress(f"Building {target} partners' worth of data...")
            world_grow(world, target - world.partners)
            progress(f"Measuring at {target} partners...")
            for result, (queries, ms) in zip(results, _measure_all(world, clients, repeat), strict=True):
                result.queries.append(queries)
                result.ms.append(ms)
        transaction.set_rollback(True)
    return Outcome(size=size, factor=factor, repeat=repeat, database=connection.vendor,
                   partners=[size, size * factor], results=results)


def register() -> None:
    """The core's part (called from `CoprodConfig.ready()`): services and staff in every batch, the
    trustees' dashboard, the dashboard figures and the governance PDF."""
    growers.register("coprod.organisation", _organisation_data, order=10)
    add_page(90, Page("trustee: dashboard", "trustee",
                      lambda world: reverse("coprod:dashboard") + "?period=last_year"))
    add_call(10, Call("service: kpis.dashboard()", _dashboard_figures))
    add_call(30, Call("service: governance report PDF", _governance_pdf, once=True))
