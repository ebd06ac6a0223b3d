"""Forms of the panels app. They only check input; the views hand the cleaned data
to a service in panels/services.py. Each feature keeps its own block."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from participants.models import Partner

from .models import Attendance, Meeting, Membership, Panel
from .services import PAPER_TYPES, PAPER_TYPES_TEXT

# --- Panels, memberships, meetings, papers and attendance ---

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PanelForm(forms.ModelForm):
    class Meta:
        model = Panel
        fields = ["name", "kind", "purpose", "terms_of_reference", "area", "service", "starts_on", "ends_on",
                  "status"]
        labels = {"kind": "Kind of panel", "area": "Co-production area", "starts_on": "Starts on",
                  "ends_on": "Ends on"}
        help_texts = {
            "terms_of_reference": "What the panel may decide or advise on, how often it meets, how members "
                                  "are paid back.",
            "ends_on": "Leave empty for a standing panel. A time-limited panel closes itself the day after.",
            "status": "A planned panel is being set up; closed panels keep their history.",
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "terms_of_reference": forms.Textarea(attrs={"rows": 6}),
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date must be on or after the start date.")
        return data


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, partner: Partner) -> str:
        if partner.preferred_name:
            return f"{partner.preferred_name} ({partner.full_name})"
        return partner.full_name


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.email


class MembershipForm(forms.Form):
    partner = PartnerChoiceField(queryset=Partner.objects.none(), required=False, label="A partner",
                                 empty_label="Choose a partner")
    user = StaffChoiceField(queryset=get_user_model().objects.none(), required=False,
                            label="Or a member of staff", empty_label="Choose a member of staff")
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER,
                             label="Role on the panel")
    joined_on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Joined on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.current().order_by("full_name")
        self.fields["user"].queryset = (get_user_model().objects.filter(is_staff_member=True, is_active=True)
                                        .order_by("full_name"))

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("partner")) == bool(data.get("user")):
            raise forms.ValidationError("Choose either a partner or a member of staff: one at a time.")
        return data


class MembershipEndForm(forms.Form):
    left_on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Left on")


class MeetingForm(forms.Form):
    """A meeting's details. Date and times are separate fields (easy to type on any
    device); `clean()` turns them into `starts_at` and `ends_at`."""

    title = forms.CharField(max_length=150, help_text="For example: “Review of the housing advice leaflet”.")
    date = forms.DateField(widget=DATE)
    starts = forms.TimeField(widget=TIME, label="Starts at")
    ends = forms.TimeField(widget=TIME, label="Ends at")
    format = forms.ChoiceField(choices=Meeting.Format.choices, widget=forms.RadioSelect,
                               initial=Meeting.Format.IN_PERSON)
    venue = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                            help_text="Address and room. Needed unless the meeting is online only.")
    access_information = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Access information",
        help_text="Step-free route, hearing loop, quiet room, nearest accessible toilet, parking.",
    )
    online_joining = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                     label="How to join online", help_text="Link, meeting ID, phone dial-in.")
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)

    FIELDS = ["title", "format", "venue", "access_information", "online_joining", "agenda"]

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        initial = {name: getattr(meeting, name) for name in cls.FIELDS}
        return {**initial, "date": starts.date(), "starts": starts.time(), "ends": ends.time()}

    def clean(self):
        data = super().clean()
        date, starts, ends = data.get("date"), data.get("starts"), data.get("ends")
        if date and starts and ends:
            if ends <= starts:
                self.add_error("ends", "The meeting must end after it starts.")
            else:
                data["starts_at"] = timezone.make_aware(datetime.datetime.combine(date, starts))
                data["ends_at"] = timezone.make_aware(datetime.datetime.combine(date, ends))
        return data

    def meeting_data(self) -> dict:
        """What the meeting services take."""
        data = {name: self.cleaned_data[name] for name in self.FIELDS if name in self.cleaned_data}
        return {**data, "starts_at": self.cleaned_data["starts_at"], "ends_at": self.cleaned_data["ends_at"]}


class MeetingEditForm(MeetingForm):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), required=False,
                              help_text="Who said what, what was agreed, and who will do what by when.")

    FIELDS = MeetingForm.FIELDS + ["minutes"]


class PaperForm(forms.Form):
    title = forms.CharField(max_length=150, required=False,
                            help_text="Leave empty to use the file's name.")
    file = forms.FileField(help_text=f"A {PAPER_TYPES_TEXT}, at most 10 MB. Members can download it.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(PAPER_TYPES)


class RegisterLineForm(forms.Form):
    """One line of a meeting's register."""

    line = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Attendance.Status.choices,
                               widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    hours = forms.DecimalField(
        required=False, min_value=0, max_value=24, decimal_places=2, max_digits=5,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal",
                                        "class": "form-control form-control-sm hours-input"}),
    )

    def __init__(self, *args, people: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        line = self.data.get(self.add_prefix("line")) if self.is_bound else self.initial.get("line")
        try:
            self.person = people.get(int(line), "")
        except (TypeError, ValueError):
            self.person = ""
        self.fields["status"].label = f"What happened: {self.person}"
        self.fields["hours"].label = f"Hours: {self.person}"


RegisterFormSet = forms.formset_factory(RegisterLineForm, extra=0, max_num=1000, validate_max=True)
