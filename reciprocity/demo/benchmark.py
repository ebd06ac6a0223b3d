"""The reciprocity app's part of the benchmark (see coprod/demo/benchmark.py): an activity
type and rate, claims and payments for every attended meeting in every batch, the claims
list, the finance page, the partner's claims and the payments CSV export."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from coprod.demo.benchmark import Batch
from coprod.demo.benchmark import Call
from coprod.demo.benchmark import Page
from coprod.demo.benchmark import World
from coprod.demo.benchmark import add_call
from coprod.demo.benchmark import add_page
from coprod.demo.benchmark import days_ago
from coprod.demo.benchmark import growers
from coprod.demo.benchmark import setups
from reciprocity.exports import payments_csv
from reciprocity.models import ActivityType
from reciprocity.models import Claim
from reciprocity.models import ClaimItem
from reciprocity.models import FundingSource
from reciprocity.models import Payment
from reciprocity.models import Rate
from reciprocity.models import ReciprocitySettings


def _setup(world: World) -> None:
    # Single-row settings are created on first use: create them now, not inside the first measurement.
    ReciprocitySettings.current()
    world.activity_type = ActivityType.objects.create(name=f"Benchmark {world.tag} involvement")
    world.rate = Rate.objects.create(activity_type=world.activity_type, basis=Rate.Basis.HOURLY,
                                     amount=Decimal("20.00"), effective_from=days_ago(800))


def _reciprocity_data(world: World, batch: Batch) -> None:
    """A claim for every attended register line (fee, and travel on every other one) in every
    state, and the payments of those paid, charged to one funding source per batch."""
    attended = batch.attended
    source = FundingSource.objects.create(
        funder=f"Benchmark {world.tag} funder {batch.number}", grant="Partner payments",
        kind=FundingSource.Kind.LAUNCH, amount=Decimal("500000.00"), starts_on=days_ago(400),
        ends_on=days_ago(-365),
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



def _payments_csv(world: World) -> None:
    today = timezone.localdate()
    payments_csv(today - timedelta(days=365), today)


def register() -> None:
    setups.register("reciprocity", _setup, order=60)
    growers.register("reciprocity", _reciprocity_data, order=60)
    add_page(20, Page("staff: claims list", "staff", lambda world: reverse("reciprocity:claim_list"),
                      against_admin=True))
    add_page(30, Page("staff: finance", "staff", lambda world: reverse("reciprocity:finance")))
    add_page(110, Page("partner: claims", "partner", lambda world: reverse("reciprocity:my_claims"),
                       own=True))
    add_call(20, Call("service: payments CSV export", _payments_csv, grows_with_data=True))
