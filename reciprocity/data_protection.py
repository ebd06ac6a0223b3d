"""What the reciprocity app holds about a partner, for their data export, and how it
is erased (see participants/data_protection.py).

Erasure keeps amounts and dates (the organisation must account for what it paid)
and removes free text and receipts, including from the saved versions of each row.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from coprod import registry
from coprod.money import pounds

from .models import Claim
from .models import ClaimItem
from .models import Recognition
from .models import Voucher


def _name(user) -> str | None:
    return (user.get_full_name() or user.email) if user is not None else None


def export_claims(partner) -> tuple[str, list[dict]]:
    claims = (
        Claim.objects.filter(partner=partner)
        .select_related("activity_type", "payment__funding_source")
        .prefetch_related("items")
        .order_by("created_at", "pk")
    )
    vouchers = {}
    for payment_id, provider, value in Voucher.objects.filter(payment__claim__partner=partner).values_list(
        "payment_id", "batch__provider", "batch__value"
    ):
        vouchers.setdefault(payment_id, []).append(f"{provider} {pounds(value)}")
    rows = []
    for claim in claims:
        payment = getattr(claim, "payment", None)
        rows.append(
            {
                "claim": claim.pk,
                "what_it_was_for": claim.activity,
                "date": claim.activity_date,
                "fee_type": str(claim.activity_type) if claim.activity_type else None,
                "hours": claim.hours,
                "status": claim.get_status_display(),
                "total_claimed": claim.total,
                "asked_to_be_paid": claim.requested_amount,
                "approved_amount": claim.approved_amount,
                "sent_on": claim.submitted_at,
                "decided_on": claim.decided_at,
                "reason_not_agreed": claim.rejection_reason,
                "declined_payment": claim.declined_payment,
                "lines": [
                    {
                        "kind": item.get_kind_display(),
                        "amount": item.amount,
                        "description": item.description,
                        "receipt": item.receipt_name or None,
                    }
                    for item in claim.items.all()
                ],
                "paid_on": payment.paid_on if payment else None,
                "paid": payment.amount if payment else None,
                "paid_how": payment.get_method_display() if payment else None,
                "payment_reference": payment.reference if payment else None,
                "vouchers": vouchers.get(payment.pk, []) if payment else [],
            }
        )
    return _("Claims and payments"), rows


def export_recognitions(partner) -> tuple[str, list[dict]]:
    recognitions = (
        Recognition.objects.filter(partner=partner).select_related("given_by").order_by("given_on", "pk")
    )
    return _("Thank-yous and achievements"), [
        {
            "kind": r.get_kind_display(),
            "title": r.title,
            "message": r.message,
            "in_your_words": r.partner_words,
            "given_on": r.given_on,
            "given_by": _name(r.given_by),
        }
        for r in recognitions
    ]


def _forget_history(model, **filters) -> None:
    model.history.model.objects.filter(**filters).delete()


def erase_partner(partner, by) -> None:
    """Remove free text and receipts about the partner; keep amounts and dates, and the
    payments with their references and history (the accounts need them)."""
    claims = Claim.objects.filter(partner=partner)
    items = ClaimItem.objects.filter(claim__partner=partner)
    receipts = [name for name in items.exclude(receipt="").values_list("receipt", flat=True) if name]
    items.update(description="", receipt="", receipt_name="", receipt_type="")
    claim_ids = list(claims.values_list("pk", flat=True))
    claims.update(activity="Erased")
    # A rejected claim must keep some reason (a database rule): say why it is gone.
    claims.filter(status=Claim.Status.REJECTED).update(
        rejection_reason="Removed when their personal data was erased.")
    claims.exclude(status=Claim.Status.REJECTED).update(rejection_reason="")
    Recognition.objects.filter(partner=partner).update(title="Erased", message="", partner_words="")
    # Earlier versions hold the same free text: they go; the rows above remain as the record.
    _forget_history(Claim, id__in=claim_ids)
    _forget_history(ClaimItem, claim_id__in=claim_ids)
    _forget_history(Recognition, partner_id=partner.pk)
    transaction.on_commit(lambda: [default_storage.delete(name) for name in receipts])


def register() -> None:
    """This app's sections of a partner's data-protection export and its part of erasure."""
    registry.data_exporters.register("reciprocity.export_claims", export_claims, order=90)
    registry.data_exporters.register("reciprocity.export_recognitions", export_recognitions, order=100)
    registry.data_erasers.register("reciprocity", erase_partner)
