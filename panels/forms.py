"""Forms of the panels app. They only check input; the views hand the cleaned data
to a service in panels/services.py. Each feature keeps its own block."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coprod import bounds
from coprod.dates import DateField
from coprod.dates import DayMonthYear
from coprod.forms import initial_from
from coprod.forms import reason_form
from coprod.forms import text_boxes
from coprod.models import Ladder
from coprod.models import Rung
from coprod.models import Service
from coprod.periods import previous_quarter
from coprod.periods import quarter_of
from coprod.welsh import welsh_form_field
from participants.models import Partner
from participants.partner_field import PartnerField

from .models import Attendance
from .models import Decision
from .models import FeedbackPoint
from .models import FeedbackResponse
from .models import Meeting
from .models import Membership
from .models import Panel
from .models import Proposal
from .models import RecruitmentRound
from .models import RecruitmentStage
from .models import StaffTime
from .services import PAPER_TYPES
from .services import PAPER_TYPES_TEXT

# --- Panels, memberships, meetings, papers and attendance ---

DATE = DayMonthYear()
# Choosing a period to look at: the browser's date picker helps there.
PICKER = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PanelForm(forms.ModelForm):
    class Meta:
        model = Panel
        fields = ["name", "kind", "purpose", "purpose_cy", "terms_of_reference", "area", "service",
                  "starts_on", "ends_on", "status"]
        labels = {"name": _("Name"), "kind": _("Kind of panel"), "purpose": _("Purpose"),
                  "terms_of_reference": _("Terms of reference"), "area": _("Co-production area"),
                  "service": _("Service"), "starts_on": _("Starts on"), "ends_on": _("Ends on"),
                  "status": _("Status")}
        help_texts = {
            "terms_of_reference": _("What the panel may decide or advise on, how often it meets, how members "
                                    "are paid back."),
            "ends_on": _("Leave empty for a standing panel. A time-limited panel closes itself the day "
                         "after."),
            "status": _("A planned panel is being set up; closed panels keep their history."),
        }
        widgets = {
            **text_boxes(purpose=2, purpose_cy=2, terms_of_reference=6),
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].validators.append(bounds.PANEL_STARTS)
        self.fields["ends_on"].validators.append(bounds.PANEL_ENDS)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", gettext("The end date must be on or after the start date."))
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
    partner = PartnerField(scope="current", required=False, label=_("A partner"))
    user = StaffChoiceField(queryset=get_user_model().objects.none(), required=False,
                            label=_("Or a member of staff"), empty_label=_("Choose a member of staff"))
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER,
                             label=_("Role on the panel"))
    joined_on = DateField(widget=DATE, initial=timezone.localdate, label=_("Joined on"),
                                validators=[bounds.MEMBERSHIP_JOINED])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (get_user_model().objects.filter(is_staff_member=True, is_active=True)
                                        .order_by("full_name"))

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("partner")) == bool(data.get("user")):
            raise forms.ValidationError(
                gettext("Choose either a partner or a member of staff: one at a time."))
        return data


class MembershipEndForm(forms.Form):
    left_on = DateField(widget=DATE, initial=timezone.localdate, label=_("Left on"),
                              validators=[bounds.MEMBERSHIP_LEFT])


class MeetingForm(forms.Form):
    """A meeting's details. Date and times are separate fields (easy to type on any
    device); `clean()` turns them into `starts_at` and `ends_at`."""

    title = forms.CharField(label=_("Title"), max_length=150,
                            help_text=_("For example: “Review of the housing advice leaflet”."))
    title_cy = welsh_form_field(_("Welsh version of the title (optional)"), max_length=150)
    date = DateField(label=_("Date"), widget=DATE, help_text=_("From a year ago to two years ahead."))
    starts = forms.TimeField(widget=TIME, label=_("Starts at"))
    ends = forms.TimeField(widget=TIME, label=_("Ends at"))
    format = forms.ChoiceField(label=_("Format"), choices=Meeting.Format.choices, widget=forms.RadioSelect,
                               initial=Meeting.Format.IN_PERSON)
    venue = forms.CharField(label=_("Venue"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                            help_text=_("Address and room. Needed unless the meeting is online only."))
    access_information = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Access information"),
        help_text=_("Step-free route, hearing loop, quiet room, nearest accessible toilet, parking."),
    )
    access_information_cy = welsh_form_field(_("Welsh version of the access information (optional)"))
    online_joining = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                     label=_("How to join online"),
                                     help_text=_("Link, meeting ID, phone dial-in."))
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 6}), required=False)

    FIELDS = ["title", "title_cy", "format", "venue", "access_information", "access_information_cy",
              "online_joining", "agenda"]

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {**initial_from(meeting, *cls.FIELDS), "date": starts.date(), "starts": starts.time(),
                "ends": ends.time()}

    def clean(self):
        data = super().clean()
        date, starts, ends = data.get("date"), data.get("starts"), data.get("ends")
        if date and (not self.initial.get("date") or date != self.initial["date"]):
            # A meeting keeps its date when other details (its times, say) change, however long ago it was.
            message = bounds.MEETING.message(date)
            if message:
                self.add_error("date", message)
        if date and starts and ends and "date" not in self.errors:
            if ends <= starts:
                self.add_error("ends", gettext("The meeting must end after it starts."))
            else:
                data["starts_at"] = timezone.make_aware(datetime.datetime.combine(date, starts))
                data["ends_at"] = timezone.make_aware(datetime.datetime.combine(date, ends))
        return data

    def meeting_data(self) -> dict:
        """What the meeting services take."""
        data = {name: self.cleaned_data[name] for name in self.FIELDS if name in self.cleaned_data}
        return {**data, "starts_at": self.cleaned_data["starts_at"], "ends_at": self.cleaned_data["ends_at"]}


class MeetingEditForm(MeetingForm):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}), required=False,
                              help_text=_("Who said what, what was agreed, and who will do what by when."))

    FIELDS = MeetingForm.FIELDS + ["minutes"]


class PaperForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150, required=False,
                            help_text=_("Leave empty to use the file's name."))
    file = forms.FileField(label=_("File"),
                           help_text=format_lazy(_("A {types}, at most 10 MB. Members can download it."),
                                                 types=PAPER_TYPES_TEXT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(PAPER_TYPES)


MeetingNotHeldForm = reason_form(
    _("Why did it not take place?"), max_length=300,
    help_text=_("For the record, for example “The venue was closed and we could not reach everyone "
              "in time”."),
)


class RegisterLineForm(forms.Form):
    """One line of a meeting's register."""

    line = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Attendance.Status.choices,
                               widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    hours = forms.DecimalField(
        label=_("Hours"), required=False, min_value=0, max_value=24, decimal_places=2, max_digits=5,
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
        self.fields["status"].label = gettext("What happened: %(person)s") % {"person": self.person}
        self.fields["hours"].label = gettext("Hours: %(person)s") % {"person": self.person}


RegisterFormSet = forms.formset_factory(RegisterLineForm, extra=0, max_num=1000, validate_max=True)


def register_people(lines) -> dict[int, str]:
    """Who is on each register line (by the line's id), as the register's forms name them."""
    return {line.pk: line.partner.staff_name if line.partner else str(line.user) for line in lines}


# --- Proposals, decisions, staff time and recruitment ---


def _staff_members():
    return get_user_model().objects.filter(is_staff_member=True, is_active=True).order_by("full_name")


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("What the proposal is and what it would change, in plain words."))
    document = forms.FileField(required=False, label=_("The draft document"),
                               help_text=format_lazy(_("Optional. A {types}, at most 10 MB. Panel members "
                                                       "can download it."), types=PAPER_TYPES_TEXT))
    panel = forms.ModelChoiceField(queryset=Panel.objects.none(), label=_("Challenge panel"),
                                   empty_label=_("Choose a challenge panel"))
    owner = StaffChoiceField(queryset=get_user_model().objects.none(), label=_("Owner"),
                             help_text=_("The staff member who answers for the response to each point."))
    response_deadline = DateField(widget=DATE, label=_("We will answer every point by"),
                                        help_text=_("The panel is told this date. It cannot be in the past, "
                                                  "nor more than a year ahead."))

    def __init__(self, *args, proposal: Proposal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        panels = Panel.objects.filter(kind=Panel.Kind.CHALLENGE).exclude(status=Panel.Status.CLOSED)
        if proposal is not None:
            panels = panels | Panel.objects.filter(pk=proposal.panel_id)
            if proposal.document:
                self.fields["document"].label = gettext("Replace the draft document")
                self.fields["document"].help_text = gettext(
                    "Leave empty to keep “%(name)s”. A %(types)s, at most 10 MB. Panel members can "
                    "download it."
                ) % {"name": proposal.document.name.rsplit("/", 1)[-1], "types": PAPER_TYPES_TEXT}
            if proposal.status != Proposal.Status.DRAFT:
                self.fields["panel"].disabled = True
                self.fields["panel"].help_text = gettext(
                    "The proposal has gone to this panel, so it stays with it.")
        self.fields["panel"].queryset = panels.distinct().order_by("name")
        self.fields["owner"].queryset = _staff_members()
        self.fields["document"].widget.attrs["accept"] = ",".join(PAPER_TYPES)

    def clean_response_deadline(self):
        deadline = self.cleaned_data["response_deadline"]
        if deadline != self.initial.get("response_deadline"):  # an unchanged deadline may have passed
            bounds.RESPONSE_DEADLINE(deadline)
        return deadline

    @staticmethod
    def initial_for(proposal: Proposal) -> dict:
        return initial_from(proposal, "title", "summary", "panel", "owner", "response_deadline")


class FeedbackPointForm(forms.Form):
    """Staff recording a point the panel made."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                           label=_("The point the panel made"))
    raised_by = PartnerChoiceField(queryset=Partner.objects.none(), required=False, label=_("Made by"),
                                   empty_label=_("The panel as a whole (or a staff member)"))

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_by"].queryset = (
            Partner.objects.filter(memberships__in=Membership.objects.current().filter(panel=proposal.panel_id))
            .distinct().order_by("full_name")
        )


class MyPointForm(forms.Form):
    """A partner adding their own point, in plain English."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=4000,
                           label=_("What would you like to say about this proposal?"),
                           help_text=_("Say what you think should change, and why if you can. "
                                     "We will answer every point."))


class FeedbackResponseForm(forms.Form):
    outcome = forms.ChoiceField(choices=FeedbackResponse.Outcome.choices, widget=forms.RadioSelect,
                                label=_("Our answer"))
    response = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("What we did, or will do"),
                               help_text=_("Written for the panel member to read: plain words, no jargon."))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                             label=_("Why (needed if declined or partly accepted)"))
    due_on = DateField(widget=DATE, required=False, label=_("When the change will be made"),
                             help_text=_("Optional."), validators=[bounds.CHANGE_DUE])

    @staticmethod
    def initial_for(point: FeedbackPoint) -> dict:
        answer = getattr(point, "response", None)
        if answer is None:
            return {}
        return initial_from(answer, "outcome", "response", "reason", "due_on")


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}),
                                  required=False,
                                  help_text=_("What was decided."))
    decided_on = DateField(widget=DATE, label=_("Decided on"), validators=[bounds.DECISION])
    decided_by = forms.ChoiceField(choices=Decision.DecidedBy.choices, label=_("Decided by"))
    service = forms.ModelChoiceField(queryset=Service.objects.all(), required=False, label=_("Service"),
                                     empty_label=_("The whole organisation"))
    rung = forms.ModelChoiceField(queryset=Rung.objects.none(), required=False,
                                  label=_("Ladder rung reached"), empty_label=_("Not placed on the ladder"))
    shaped_by_panel = forms.ModelChoiceField(queryset=Panel.objects.all(), required=False,
                                             label=_("Shaped by panel"), empty_label=_("No panel"))
    shaped_by_proposal = forms.ModelChoiceField(queryset=Proposal.objects.none(), required=False,
                                                label=_("Shaped by proposal"), empty_label=_("No proposal"),
                                                help_text=_("A proposal put to a challenge panel. Its panel "
                                                            "is filled in for you."))
    how_shaped = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                 label=_("How lived experience shaped it"),
                                 help_text=_("Needed when a panel or proposal shaped it: what changed "
                                             "because of what partners said."))
    implementation = forms.ChoiceField(choices=Decision.Implementation.choices,
                                       initial=Decision.Implementation.PLANNED,
                                       label=_("Implementation status"))
    is_public = forms.BooleanField(required=False, label=_("Public"),
                                   help_text=_("Public decisions may appear in published reports. Internal "
                                             "ones are seen by staff and trustees only."))

    def __init__(self, *args, decision: Decision | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        ladder = Ladder.current()
        rungs = Rung.objects.filter(ladder=ladder) if ladder else Rung.objects.none()
        if decision is not None and decision.rung_id:
            # A decision placed on an older ladder keeps its rung until someone changes it.
            rungs = rungs | Rung.objects.filter(pk=decision.rung_id)
        self.fields["rung"].queryset = rungs.order_by("ladder", "position")
        if ladder:
            self.fields["rung"].help_text = gettext("A rung of the current ladder, %(ladder)s.") % {
                "ladder": ladder}
        self.fields["shaped_by_proposal"].queryset = (
            Proposal.objects.exclude(status=Proposal.Status.DRAFT).order_by("-created_at"))

    @staticmethod
    def initial_for(decision: Decision) -> dict:
        return initial_from(
            decision, "title", "description", "decided_on", "decided_by", "service", "rung",
            "shaped_by_panel", "shaped_by_proposal", "how_shaped", "implementation", "is_public")


DecisionArchiveForm = reason_form(
    _("Why is it archived?"), max_length=500,
    help_text=_("For example “Logged twice: see the decision of 3 May” or “Logged by mistake: this was a "
              "proposal, not a decision”."),
)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        day = date_format(timezone.localtime(meeting.starts_at), "d M Y")
        return f"{meeting.panel}: {meeting.title}, {day}"


class StaffTimeForm(forms.Form):
    panel = forms.ModelChoiceField(queryset=Panel.objects.none(), label=_("Panel"),
                                   empty_label=_("Choose a panel"))
    meeting = MeetingChoiceField(queryset=Meeting.objects.none(), required=False, label=_("Meeting"),
                                 empty_label=_("No meeting"),
                                 help_text=_("Optional: a meeting of the same panel the time was for."))
    category = forms.ChoiceField(choices=StaffTime.Category.choices, widget=forms.RadioSelect,
                                 label=_("What the time was spent on"))
    spent_on = DateField(widget=DATE, initial=timezone.localdate, label=_("Day"),
                               validators=[bounds.STAFF_TIME])
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=2,
                               widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
                               help_text=_("For example 1.5 for an hour and a half. At most 24."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           help_text=_("Optional: what it was, briefly."))
    user = StaffChoiceField(queryset=get_user_model().objects.none(), label=_("Whose time"),
                            empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = Panel.objects.exclude(status=Panel.Status.CLOSED).order_by("name")
        year_ago = timezone.now() - datetime.timedelta(days=365)
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(starts_at__gte=year_ago).exclude(panel__status=Panel.Status.CLOSED)
            .select_related("panel").order_by("panel__name", "-starts_at"))
        self.fields["user"].queryset = _staff_members()


class PeriodForm(forms.Form):
    """The period a page's totals cover, from the page's query: this quarter unless chosen.
    `shortcuts` are (label, start, end) of this quarter, last quarter and the last 12 months."""

    start = forms.DateField(widget=PICKER, label=_("From"))
    end = forms.DateField(widget=PICKER, label=_("To"))

    def __init__(self, query, *, today: datetime.date):
        this, last = quarter_of(today), previous_quarter(today)
        self.shortcuts = [(gettext("This quarter"), this.start, this.end),
                          (gettext("Last quarter"), last.start, last.end),
                          (gettext("Last 12 months"), today - datetime.timedelta(days=364), today)]
        chosen = "start" in query or "end" in query
        super().__init__(query if chosen else None, initial={"start": this.start, "end": this.end})

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The period chosen, or this quarter when none is (or the one chosen is wrong)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self.initial["start"], self.initial["end"]

    def clean(self):
        data = super().clean()
        bounds.STAFF_TIME_PERIOD.clean_form(self, "start", "end")
        return data


class RecruitmentRoundForm(forms.Form):
    post_title = forms.CharField(max_length=150, label=_("Post"),
                                 help_text=_("The job being recruited to, for example “Housing adviser”."))
    service = forms.ModelChoiceField(queryset=Service.objects.all(), required=False, label=_("Service"),
                                     empty_label=_("The whole organisation"))
    opens_on = DateField(widget=DATE, label=_("Opened on"), validators=[bounds.ROUND_OPENS])
    closes_on = DateField(widget=DATE, label=_("Closed on"), validators=[bounds.ROUND_CLOSES],
                                help_text=_("When the appointment was made or the round ended. The round "
                                          "counts towards the involvement rate from this date."))
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    stages = forms.MultipleChoiceField(choices=RecruitmentStage.Kind.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple, label=_("Stages planned"),
                                       help_text=_("You can add or cancel stages later."))

    def __init__(self, *args, with_stages: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_stages:
            del self.fields["stages"]

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", gettext("The round cannot close before it opens."))
        return data

    @staticmethod
    def initial_for(round_: RecruitmentRound) -> dict:
        return initial_from(round_, "post_title", "service", "opens_on", "closes_on", "notes")


class StageForm(forms.Form):
    kind = forms.ChoiceField(choices=RecruitmentStage.Kind.choices, label=_("Stage"))
    held_on = DateField(widget=DATE, required=False, label=_("Held on (if known)"),
                              validators=[bounds.STAGE_HELD])


class StageParticipantForm(forms.Form):
    partner = PartnerField(scope="current", required=False, label=_("A partner"))
    user = StaffChoiceField(queryset=get_user_model().objects.none(), required=False,
                            label=_("Or a member of staff"), empty_label=_("Choose a member of staff"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _staff_members()

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("partner")) == bool(data.get("user")):
            raise forms.ValidationError(gettext("Choose either a partner or a member of staff "
                                                "(one person at a time)."))
        return data


class InvolvementTargetForm(forms.Form):
    target = forms.DecimalField(min_value=0, max_value=100, max_digits=5, decimal_places=2,
                                label=_("Target (%)"),
                                widget=forms.NumberInput(attrs={"step": "1", "inputmode": "decimal"}),
                                help_text=_("The share of recruitment rounds a lived-experience partner "
                                          "should take part in. Between 0 and 100."))
