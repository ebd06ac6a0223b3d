"""Speed and scale measurements behind `python manage.py benchmark`.

Machines are noisy, so targets are never absolute times: the benchmark builds
synthetic data with the apps' own models, measures the key pages of each role
and the services that do heavy work, grows the data K-fold and measures again,
and compares the two runs. Everything happens inside one database transaction
that is rolled back, so nothing is left behind.

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
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import Decimal
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

from . import anchors as anchors_module

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


def _part(size: int, per: int) -> int:
    """One record for every `per` partners, at least one."""
    return max(1, ceil(size / per))


def _days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def _at(days_from_today: int, hour: int):
    """An aware datetime `days_from_today` away (negative: in the past) at `hour` o'clock, local time."""
    day = timezone.localdate() + timedelta(days=days_from_today)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# --- Synthetic data --------------------------------------------------------------


@dataclass
class World:
    """The people the measurements sign in as and the records they look at. Each call of
    `world_grow` adds a batch of data around them."""

    tag: str  # makes names and e-mail addresses unique, whatever the database already holds
    staff: object
    trustee: object
    partner: object  # a partner with a login, on the first PARTNER_PANELS panels
    password: str  # unusable: nobody can sign in as a benchmark login
    ladder: object
    rungs: list
    areas: list
    round: object  # the closed ladder round whose results page is measured
    previous_round: object
    activity_type: object
    rate: object
    statements: dict  # consent topic → latest wording
    course: object | None  # a course required for partners, if the organisation has one
    batches: int = 0
    partners: int = 0
    panels: int = 0


def world_create(tag: str) -> "World":
    """The benchmark's own logins and the fixed records the batches of data hang on."""
    from ladder.defaults import install_defaults
    from ladder.models import Area, Ladder, Round, Rung
    from participants.models import ConsentStatement, Course, Partner
    from reciprocity.models import ActivityType, Rate, ReciprocitySettings

    from .models import Organisation

    # Single-row settings are created on first use: create them now, not inside the first measurement.
    Organisation.current()
    ReciprocitySettings.current()
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
    partner = Partner.objects.create(user=partner_login, full_name="Benchmark Partner",
                                     email=partner_login.email, status=Partner.Status.ACTIVE)

    install_defaults(Ladder, Rung, Area)  # idempotent: only if the shipped ladders are missing
    ladder = Ladder.current()
    areas = list(Area.objects.active()) or list(Area.objects.all())
    rounds = Round.objects.bulk_create([
        Round(title=f"Benchmark {tag} {label}", ladder=ladder, closes_on=_days_ago(days),
              status=Round.Status.CLOSED, created_by=staff, opened_at=_at(-days - 30, 9),
              closed_at=_at(-days + 1, 9), closed_by=staff)
        for label, days in [("previous self-assessment", 200), ("self-assessment", 20)]
    ])
    for round_ in rounds:
        round_.areas.set(areas)

    activity_type = ActivityType.objects.create(name=f"Benchmark {tag} involvement")
    rate = Rate.objects.create(activity_type=activity_type, basis=Rate.Basis.HOURLY, amount=Decimal("20.00"),
                               effective_from=_days_ago(800))

    statements = {}
    for topic in ConsentStatement.Topic.values:
        statements[topic] = (ConsentStatement.objects.filter(topic=topic).order_by("-version").first()
                             or ConsentStatement.objects.create(topic=topic, version=1,
                                                                wording="Benchmark wording."))
    world = World(
        tag=tag, staff=staff, trustee=trustee, partner=partner, password=password, ladder=ladder,
        rungs=list(ladder.rungs.order_by("position")), areas=areas, previous_round=rounds[0],
        round=rounds[1], activity_type=activity_type, rate=rate, statements=statements,
        course=Course.objects.filter(required_for_partners=True).order_by("pk").first(),
    )
    _consents_and_training(world, [partner])
    return world


def world_grow(world: World, size: int) -> None:
    """Add `size` partners and what goes with them: services, staff, panels, meetings and their
    registers, claims and payments, decisions, proposals, recruitment, ladder answers and actions."""
    batch = world.batches
    services, staff = _organisation_data(world, batch, size)
    partners = _participants_data(world, batch, size, services, staff)
    panels, attended, decisions = _panels_data(world, batch, size, services, staff, partners)
    _reciprocity_data(world, batch, attended)
    _ladder_data(world, batch, size, staff, partners, panels, decisions)
    world.batches += 1
    world.partners += size


def _organisation_data(world: World, batch: int, size: int) -> tuple[list, list]:
    """One service and one staff member for every ten partners."""
    from .models import Service

    User = get_user_model()
    count = _part(size, 10)
    staff = User.objects.bulk_create([
        User(email=f"benchmark-{world.tag}-staff-{batch}-{i}@example.invalid",
             full_name=f"Staff member {batch}-{i}", is_staff_member=True, password=world.password)
        for i in range(count)
    ])
    services = Service.objects.bulk_create([
        Service(name=f"Benchmark {world.tag} service {batch}-{i}", champion=staff[i]) for i in range(count)
    ])
    return services, staff


def _participants_data(world: World, batch: int, size: int, services: list, staff: list) -> list:
    """`size` partners, every other one with a login, most of them active; their status
    changes, access needs, consents and training."""
    from participants.models import AccessNeed, Partner, StatusChange

    User = get_user_model()
    logins = User.objects.bulk_create([
        User(email=f"benchmark-{world.tag}-partner-{batch}-{i}@example.invalid",
             full_name=f"Partner {batch}-{i}", password=world.password)
        for i in range(0, size, 2)
    ])
    statuses = [Partner.Status.ACTIVE] * 8 + [Partner.Status.INDUCTION, Partner.Status.PAUSED]
    now = timezone.now()
    partners = Partner.objects.bulk_create([
        Partner(full_name=f"Partner {batch}-{i}", email=f"partner-{batch}-{i}@example.invalid",
                status=statuses[i % len(statuses)], service=services[i % len(services)],
                link_worker=staff[i % len(staff)], user=logins[i // 2] if i % 2 == 0 else None,
                created=now - timedelta(days=30 + i % 300))
        for i in range(size)
    ])
    needs = list(AccessNeed.objects.order_by("pk")[:3])
    if needs:
        Partner.access_needs.through.objects.bulk_create([
            Partner.access_needs.through(partner=partner, accessneed=needs[i % len(needs)])
            for i, partner in enumerate(partners) if i % 3 == 0
        ])
    StatusChange.objects.bulk_create([
        StatusChange(partner=partner, from_status=Partner.Status.INDUCTION, to_status=partner.status,
                     changed_at=now - timedelta(days=1 + i % 300), changed_by=staff[i % len(staff)])
        for i, partner in enumerate(partners)
    ])
    _consents_and_training(world, partners)
    return partners


def _consents_and_training(world: World, partners: list) -> None:
    """Everyone agrees to the latest wording on keeping their data and being contacted, every
    other partner to quotes; every other partner has done the required course."""
    from participants.models import Consent, TrainingRecord

    topics = [("data", 1), ("contact", 1), ("quotes", 2)]
    Consent.objects.bulk_create([
        Consent(partner=partner, statement=world.statements[topic], recorded_by=world.staff)
        for i, partner in enumerate(partners) for topic, every in topics
        if topic in world.statements and (i % every == 0 or partner == world.partner)
    ])
    if world.course is not None:
        TrainingRecord.objects.bulk_create([
            TrainingRecord(course=world.course, partner=partner, completed_on=_days_ago(i % 200),
                           recorded_by=world.staff)
            for i, partner in enumerate(partners) if i % 2 == 0
        ])


def _panels_data(world: World, batch: int, size: int, services: list, staff: list,
                 partners: list) -> tuple[list, list, list]:
    """One panel for every five partners, each with two meetings held and one to come, the
    registers, a proposal with feedback for each challenge panel, staff time, decisions and
    recruitment rounds. Returns the panels, the attended register lines as (partner, meeting,
    hours), and the decisions."""
    from panels.models import (
        Attendance,
        Decision,
        FeedbackPoint,
        FeedbackResponse,
        Meeting,
        Membership,
        Panel,
        Proposal,
        RecruitmentRound,
        RecruitmentStage,
        StaffTime,
        StageParticipant,
    )

    # Challenge panels first, so even the smallest batch has one to send proposals to.
    kinds = [Panel.Kind.CHALLENGE] + [kind for kind in Panel.Kind.values if kind != Panel.Kind.CHALLENGE]
    panels = Panel.objects.bulk_create([
        Panel(name=f"Panel {batch}-{i}", kind=kinds[i % len(kinds)], purpose="Benchmark panel.",
              service=services[i % len(services)], area=world.areas[i % len(world.areas)],
              starts_on=_days_ago(400), created_by=world.staff)
        for i in range(_part(size, 5))
    ])
    # The benchmark's partner sits on the organisation's first PARTNER_PANELS panels, as a typical
    # partner does: their own records stay the same however large the organisation grows.
    members = {panel.pk: [world.partner] if world.panels + i < PARTNER_PANELS else []
               for i, panel in enumerate(panels)}
    for i, partner in enumerate(partners):
        members[panels[i % len(panels)].pk].append(partner)
    Membership.objects.bulk_create(
        [Membership(panel=panel, partner=partner, joined_on=_days_ago(365))
         for panel in panels for partner in members[panel.pk]]
        + [Membership(panel=panel, user=staff[i % len(staff)], role=Membership.Role.FACILITATOR,
                      joined_on=_days_ago(365)) for i, panel in enumerate(panels)]
    )

    meetings = Meeting.objects.bulk_create([
        Meeting(panel=panel, title=f"{panel.name} meeting {days}", starts_at=_at(days, 10),
                ends_at=_at(days, 12), venue="Community centre", created_by=world.staff)
        for i, panel in enumerate(panels)
        for days in (-(10 + (i * 7) % 150), -(170 + (i * 11) % 150), 7 + i % 60)
    ])
    today = timezone.localdate()
    attended, lines = [], []
    for meeting in meetings:
        held = meeting.starts_at.date() < today
        for j, partner in enumerate(members[meeting.panel_id]):
            status = Attendance.Status.INVITED
            if held:
                status = Attendance.Status.APOLOGIES if j % 5 == 4 else Attendance.Status.ATTENDED
            hours = Decimal("2.00") if status == Attendance.Status.ATTENDED else None
            lines.append(Attendance(meeting=meeting, partner=partner, status=status, hours=hours))
            if hours:
                attended.append((partner, meeting, hours))
    Attendance.objects.bulk_create(lines)

    challenge = [panel for panel in panels if panel.kind == Panel.Kind.CHALLENGE]
    proposals = Proposal.objects.bulk_create([
        Proposal(title=f"Proposal {batch}-{i}", summary="Change the opening hours.", owner=world.staff,
                 panel=panel, response_deadline=_days_ago(-14 + i % 40), status=Proposal.Status.WITH_PANEL,
                 created_at=timezone.now() - timedelta(days=60), created_by=world.staff)
        for i, panel in enumerate(challenge)
    ])
    points = FeedbackPoint.objects.bulk_create([
        FeedbackPoint(proposal=proposal, text=f"Point {n}: open later on Thursdays.",
                      raised_by=members[proposal.panel_id][n], recorded_by=world.staff)
        for proposal in proposals for n in range(min(2, len(members[proposal.panel_id])))
    ])
    FeedbackResponse.objects.bulk_create([
        FeedbackResponse(point=point, outcome=FeedbackResponse.Outcome.ACCEPTED,
                         response="We will open until 7pm.", responded_by=world.staff)
        for point in points[::2]
    ])

    decided_by = Decision.DecidedBy.values
    decisions = Decision.objects.bulk_create([
        Decision(title=f"Decision {batch}-{i}", decided_on=_days_ago(1 + (i * 3) % 330),
                 decided_by=decided_by[i % len(decided_by)], service=services[i % len(services)],
                 rung=world.rungs[i % len(world.rungs)],
                 shaped_by_panel=panels[i % len(panels)] if i % 2 == 0 else None,
                 shaped_by_proposal=proposals[i % len(proposals)] if proposals and i % 3 == 0 else None,
                 how_shaped="The panel asked for evening sessions." if i % 2 == 0 else "",
                 is_public=i % 3 == 0, recorded_by=world.staff)
        for i in range(_part(size, 2))
    ])

    categories = StaffTime.Category.values
    StaffTime.objects.bulk_create([
        StaffTime(user=staff[i % len(staff)], panel=panel, category=categories[i % len(categories)],
                  spent_on=_days_ago(i % 300), hours=Decimal("1.50"))
        for i, panel in enumerate(panels)
    ])

    rounds = RecruitmentRound.objects.bulk_create([
        RecruitmentRound(post_title=f"Adviser {batch}-{i}", service=services[i % len(services)],
                         opens_on=_days_ago(90 + i % 200), closes_on=_days_ago(30 + i % 200),
                         created_by=world.staff)
        for i in range(_part(size, 10))
    ])
    stages = RecruitmentStage.objects.bulk_create([
        RecruitmentStage(round=round_, kind=kind, held_on=round_.closes_on)
        for round_ in rounds for kind in (RecruitmentStage.Kind.SHORTLISTING, RecruitmentStage.Kind.INTERVIEW)
    ])
    StageParticipant.objects.bulk_create(
        [StageParticipant(stage=stage, partner=partners[i % len(partners)])
         for i, stage in enumerate(stages) if i % 4 != 3]
        + [StageParticipant(stage=stage, user=staff[i % len(staff)]) for i, stage in enumerate(stages)]
    )
    world.panels += len(panels)
    return panels, attended, decisions


def _reciprocity_data(world: World, batch: int, attended: list) -> None:
    """A claim for every attended register line (fee, and travel on every other one) in every
    state, and the payments of those paid, charged to one funding source per batch."""
    from reciprocity.models import Claim, ClaimItem, FundingSource, Payment

    source = FundingSource.objects.create(
        funder=f"Benchmark {world.tag} funder {batch}", grant="Partner payments",
        kind=FundingSource.Kind.LAUNCH, amount=Decimal("500000.00"), starts_on=_days_ago(400),
        ends_on=_days_ago(-365),
    )
    statuses = [Claim.Status.PAID] * 5 + [Claim.Status.APPROVED] + [Claim.Status.SUBMITTED] * 2 + [
        Claim.Status.DRAFT, Claim.Status.REJECTED]
    today = timezone.localdate()
    claims, travel = [], []
    for i, (partner, meeting, hours) in enumerate(attended):
        status = statuses[i % len(statuses)]
        fee = hours * world.rate.amount
        expenses = Decimal("4.50") if i % 2 == 0 else Decimal("0.00")
        sent = meeting.ends_at + timedelta(days=1) if status != Claim.Status.DRAFT else None
        decided = status in (Claim.Status.APPROVED, Claim.Status.PAID, Claim.Status.REJECTED)
        claims.append(Claim(
            partner=partner, meeting=meeting, activity=meeting.title, activity_date=meeting.starts_at.date(),
            activity_type=world.activity_type, hours=hours, rate=world.rate, status=status,
            fee_total=fee, expenses_total=expenses, total=fee + expenses,
            approved_amount=fee + expenses if status in (Claim.Status.APPROVED, Claim.Status.PAID) else None,
            created_at=meeting.ends_at, created_by=partner.user or world.staff,
            submitted_at=sent, submitted_by=(partner.user or world.staff) if sent else None,
            decided_at=sent + timedelta(days=2) if decided else None,
            decided_by=world.staff if decided else None,
            rejection_reason="Claimed twice for the same meeting." if status == Claim.Status.REJECTED else "",
        ))
        travel.append(expenses)
    claims = Claim.objects.bulk_create(claims)
    ClaimItem.objects.bulk_create(
        [ClaimItem(claim=claim, kind=ClaimItem.Kind.FEE, amount=claim.fee_total, added_by=world.staff)
         for claim in claims]
        + [ClaimItem(claim=claim, kind=ClaimItem.Kind.TRAVEL, description="Bus fare", amount=amount,
                     added_by=world.staff) for claim, amount in zip(claims, travel, strict=True) if amount]
    )
    payments = []
    for claim in claims:
        if claim.status != Claim.Status.PAID:
            continue
        paid_on = min(today, claim.submitted_at.date() + timedelta(days=9))
        payments.append(Payment(
            claim=claim, method=Payment.Method.BANK_TRANSFER, reference=f"BACS {claim.pk}", paid_on=paid_on,
            amount=claim.total, fee_amount=claim.fee_total, expenses_amount=claim.expenses_total,
            funding_source=source, days_to_pay=(paid_on - claim.submitted_at.date()).days,
            recorded_by=world.staff,
        ))
    Payment.objects.bulk_create(payments)


def _ladder_data(world: World, batch: int, size: int, staff: list, partners: list, panels: list,
                 decisions: list) -> None:
    """Every new partner and staff member answers every area in both ladder rounds (one in five
    with a comment and a next step); one action for every two partners, some overdue, linked
    to panels and decisions."""
    from ladder.answers_cache import answers_changed
    from ladder.models import Action, Respondent, Response

    respondents = Respondent.objects.bulk_create(
        [Respondent(round=round_, group=Respondent.Group.PARTNER, partner=partner, invited_by=world.staff)
         for round_ in (world.previous_round, world.round) for partner in partners]
        + [Respondent(round=round_, group=Respondent.Group.STAFF, user=user, invited_by=world.staff)
           for round_ in (world.previous_round, world.round) for user in staff]
    )
    rungs = world.rungs
    Response.objects.bulk_create([
        Response(respondent=respondent, area=area, rung=rungs[(i + j) % len(rungs)],
                 evidence="We were asked before the decision was made." if i % 5 == 0 else "",
                 next_step="Pay partners for reading papers." if i % 5 == 0 else "",
                 entered_by=respondent.user or respondent.partner.user)
        for i, respondent in enumerate(respondents) for j, area in enumerate(world.areas)
    ])
    answers_changed()  # answers added to closed rounds in bulk send no signal: drop what was cached
    statuses = Action.Status.values
    Action.objects.bulk_create([
        Action(area=world.areas[i % len(world.areas)], description=f"Agreed next step {batch}-{i}",
               owner=staff[i % len(staff)], due_on=_days_ago(30 - i % 90), status=statuses[i % len(statuses)],
               round=world.round, panel=panels[i % len(panels)] if i % 2 == 0 else None,
               decision=decisions[i % len(decisions)] if i % 3 == 0 else None, created_by=world.staff)
        for i in range(_part(size, 2))
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


PAGES = [
    Page("staff: partner list", "staff", lambda world: reverse("participants:partner_list")),
    Page("staff: claims list", "staff", lambda world: reverse("reciprocity:claim_list"), against_admin=True),
    Page("staff: finance", "staff", lambda world: reverse("reciprocity:finance")),
    Page("staff: panel list", "staff", lambda world: reverse("panels:panel_list")),
    Page("staff: meeting list", "staff", lambda world: reverse("panels:meeting_list")),
    Page("staff: decision log", "staff", lambda world: reverse("panels:decision_list")),
    Page("staff: ladder actions", "staff", lambda world: reverse("ladder:action_list")),
    Page("staff: ladder results", "staff", lambda world: reverse("ladder:results", args=[world.round.pk]),
         heavy=True),
    Page("trustee: dashboard", "trustee", lambda world: reverse("coprod:dashboard") + "?period=last_year",
         heavy=True),
    Page("partner: home", "partner", lambda world: reverse("participants:portal_home"), own=True),
    Page("partner: claims", "partner", lambda world: reverse("reciprocity:my_claims"), own=True),
    Page("partner: meetings", "partner", lambda world: reverse("panels:my_meetings"), own=True),
]


def _dashboard_figures(world: World) -> None:
    from . import kpis, periods

    kpis.dashboard(periods.year_to(timezone.localdate()))


def _payments_csv(world: World) -> None:
    from reciprocity.exports import payments_csv

    today = timezone.localdate()
    payments_csv(today - timedelta(days=365), today)


def _governance_pdf(world: World):
    """The governance report as the worker makes it (renderer, WeasyPrint, file), for the last
    12 months. Returns the finished report."""
    from . import periods
    from .models import Report
    from .reports import report_run

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


CALLS = [
    Call("service: kpis.dashboard()", _dashboard_figures),
    Call("service: payments CSV export", _payments_csv, grows_with_data=True),
    # Its tables have a row per service, so it grows longer with the organisation: it is held to
    # a static document of the same length rather than to its own time at N.
    Call("service: governance report PDF", _governance_pdf, once=True, grows_with_data=True,
         against_document=True),
]


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
    import secrets

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
                           ("partner", world.partner.user),
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
