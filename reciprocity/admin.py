"""The Django admin (superusers only) for the reciprocity app. Day-to-day work
happens in the staff portal, where every change goes through a service."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coprod.admin import KeptRecordAdmin

from .models import ActivityType
from .models import BenefitRule
from .models import Claim
from .models import ClaimItem
from .models import FundingSource
from .models import Payment
from .models import Rate
from .models import ReciprocitySettings
from .models import Recognition
from .models import VoucherBatch


class ClaimItemInline(admin.TabularInline):
    model = ClaimItem
    extra = 0
    fields = ["kind", "description", "amount", "receipt_name", "receipt_removed_at"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None) -> bool:
        # `obj` is the claim: the lines of a paid claim are kept with it.
        if obj is not None and obj.kept_because():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Claim)
class ClaimAdmin(KeptRecordAdmin):
    list_display = ["pk", "partner", "activity", "activity_date", "total", "status"]
    list_filter = ["status"]
    search_fields = ["partner__full_name", "activity"]
    inlines = [ClaimItemInline]
    raw_id_fields = ["partner", "meeting"]


@admin.register(Payment)
class PaymentAdmin(KeptRecordAdmin):
    list_display = ["pk", "claim", "paid_on", "amount", "method", "funding_source"]
    list_filter = ["method", "funding_source"]
    raw_id_fields = ["claim"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # never, not even in bulk: a payment is a financial record


for model in [ActivityType, Rate, FundingSource, BenefitRule, VoucherBatch, Recognition, ReciprocitySettings]:
    admin.site.register(model, SimpleHistoryAdmin)
