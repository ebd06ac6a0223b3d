"""The participants app's part of the benchmark (see coprod/demo/benchmark.py): the partner
whose own pages are measured, partners in every batch with their consents and training, and
the partner list and the partner's home page."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from coprod.demo import scale
from coprod.demo.benchmark import Batch
from coprod.demo.benchmark import Page
from coprod.demo.benchmark import World
from coprod.demo.benchmark import add_page
from coprod.demo.benchmark import days_ago
from coprod.demo.benchmark import growers
from coprod.demo.benchmark import setups
from participants.models import AccessNeed
from participants.models import Consent
from participants.models import ConsentStatement
from participants.models import Course
from participants.models import Partner
from participants.models import StatusChange
from participants.models import TrainingRecord


def _setup(world: World) -> None:
    """The benchmark's partner (with the benchmark's partner login), the latest wording of each
    consent topic and the course required for partners, if the organisation has one."""
    login = world.partner_login
    world.partner = Partner.objects.create(user=login, full_name="Benchmark Partner", email=login.email,
                                           status=Partner.Status.ACTIVE)
    world.statements = {}  # consent topic → latest wording
    for topic in ConsentStatement.Topic.values:
        world.statements[topic] = (ConsentStatement.objects.filter(topic=topic).order_by("-version").first()
                                   or ConsentStatement.objects.create(topic=topic, version=1,
                                                                      wording="Benchmark wording."))
    world.course = Course.objects.filter(required_for_partners=True).order_by("pk").first()
    _consents_and_training(world, [world.partner])


def _participants_data(world: World, batch: Batch) -> None:
    """`batch.size` partners, every other one with a login, most of them active; their status
    changes, access needs, consents and training."""
    size, services, staff, number = batch.size, batch.services, batch.staff, batch.number
    User = get_user_model()
    logins = User.objects.bulk_create([
        User(email=f"benchmark-{world.tag}-partner-{number}-{i}@example.invalid",
             full_name=f"Partner {number}-{i}", password=world.password)
        for i in range(0, size, 2)
    ])
    statuses = [Partner.Status.ACTIVE] * 8 + [Partner.Status.INDUCTION, Partner.Status.PAUSED]
    now = timezone.now()
    partners = Partner.objects.bulk_create([
        Partner(full_name=f"Partner {number}-{i}", email=f"partner-{number}-{i}@example.invalid",
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
    batch.partners = partners


def _consents_and_training(world: World, partners: list) -> None:
    """Everyone agrees to the latest wording on keeping their data and being contacted, every
    other partner to quotes; every other partner has done the required course."""
    topics = [("data", 1), ("contact", 1), ("quotes", 2)]
    Consent.objects.bulk_create([
        Consent(partner=partner, statement=world.statements[topic], recorded_by=world.staff)
        for i, partner in enumerate(partners) for topic, every in topics
        if topic in world.statements and (i % every == 0 or partner == world.partner)
    ])
    if world.course is not None:
        TrainingRecord.objects.bulk_create([
            TrainingRecord(course=world.course, partner=partner, completed_on=days_ago(i % 200),
                           recorded_by=world.staff)
            for i, partner in enumerate(partners) if i % 2 == 0
        ])


def _scale_partners() -> int:
    """The synthetic partners of the scale organisation (named partner-<batch>-<n>)."""
    return Partner.objects.filter(email__startswith="partner-", email__endswith="@example.invalid").count()


def _scale_partner_logins(tag: str, how_many: int) -> list:
    """Logins of the scale organisation's active partners, for the load test to sign in as."""
    return [partner.user for partner in Partner.objects.filter(
        user__email__startswith=f"benchmark-{tag}-partner-", status=Partner.Status.ACTIVE,
    ).select_related("user").order_by("pk")[:how_many]]


def register() -> None:
    setups.register("participants", _setup, order=20)
    growers.register("participants", _participants_data, order=20)
    add_page(10, Page("staff: partner list", "staff", lambda world: reverse("participants:partner_list")))
    add_page(100, Page("partner: home", "partner", lambda world: reverse("participants:portal_home"),
                       own=True))
    scale.partner_counts.register("participants", _scale_partners)
    scale.partner_logins.register("participants", _scale_partner_logins)
