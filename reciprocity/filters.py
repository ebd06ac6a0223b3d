"""Filters of the staff claim list (django-filter)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from coprod.forms import DateRangeFilterForm
from participants.models import Partner

from .models import Claim, ClaimItem


class ClaimFilterForm(DateRangeFilterForm):
    date_ranges = (("date_from", "date_to"),)


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices, empty_label="Any status")
    partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.order_by("full_name"), empty_label="Any partner"
    )
    kind = django_filters.ChoiceFilter(
        label="Includes", choices=ClaimItem.Kind.choices, method="filter_kind", empty_label="Anything"
    )
    date_from = django_filters.DateFilter(
        field_name="activity_date",
        lookup_expr="gte",
        label="Activity from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="activity_date",
        lookup_expr="lte",
        label="Activity until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Claim
        fields = ["status", "partner", "kind", "date_from", "date_to"]
        form = ClaimFilterForm

    def filter_kind(self, queryset, name: str, value: str):
        if not value:
            return queryset
        return queryset.filter(Exists(ClaimItem.objects.filter(claim=OuterRef("pk"), kind=value)))
