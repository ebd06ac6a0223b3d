"""The reciprocity app's retention rule: receipt files go a number of years after their
claim ended (paid, rejected or withdrawn); the claim, its lines and amounts stay.
Registered in `ReciprocityConfig.ready()` (see coprod/retention.py)."""

from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.dateformat import format as format_date

from coprod.retention import RetentionItem
from coprod.retention import RetentionRule

from . import services
from .models import Claim
from .models import ClaimItem


def _due(before: date) -> QuerySet:
    return ClaimItem.objects.receipts_due_for_removal(ended_before=before)


def _ended(claim: Claim) -> str:
    if claim.status == Claim.Status.PAID:
        return f"paid on {format_date(claim.payment.paid_on, 'j F Y')}"
    if claim.status == Claim.Status.REJECTED:
        return f"not agreed on {format_date(claim.decided_at, 'j F Y')}"
    return f"cancelled on {format_date(claim.withdrawn_at, 'j F Y')}"


def _items(queryset: QuerySet) -> list[RetentionItem]:
    lines = queryset.select_related("claim__partner", "claim__payment")
    return [
        RetentionItem(
            pk=line.pk,
            reference=f"Claim {line.claim_id}: {line.get_kind_display().lower()} receipt",
            detail=f"Claim {_ended(line.claim)}",
            person=line.claim.partner.full_name,
            url=reverse("reciprocity:claim_detail", args=[line.claim_id]),
        )
        for line in lines
    ]


def _apply(*, pks: list[int], before: date) -> tuple[list[int], list[int]]:
    done = services.receipts_remove_expired(item_ids=pks, ended_before=before)
    return done, []


RECEIPTS = RetentionRule(
    key="receipts",
    title="Receipts",
    verb="removed",
    order=10,
    years_setting="receipt_retention_years",
    limit="Receipt files are removed {years} years after their claim was paid, not agreed or cancelled. "
          "The claim and its amounts stay.",
    due=_due,
    items=_items,
    apply=_apply,
)
