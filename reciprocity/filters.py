"""Filters of the staff claim list (django-filter)."""

import django_filters
from django import forms
from django.db.models import Exists
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _

from coprod.forms import DateRangeFilterForm
from participants.models import Partner

from .models import Claim
from .models import ClaimItem


class ClaimFilterForm(DateRangeFilterForm):
    date_ranges = (("date_from", "date_to"),)


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices, empty_label=_("Any status"))
    # Typed, not picked from a list of every partner: part of a name or e-mail address.
    # `?partner=<id>` (the link from a partner's page) still narrows to one partner.
    partner_name = django_filters.CharFilter(
        label=_("Partner"), method="filter_partner_name",
        help_text=_("Type part of their name, preferred name or e-mail address."),
    )
    partner = django_filters.ModelChoiceFilter(queryset=Partner.objects.all(), widget=forms.HiddenInput)
    kind = django_filters.ChoiceFilter(
        label=_("Includes"), choices=ClaimItem.Kind.choices, method="filter_kind", empty_label=_("Anything")
    )
    date_from = django_filters.DateFilter(
        field_name="activity_date",
        lookup_expr="gte",
        label=_("Activity from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="activity_date",
        lookup_expr="lte",
        label=_("Activity until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Claim
        fields = ["status", "partner_name", "partner", "kind", "date_from", "date_to"]
        form = ClaimFilterForm

    def filter_partner_name(self, queryset, name: str, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(partner__in=Partner.objects.matching(value))

    def filter_kind(self, queryset, name: str, value: str):
        if not value:
            return queryset
        return queryset.filter(Exists(ClaimItem.objects.filter(claim=OuterRef("pk"), kind=value)))
