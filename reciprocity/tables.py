"""The staff lists of reciprocity (claims, payments, rates, funding sources, benefit rules,
voucher batches, recognition) as sortable, downloadable tables (coprod/tables.py)."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
        f'{{% load i18n %}}<a href="{{% url "{url_name}" record.pk %}}">{{% translate "Change" %}}'
        f'<span class="visually-hidden"> {hidden}</span></a>',
        verbose_name=_("Change"), orderable=False, exclude_from_export=True)


class MoneyColumn(NumberColumn):
    """An amount in pounds, right-aligned; exported as a number."""

    def render(self, value) -> str:
        return pounds(value)

    def value(self, value):
        return value


class ClaimTable(StaffTable):
    what = _("claims")
    id = tables.Column(_("Claim"), order_by=("pk",))
    partner = tables.Column(_("Partner"), accessor="partner__full_name")
    activity = tables.Column(_("For"))
    activity_date = tables.DateColumn("j M Y", verbose_name=_("Date"))
    total = NumberColumn(_("Total"))
    status = tables.Column(_("Status"))
    submitted_at = tables.DateColumn("j M Y", verbose_name=_("Sent"), default="—")

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
    what = _("payments")
    paid_on = tables.DateColumn("j M Y", verbose_name=_("Paid on"))
    partner = tables.Column(_("Partner"), accessor="claim__partner__full_name")
    claim = tables.Column(_("Claim"), accessor="claim_id")
    method = tables.Column(_("How"))
    funding_source = tables.Column(_("Funding source"), default="—")
    amount = NumberColumn(_("Amount"))

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
    what = _("claims waiting")
    id = tables.Column(_("Claim"), order_by=("pk",), attrs={"td": {"class": "text-nowrap"}})
    partner = tables.Column(_("Partner"), accessor="partner__full_name")
    submitted_at = tables.DateColumn("j M Y", verbose_name=_("Sent"))
    waiting = tables.TemplateColumn("{{ record.submitted_at|timesince }}", verbose_name=_("Days waiting"),
                                    order_by=("-submitted_at",))
    status = tables.Column(_("Status"))
    total = MoneyColumn(_("Total"))

    class Meta(StaffTable.Meta):
        model = Claim
        fields = ()
        sequence = ("id", "partner", "submitted_at", "waiting", "status", "total")

    render_id = ClaimTable.render_id
    render_status = ClaimTable.render_status
    value_status = ClaimTable.value_status


class RateTable(StaffTable):
    what = _("rates")
    activity_type = tables.Column(_("Activity type"), accessor="activity_type__name")
    amount = MoneyColumn(_("Rate"))
    basis = tables.Column(_("Basis"))
    effective_from = tables.DateColumn("j M Y", verbose_name=_("From"))
    effective_to = tables.DateColumn("j M Y", verbose_name=_("Until"), default=_("Open-ended"))
    in_force = tables.Column(_("In force today"), empty_values=(), orderable=False)
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
            return format_html('<span class="badge budget-ok">{}</span>', gettext("In force"))
        return muted(gettext("No"))

    def value_in_force(self, record: Rate) -> str:
        return gettext("Yes") if record.pk in self.in_force else gettext("No")


class FundingSourceTable(StaffTable):
    what = _("funding sources")
    source = tables.Column(_("Source"), order_by=("funder", "grant"), empty_values=())
    kind = tables.Column(_("Kind"))
    starts_on = tables.DateColumn("j M Y", verbose_name=_("Starts"))
    ends_on = tables.DateColumn("j M Y", verbose_name=_("Ends"))
    amount = MoneyColumn(_("Budget"))
    spent = MoneyColumn(_("Spent"))
    remaining = MoneyColumn(_("Left"), orderable=False)
    used = tables.TemplateColumn('{% include "reciprocity/_budget_state.html" with source=record %}',
                                 verbose_name=_("Used"), orderable=False)

    class Meta(StaffTable.Meta):
        model = FundingSource
        fields = ()
        sequence = ("source", "kind", "starts_on", "ends_on", "amount", "spent", "remaining", "used")

    def render_source(self, record: FundingSource) -> str:
        link = format_html('<a href="{}">{}</a>', reverse("reciprocity:funding_detail", args=[record.pk]),
                           record)
        if record.ends_on < timezone.localdate():
            return format_html('{} <span class="small text-muted">{}</span>', link, gettext("(ended)"))
        return link

    def value_source(self, record: FundingSource) -> str:
        return str(record)

    def value_used(self, record: FundingSource) -> str:
        return f"{record.used_percent}%"


class BenefitRuleTable(StaffTable):
    """Benefit rules. The partners each applies to are named only to those allowed to see
    them; everyone else sees how many (the view excludes one column or the other)."""
    what = _("benefit rules")
    name = tables.TemplateColumn(
        '{{ record.name }}{% if record.notes %}<br><span class="small text-muted">'
        '{{ record.notes|truncatechars:100 }}</span>{% endif %}', verbose_name=_("Rule"))
    period = tables.Column(_("Period"))
    limit = MoneyColumn(_("Limit"))
    counts = tables.Column(_("Counts"), empty_values=(), orderable=False)
    partners = tables.TemplateColumn(
        '{% load i18n %}{% for partner in record.partners.all %}{{ partner.full_name }}'
        '{% if not forloop.last %}, {% endif %}{% empty %}{% translate "Nobody yet" %}{% endfor %}',
        verbose_name=_("Partners"), orderable=False)
    partner_count = NumberColumn(_("Partners"))
    is_active = tables.BooleanColumn(verbose_name=_("In use"), yesno=(_("Yes"), _("No")))
    change = change_column("reciprocity:benefit_rule_edit", "{{ record.name }}")

    class Meta(StaffTable.Meta):
        model = BenefitRule
        fields = ()
        sequence = ("name", "period", "limit", "counts", "partners", "partner_count", "is_active", "change")

    def value_name(self, record: BenefitRule) -> str:
        return record.name

    def value_is_active(self, value: bool) -> str:
        return gettext("Yes") if value else gettext("No")

    def render_counts(self, record: BenefitRule) -> str:
        if record.counts_fees:
            return gettext("Fees in money, vouchers") if record.counts_vouchers else gettext("Fees in money")
        return gettext("Vouchers") if record.counts_vouchers else gettext("Nothing")


class VoucherBatchTable(StaffTable):
    what = _("batches")
    batch = tables.Column(_("Batch"), order_by=("provider", "value"), empty_values=())
    received_on = tables.DateColumn("j M Y", verbose_name=_("Received"))
    reference = tables.Column(_("Reference"), default="—")
    codes = NumberColumn(_("Codes"))
    in_stock = NumberColumn(_("In stock"))

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
    what = _("thank-yous")
    given_on = tables.DateColumn("j M Y", verbose_name=_("Date"))
    partner = tables.Column(_("Partner"), accessor="partner__full_name")
    kind = tables.Column(_("Kind"))
    title = tables.Column(_("What for"))
    given_by = tables.Column(_("Recorded by"), default="—")
    change = change_column("reciprocity:recognition_edit", "“{{ record.title }}”")

    class Meta(StaffTable.Meta):
        model = Recognition
        fields = ()
        sequence = ("given_on", "partner", "kind", "title", "given_by", "change")

    def render_partner(self, record: Recognition, value: str) -> str:
        return format_html('<a href="{}">{}</a>',
                           reverse("participants:partner_detail", args=[record.partner_id]), value)
