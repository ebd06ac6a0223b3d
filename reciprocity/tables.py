"""The staff lists of claims and payments as sortable, downloadable tables (coprod/tables.py)."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from coprod.tables import NUMBER
from coprod.tables import StaffTable

from .models import Claim
from .models import Payment
from .models import pounds


class ClaimTable(StaffTable):
    what = "claims"
    id = tables.Column("Claim", order_by=("pk",))
    partner = tables.Column("Partner", accessor="partner__full_name")
    activity = tables.Column("For")
    activity_date = tables.DateColumn("j M Y", verbose_name="Date")
    total = tables.Column("Total", attrs=NUMBER)
    status = tables.Column("Status")
    submitted_at = tables.DateColumn("j M Y", verbose_name="Sent", default="—")

    class Meta(StaffTable.Meta):
        model = Claim
        fields = ()
        sequence = ("id", "partner", "activity", "activity_date", "total", "status", "submitted_at")

    def render_id(self, record: Claim) -> str:
        return format_html('<a href="{}">Claim {}</a>', reverse("reciprocity:claim_detail", args=[record.pk]),
                           record.pk)

    def render_activity(self, value: str) -> str:
        return value if len(value) <= 60 else value[:59] + "…"

    def render_total(self, value) -> str:
        return pounds(value)

    def value_total(self, value):
        return value

    def render_status(self, record: Claim) -> str:
        return render_to_string("reciprocity/_claim_status.html", {"claim": record})

    def value_status(self, record: Claim) -> str:
        return record.get_status_display()

    def value_activity(self, value: str) -> str:
        return value


class PaymentTable(StaffTable):
    what = "payments"
    paid_on = tables.DateColumn("j M Y", verbose_name="Paid on")
    partner = tables.Column("Partner", accessor="claim__partner__full_name")
    claim = tables.Column("Claim", accessor="claim_id")
    method = tables.Column("How")
    funding_source = tables.Column("Funding source", default="—")
    amount = tables.Column("Amount", attrs=NUMBER)

    class Meta(StaffTable.Meta):
        model = Payment
        fields = ()
        sequence = ("paid_on", "partner", "claim", "method", "funding_source", "amount")

    def render_claim(self, value: int) -> str:
        return format_html('<a href="{}">Claim {}</a>', reverse("reciprocity:claim_detail", args=[value]),
                           value)

    def render_amount(self, value) -> str:
        return pounds(value)

    def value_amount(self, value):
        return value

    def value_claim(self, value: int) -> int:
        return value
