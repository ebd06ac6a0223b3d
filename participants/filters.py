"""Filters for the staff lists of the participants app (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coprod.forms import DateRangeFilterForm
from coprod.models import Service
from coprod.widgets import NameSelect

from .models import AccessNeed
from .models import LivedExperienceArea
from .models import Partner
from .models import StatusChange

# --- Partner records (staff) ---


class PartnerFilterForm(DateRangeFilterForm):
    date_ranges = (("active_from", "active_to"),)


class PartnerFilter(django_filters.FilterSet):
    """Search and filters of the staff partner list. The filters on sensitive data
    (access needs, lived experience) are removed for staff without the permission."""

    q = django_filters.CharFilter(method="search", label=_("Search"),
                                  help_text=_("Name, preferred name or e-mail address."))
    status = django_filters.ChoiceFilter(choices=Partner.Status.choices, empty_label=_("Any status"))
    service = django_filters.ModelChoiceFilter(queryset=Service.objects.only("pk", "name"),
                                               empty_label=_("Any service"), label=_("Service"),
                                               widget=NameSelect)
    access_need = django_filters.ModelChoiceFilter(
        field_name="access_needs", queryset=AccessNeed.objects.all(), empty_label=_("Any access need"),
        label=_("Access need"),
    )
    lived_experience = django_filters.ModelChoiceFilter(
        field_name="lived_experience", queryset=LivedExperienceArea.objects.all(),
        empty_label=_("Any area"), label=_("Lived experience"),
    )
    training = django_filters.ChoiceFilter(
        method="filter_training", choices=[("due", _("Training due")), ("up_to_date", _("Up to date"))],
        empty_label=_("Any training"), label=_("Training"),
    )

    active_from = django_filters.DateFilter(method="filter_became_active", label=_("Became active on or "
                                                                                   "after"),
                                            widget=forms.DateInput(attrs={"type": "date"}))
    active_to = django_filters.DateFilter(method="filter_became_active", label=_("Became active on or "
                                                                                 "before"),
                                          widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Partner
        fields = ["q", "status", "service", "access_need", "lived_experience", "training", "active_from",
                  "active_to"]
        form = PartnerFilterForm

    def __init__(self, *args, sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive:
            del self.filters["access_need"]
            del self.filters["lived_experience"]
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})

    def search(self, queryset, name: str, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.matching(value)

    def filter_became_active(self, queryset, name: str, value):
        # "On or after" and "on or before" must hold for the same move to active, as the
        # dashboard's "newly active partners" counts it, so both are applied together, once.
        start, end = self.form.cleaned_data.get("active_from"), self.form.cleaned_data.get("active_to")
        if name == "active_to" and start:
            return queryset
        changes = StatusChange.objects.filter(to_status=Partner.Status.ACTIVE)
        if start:
            changes = changes.filter(changed_at__date__gte=start)
        if end:
            changes = changes.filter(changed_at__date__lte=end)
        return queryset.filter(pk__in=changes.values("partner"))

    def filter_training(self, queryset, name: str, value: str):
        # The list's queryset is annotated by Partner.objects.with_training_due(); people
        # who have left are not expected to keep their training up to date.
        due = Q(training_due__gt=0) & ~Q(status=Partner.Status.LEFT)
        if value == "due":
            return queryset.filter(due)
        if value == "up_to_date":
            return queryset.exclude(due)
        return queryset
