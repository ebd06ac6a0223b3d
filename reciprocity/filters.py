"""Filters of the staff claim list (django-filter)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from coprod.forms import DateRangeFilterForm
from coprod.widgets import QuickSelect
from participants.models import Partner

from .models import Claim, ClaimItem


class ClaimFilterForm(DateRangeFilterForm):
    date_ranges = (("date_from", "date_to"),)


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices, empty_label="Any status")
    # One partner among thousands: chosen from their record ("All their claims"), so the list
    # offers only that one; the name search finds anyone.
    partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.none(), empty_label="Any partner", widget=QuickSelect
    )
    partner_name = django_filters.CharFilter(
        label="Partner's name", method="filter_partner_name", max_length=150,
        help_text="Part of their name is enough.",
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
        fields = ["status", "partner", "partner_name", "kind", "date_from", "date_to"]
        form = ClaimFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        chosen = data.get("partner", "") if data else ""
        self.filters["partner"].queryset = (Partner.objects.filter(pk=chosen) if chosen.isdigit()
                                            else Partner.objects.none())

    def filter_partner_name(self, queryset, name: str, value: str):
        words = value.strip()
        if not words:
            return queryset
        return queryset.filter(Q(partner__full_name__icontains=words)
                               | Q(partner__preferred_name__icontains=words))

    def filter_kind(self, queryset, name: str, value: str):
        if not value:
            return queryset
        return queryset.filter(Exists(ClaimItem.objects.filter(claim=OuterRef("pk"), kind=value)))
