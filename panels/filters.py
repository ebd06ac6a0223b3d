"""Filters for the staff lists of the panels app (django-filter). Each feature keeps
its own block."""

import django_filters
from django import forms

from coprod.models import Service

from .models import Meeting, Panel

# --- Panels, memberships, meetings, papers and attendance ---


class PanelFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    kind = django_filters.ChoiceFilter(choices=Panel.Kind.choices, empty_label="Any kind", label="Kind")
    status = django_filters.ChoiceFilter(choices=Panel.Status.choices, empty_label="Any status")
    service = django_filters.ModelChoiceFilter(queryset=Service.objects.all(), empty_label="Any service",
                                               label="Service")

    class Meta:
        model = Panel
        fields = ["q", "kind", "status", "service"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})


class MeetingFilter(django_filters.FilterSet):
    panel = django_filters.ModelChoiceFilter(queryset=Panel.objects.all(), empty_label="Any panel",
                                             label="Panel")
    format = django_filters.ChoiceFilter(choices=Meeting.Format.choices, empty_label="Any format")

    class Meta:
        model = Meeting
        fields = ["panel", "format"]
