"""The staff lists of reciprocity (claims, payments, rates, funding sources, benefit rules,
voucher batches, recognition) as sortable, downloadable tables (coprod/tables.py)."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from coprod.tables import NumberColumn
from coprod.tables import StaffTable
from coprod.tables import muted

from .models import BenefitRule
from .models import Claim
from .models import FundingSource
from .models import Payment
from .models import Rate
from .models import Recognition
from .models import VoucherBatch
from .models import pounds


def change_column(url_name: str, hidden: str) -> tables.TemplateColumn:
    """The "Change" link of a row (`hidden` names the row for a screen reader); not exported."""
    return tables.TemplateColumn(
        f'<a href="{{% url "{url_name}" record.pk %}}">Change'
        f'<span class="visually-hidden"> {hidden}</span></a>',
        verbose_name="Change", orderable=False, exclude_from_export=True)


class MoneyColumn(NumberColumn):
    """An amount in pounds, right-aligned; exported as a number."""

    def render(self, value) -> str:
        return pounds(value)

    def value(self, value):
        return value


class ClaimTable(StaffTable):
    what = "claims"
    id = tables.Column("Claim", order_by=("pk",))
    partner = tables.Column("Partner", accessor="partner__full_name")
    activity = tables.Column("For")
    activity_date = tables.DateColumn("j M Y", verbose_name="Date")
    total = NumberColumn("Total")
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
    amount = NumberColumn("Amount")

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


class WaitingClaimTable(StaffTable):
    """Claims sent and not yet paid after the days the settings allow (the finance page)."""
    what = "claims waiting"
    id = tables.Column("Claim", order_by=("pk",), attrs={"td": {"class": "text-nowrap"}})
    partner = tables.Column("Partner", accessor="partner__full_name")
    submitted_at = tables.DateColumn("j M Y", verbose_name="Sent")
    waiting = tables.TemplateColumn("{{ record.submitted_at|timesince }}", verbose_name="Days waiting",
                                    order_by=("-submitted_at",))
    status = tables.Column("Status")
    total = MoneyColumn("Total")

    class Meta(StaffTable.Meta):
        model = Claim
        fields = ()
        sequence = ("id", "partner", "submitted_at", "waiting", "status", "total")

    render_id = ClaimTable.render_id
    render_status = ClaimTable.render_status
    value_status = ClaimTable.value_status


class RateTable(StaffTable):
    what = "rates"
    activity_type = tables.Column("Activity type", accessor="activity_type__name")
    amount = MoneyColumn("Rate")
    basis = tables.Column("Basis")
    effective_from = tables.DateColumn("j M Y", verbose_name="From")
    effective_to = tables.DateColumn("j M Y", verbose_name="Until", default="Open-ended")
    in_force = tables.Column("In force today", empty_values=(), orderable=False)
    change = change_column("reciprocity:rate_edit",
                           '{{ record.activity_type }} rate from {{ record.effective_from|date:"j M Y" }}')

    class Meta(StaffTable.Meta):
        model = Rate
        fields = ()
        sequence = ("activity_type", "amount", "basis", "effective_from", "effective_to", "in_force",
                    "change")

    def __init__(self, data, *, in_force: set, **kwargs):
        super().__init__(data, **kwargs)
        self.in_force = in_force

    def render_in_force(self, record: Rate) -> str:
        if record.pk in self.in_force:
            return format_html('<span class="badge budget-ok">{}</span>', "In force")
        return muted("No")

    def value_in_force(self, record: Rate) -> str:
        return "Yes" if record.pk in self.in_force else "No"


class FundingSourceTable(StaffTable):
    what = "funding sources"
    source = tables.Column("Source", order_by=("funder", "grant"), empty_values=())
    kind = tables.Column("Kind")
    starts_on = tables.DateColumn("j M Y", verbose_name="Starts")
    ends_on = tables.DateColumn("j M Y", verbose_name="Ends")
    amount = MoneyColumn("Budget")
    spent = MoneyColumn("Spent")
    remaining = MoneyColumn("Left", orderable=False)
    used = tables.TemplateColumn('{% include "reciprocity/_budget_state.html" with source=record %}',
                                 verbose_name="Used", orderable=False)

    class Meta(StaffTable.Meta):
        model = FundingSource
        fields = ()
        sequence = ("source", "kind", "starts_on", "ends_on", "amount", "spent", "remaining", "used")

    def render_source(self, record: FundingSource) -> str:
        link = format_html('<a href="{}">{}</a>', reverse("reciprocity:funding_detail", args=[record.pk]),
                           record)
        if record.ends_on < timezone.localdate():
            return format_html('{} <span class="small text-muted">(ended)</span>', link)
        return link

    def value_source(self, record: FundingSource) -> str:
        return str(record)

    def value_used(self, record: FundingSource) -> str:
        return f"{record.used_percent}%"


class BenefitRuleTable(StaffTable):
    """Benefit rules. The partners each applies to are named only to those allowed to see
    them; everyone else sees how many (the view excludes one column or the other)."""
    what = "benefit rules"
    name = tables.TemplateColumn(
        '{{ record.name }}{% if record.notes %}<br><span class="small text-muted">'
        '{{ record.notes|truncatechars:100 }}</span>{% endif %}', verbose_name="Rule")
    period = tables.Column("Period")
    limit = MoneyColumn("Limit")
    counts = tables.Column("Counts", empty_values=(), orderable=False)
    partners = tables.TemplateColumn(
        '{% for partner in record.partners.all %}{{ partner.full_name }}{% if not forloop.last %}, '
        '{% endif %}{% empty %}Nobody yet{% endfor %}', verbose_name="Partners", orderable=False)
    partner_count = NumberColumn("Partners")
    is_active = tables.BooleanColumn(verbose_name="In use", yesno="Yes,No")
    change = change_column("reciprocity:benefit_rule_edit", "{{ record.name }}")

    class Meta(StaffTable.Meta):
        model = BenefitRule
        fields = ()
        sequence = ("name", "period", "limit", "counts", "partners", "partner_count", "is_active", "change")

    def value_name(self, record: BenefitRule) -> str:
        return record.name

    def value_is_active(self, value: bool) -> str:
        return "Yes" if value else "No"

    def render_counts(self, record: BenefitRule) -> str:
        if record.counts_fees:
            return "Fees in money, vouchers" if record.counts_vouchers else "Fees in money"
        return "Vouchers" if record.counts_vouchers else "Nothing"


class VoucherBatchTable(StaffTable):
    what = "batches"
    batch = tables.Column("Batch", order_by=("provider", "value"), empty_values=())
    received_on = tables.DateColumn("j M Y", verbose_name="Received")
    reference = tables.Column("Reference", default="—")
    codes = NumberColumn("Codes")
    in_stock = NumberColumn("In stock")

    class Meta(StaffTable.Meta):
        model = VoucherBatch
        fields = ()
        sequence = ("batch", "received_on", "reference", "codes", "in_stock")

    def render_batch(self, record: VoucherBatch) -> str:
        return format_html('<a href="{}">{} {}<span class="visually-hidden">, received {}</span></a>',
                           reverse("reciprocity:voucher_batch_detail", args=[record.pk]), record.provider,
                           pounds(record.value), date_format(record.received_on, "j M Y"))

    def value_batch(self, record: VoucherBatch) -> str:
        return f"{record.provider} {pounds(record.value)}"


class RecognitionTable(StaffTable):
    what = "thank-yous"
    given_on = tables.DateColumn("j M Y", verbose_name="Date")
    partner = tables.Column("Partner", accessor="partner__full_name")
    kind = tables.Column("Kind")
    title = tables.Column("What for")
    given_by = tables.Column("Recorded by", default="—")
    change = change_column("reciprocity:recognition_edit", "“{{ record.title }}”")

    class Meta(StaffTable.Meta):
        model = Recognition
        fields = ()
        sequence = ("given_on", "partner", "kind", "title", "given_by", "change")

    def render_partner(self, record: Recognition, value: str) -> str:
        return format_html('<a href="{}">{}</a>',
                           reverse("participants:partner_detail", args=[record.partner_id]), value)
