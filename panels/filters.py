"""Filters for the staff lists of the panels app (django-filter). Each feature keeps
its own block."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from coprod.forms import DateRangeFilterForm
from coprod.models import Rung
from coprod.models import Service
from coprod.widgets import NameSelect

from .models import Decision
from .models import FeedbackPoint
from .models import Meeting
from .models import Panel

# --- Panels, memberships, meetings, papers and attendance ---


class PanelFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    kind = django_filters.ChoiceFilter(choices=Panel.Kind.choices, empty_label=_("Any kind"), label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=Panel.Status.choices, empty_label=_("Any status"),
                                         label=_("Status"))
    service = django_filters.ModelChoiceFilter(queryset=Service.objects.only("pk", "name"),
                                               empty_label=_("Any service"), label=_("Service"),
                                               widget=NameSelect)

    class Meta:
        model = Panel
        fields = ["q", "kind", "status", "service"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})


class MeetingFilterForm(DateRangeFilterForm):
    date_ranges = (("starts_from", "starts_to"),)


class MeetingFilter(django_filters.FilterSet):
    panel = django_filters.ModelChoiceFilter(queryset=Panel.objects.only("pk", "name"),
                                             empty_label=_("Any panel"), label=_("Panel"), widget=NameSelect)
    service = django_filters.ModelChoiceFilter(field_name="panel__service",
                                               queryset=Service.objects.only("pk", "name"),
                                               empty_label=_("Any service"), label=_("Service"),
                                               widget=NameSelect)
    format = django_filters.ChoiceFilter(choices=Meeting.Format.choices, empty_label=_("Any format"),
                                         label=_("Format"))
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices,
                                         empty_label=_("Scheduled or cancelled"),
                                         label=_("Status"))
    starts_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte",
                                            label=_("On or after"),
                                            widget=forms.DateInput(attrs={"type": "date"}))
    starts_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte",
                                          label=_("On or before"),
                                          widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Meeting
        fields = ["panel", "service", "format", "status", "starts_from", "starts_to"]
        form = MeetingFilterForm


# --- Decision log ---


class DecisionFilterForm(DateRangeFilterForm):
    date_ranges = (("decided_from", "decided_to"),)


class DecisionFilter(django_filters.FilterSet):
    """The decision log's filters: service, ladder rung, panel and period (from, to)."""

    service = django_filters.ModelChoiceFilter(queryset=Service.objects.only("pk", "name"),
                                               empty_label=_("Any service"), label=_("Service"),
                                               widget=NameSelect)
    rung = django_filters.ModelChoiceFilter(queryset=Rung.objects.filter(ladder__is_current=True),
                                            empty_label=_("Any rung"), label=_("Ladder rung"))
    panel = django_filters.ModelChoiceFilter(field_name="shaped_by_panel",
                                             queryset=Panel.objects.only("pk", "name"),
                                             empty_label=_("Any panel"), label=_("Shaped by panel"),
                                             widget=NameSelect)
    decided_from = django_filters.DateFilter(field_name="decided_on", lookup_expr="gte",
                                             label=_("Decided from"),
                                             widget=forms.DateInput(attrs={"type": "date"}))
    decided_to = django_filters.DateFilter(field_name="decided_on", lookup_expr="lte",
                                           label=_("Decided up to"),
                                           widget=forms.DateInput(attrs={"type": "date"}))
    shaped = django_filters.ChoiceFilter(
        method="filter_shaped", label=_("Lived experience"),
        choices=[("yes", _("Shaped by lived experience")), ("no", _("Not shaped by a panel or proposal"))],
        empty_label=_("Any decision"),
    )
    implementation = django_filters.ChoiceFilter(choices=Decision.Implementation.choices,
                                                 empty_label=_("Any status"), label=_("Implementation"))
    archived = django_filters.ChoiceFilter(
        method="filter_archived", label=_("Archived decisions"),
        choices=[("include", _("Show archived decisions too")), ("only", _("Only archived decisions"))],
        empty_label=_("Hide archived decisions"),
    )

    class Meta:
        model = Decision
        fields = ["service", "rung", "panel", "decided_from", "decided_to", "shaped", "implementation",
                  "archived"]
        form = DecisionFilterForm

    @property
    def qs(self):
        """Archived decisions are hidden unless the filter asks for them."""
        queryset = super().qs
        if not (self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("archived")):
            queryset = queryset.in_log()
        return queryset

    def filter_archived(self, queryset, name: str, value: str):
        return queryset.archived() if value == "only" else queryset

    def filter_shaped(self, queryset, name: str, value: str):
        shaped = queryset.shaped_by_lived_experience()
        if value == "yes":
            return shaped
        if value == "no":
            return queryset.exclude(pk__in=shaped.values("pk"))
        return queryset


class FeedbackLogFilterForm(DateRangeFilterForm):
    date_ranges = (("answered_from", "answered_to"),)


class FeedbackLogFilter(django_filters.FilterSet):
    """The "you said, we did" log's filters: when the point was answered, and the service."""

    service = django_filters.ModelChoiceFilter(field_name="proposal__panel__service",
                                               queryset=Service.objects.all(), empty_label=_("Any service"),
                                               label=_("Service"))
    answered_from = django_filters.DateFilter(
        field_name="response__responded_at", lookup_expr="date__gte", label=_("Answered from"),
        widget=forms.DateInput(attrs={"type": "date"}))
    answered_to = django_filters.DateFilter(
        field_name="response__responded_at", lookup_expr="date__lte", label=_("Answered up to"),
        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = FeedbackPoint
        fields = ["service", "answered_from", "answered_to"]
        form = FeedbackLogFilterForm
