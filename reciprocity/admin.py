"""The Django admin (superusers only) for the reciprocity app. Day-to-day work
happens in the staff portal, where every change goes through a service."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ActivityType,
    BenefitRule,
    Claim,
    ClaimItem,
    FundingSource,
    Payment,
    Rate,
    ReciprocitySettings,
    Recognition,
    VoucherBatch,
)


class ClaimItemInline(admin.TabularInline):
    model = ClaimItem
    extra = 0
    fields = ["kind", "description", "amount", "receipt_name"]
    readonly_fields = fields


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "partner", "activity", "activity_date", "total", "status"]
    list_filter = ["status"]
    search_fields = ["partner__full_name", "activity"]
    inlines = [ClaimItemInline]
    raw_id_fields = ["partner", "meeting"]


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "claim", "paid_on", "amount", "method", "funding_source"]
    list_filter = ["method", "funding_source"]
    raw_id_fields = ["claim"]


for model in [ActivityType, Rate, FundingSource, BenefitRule, VoucherBatch, Recognition, ReciprocitySettings]:
    admin.site.register(model, SimpleHistoryAdmin)
