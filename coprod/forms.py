"""Forms of the core app: they validate input; views hand the cleaned data to a service."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import bounds
from . import periods
from .models import COMMENTARY_MAX
from .models import Organisation
from .models import Resource
from .models import ResourceTag
from .models import Service
from .roles import TEAM_PERMISSIONS
from .uploads import DOCUMENTS
from .uploads import IMAGES
from .uploads import MB
from .uploads import validate_upload
from .widgets import NameSelect


def initial_from(instance, *names: str) -> dict:
    """A plain form's initial values: the named attributes of the record it changes."""
    return {name: getattr(instance, name) for name in names}


def text_boxes(**rows: int) -> dict[str, forms.Textarea]:
    """For a ModelForm's Meta.widgets: a text box of so many rows for each named field."""
    return {name: forms.Textarea(attrs={"rows": count}) for name, count in rows.items()}


def reason_form(label: str, *, max_length: int, help_text: str, **kwargs) -> type[forms.Form]:
    """A form asking only the required "why" of an action (sending back, archiving...), in a
    short text box named `reason`."""
    reason = forms.CharField(label=label, max_length=max_length, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=help_text, **kwargs)
    return type("ReasonForm", (forms.Form,), {"reason": reason, "__module__": __name__})

# --- Services and teams ---


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = ["name", "description", "champion"]
        labels = {"champion": _("Co-production champion")}
        help_texts = {"description": _("What the service or team does, in a sentence or two.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"name": {"unique": _("There is already a service with this name.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = get_user_model().objects.filter(is_staff_member=True, is_active=True)
        self.fields["champion"].queryset = staff
        self.fields["champion"].empty_label = _("(nobody yet)")


# --- Organisation settings ---


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "description", "logo", "address", "signatory_name", "signatory_role",
                  "recruitment_involvement_target", "attendance_target", "feedback_on_time_target",
                  "days_to_pay_target", "quarterly_report", "quarterly_report_day"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"logo": _("A PNG, JPEG or WebP image, at most 2 MB. Shown at the top of every page.")}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):
            validate_upload(logo, allowed=IMAGES - {".gif"}, max_bytes=2 * MB)
        return logo


class RetentionSettingsForm(forms.ModelForm):
    """The retention rules, on the organisation settings page (a form of its own, so saving
    one never changes the other)."""

    class Meta:
        model = Organisation
        fields = ["retention_enabled", "receipt_retention_years", "partner_retention_years"]


# --- The team ---


class TeamFilterForm(forms.Form):
    ROLES = [("", _("Staff and trustees")), ("staff", _("Staff")), ("trustee", _("Trustees"))]
    STATUSES = [("", _("Active and deactivated")), ("active", _("Active")), ("deactivated", _("Deactivated"))]
    role = forms.ChoiceField(choices=ROLES, required=False, label=_("Role"))
    status = forms.ChoiceField(choices=STATUSES, required=False, label=_("Login"))

    def filter(self, people):
        if not self.is_valid():
            return people
        role, status = self.cleaned_data["role"], self.cleaned_data["status"]
        if role == "staff":
            people = people.filter(is_staff_member=True)
        elif role == "trustee":
            people = people.filter(is_trustee=True)
        if status:
            people = people.filter(is_active=status == "active")
        return people

    @property
    def filtered(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class TeamPermissionsForm(forms.Form):
    """The permissions a staff member is given directly; the template lays the boxes
    out one by one with what each allows."""

    permissions = forms.MultipleChoiceField(
        choices=[(permission.name, permission.label) for permission in TEAM_PERMISSIONS],
        required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("“%(value)s” is not a permission that can be given here.")},
    )


# --- Resource library ---


class ResourceForm(forms.ModelForm):
    new_tags = forms.CharField(
        required=False, label=_("New tags"),
        help_text=_("Add tags that are not in the list yet, separated by commas."),
    )

    class Meta:
        model = Resource
        fields = ["title", "kind", "description", "description_cy", "file", "tags", "service", "for_partners"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "description_cy": forms.Textarea(attrs={"rows": 3}), "tags": forms.CheckboxSelectMultiple}
        help_texts = {
            "file": _("PDF, Word, OpenDocument, Excel, PowerPoint, text, CSV or an image; at most 20 MB."),
            "for_partners": _("Tick to show it in partners' own pages."),
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            validate_upload(upload, allowed=DOCUMENTS, max_bytes=20 * MB)
        return upload

    def clean_new_tags(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data.get("new_tags", "").split(",")]
        for name in names:
            if len(name) > 60:
                raise forms.ValidationError(_("Keep each tag to 60 characters or fewer."))
        return [name for name in names if name]

    def all_tags(self):
        tags = list(self.cleaned_data.get("tags") or [])
        for name in self.cleaned_data.get("new_tags") or []:
            tags.append(ResourceTag.objects.get_or_create(name=name)[0])
        return tags


# --- Date ranges in list filters ---


class DateRangeFilterForm(forms.Form):
    """The form of a list filter with "from" and "to" dates (`date_ranges`: pairs of field
    names). A range the wrong way round, or a year that must be a typing mistake, is shown
    beside its field and that date is not applied, so the page never fails."""

    date_ranges: tuple[tuple[str, str], ...] = ()

    def clean(self):
        data = super().clean()
        for start, end in self.date_ranges:
            if start in self.fields and end in self.fields:
                bounds.FILTER_RANGE.clean_form(self, start, end)
        return data


# --- Dashboard and governance reports ---


class PeriodForm(forms.Form):
    """A reporting period and, optionally, one service. Used by the dashboard (GET)
    and by the governance report request (POST)."""

    PERIODS = [
        ("this_quarter", _("This quarter so far")),
        ("last_quarter", _("Last quarter")),
        ("last_year", _("The last 12 months")),
        ("custom", _("Between two dates")),
    ]
    period = forms.ChoiceField(choices=PERIODS, initial="this_quarter")
    start = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    service = forms.ModelChoiceField(queryset=Service.objects.only("pk", "name"), required=False,
                                     empty_label=_("All services"), widget=NameSelect)

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both dates for a period between two dates."))
            bounds.REPORT_PERIOD.clean_form(self, "start", "end", non_field=True)
        return data

    def chosen_period(self):
        today = timezone.localdate()
        choice = self.cleaned_data.get("period") if self.is_bound and self.is_valid() else "this_quarter"
        if choice == "last_quarter":
            return periods.previous_quarter(today)
        if choice == "last_year":
            return periods.year_to(today)
        if choice == "custom":
            return periods.custom(self.cleaned_data["start"], self.cleaned_data["end"])
        quarter = periods.quarter_of(today)
        return periods.Period(quarter.start, today, periods.between(quarter.start, today, "j F"))

    def chosen_service(self):
        return self.cleaned_data.get("service") if self.is_bound and self.is_valid() else None


class GovernanceReportForm(PeriodForm):
    """The governance report's period and service, and staff's optional commentary for the
    board, printed after the executive summary."""

    commentary = forms.CharField(
        required=False, max_length=COMMENTARY_MAX, widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Commentary for the board (optional)"),
        help_text=_("What the figures do not say: context, risks, thanks. Printed after the summary."),
    )

    def clean_commentary(self):
        errors = {}
        text = bounds.check_text("commentary", self.cleaned_data.get("commentary"), max_length=COMMENTARY_MAX,
                                 errors=errors)
        if errors:
            raise forms.ValidationError(errors["commentary"])
        return text
