import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from coprod import bounds
from coprod.dates import DateField
from coprod.dates import DayMonthYear
from coprod.models import Service
from coprod.widgets import NameSelect
from panels.models import Decision
from panels.models import Panel
from participants.models import Partner

from .models import Action
from .models import Area
from .models import Ladder
from .models import Round

DATE = DayMonthYear()


def _staff_users():
    return get_user_model().objects.filter(is_staff_member=True, is_active=True).order_by("full_name")


class PartnerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, partner: Partner) -> str:
        if partner.preferred_name and partner.preferred_name != partner.full_name:
            return f"{partner.full_name} ({partner.preferred_name})"
        return partner.full_name


class LinkedPanelField(forms.ModelChoiceField):
    def label_from_instance(self, panel: Panel) -> str:
        return f"{panel.name} (closed)" if panel.status == Panel.Status.CLOSED else panel.name


class LinkedDecisionField(forms.ModelChoiceField):
    def label_from_instance(self, decision: Decision) -> str:
        return f"{decision.title} ({decision.decided_on:%-d %b %Y})"


class RoundForm(forms.Form):
    title = forms.CharField(max_length=150, help_text="For example: Spring 2026 self-assessment.")
    service = forms.ModelChoiceField(
        Service.objects.all(), required=False, empty_label="Whole organisation", label="What is assessed",
        help_text="The whole organisation, or one service. Results are compared with the last round of the "
                  "same scope.",
    )
    ladder = forms.ModelChoiceField(Ladder.objects.all(), empty_label=None,
                                    help_text="The organisation's current ladder is chosen for you.")
    areas = forms.ModelMultipleChoiceField(
        Area.objects.active(), widget=forms.CheckboxSelectMultiple, label="Co-production areas",
        help_text="People answer one area per screen.",
    )
    closes_on = DateField(label="Closing date", widget=DATE, validators=[bounds.LADDER_CLOSES],
                                help_text="The last day people can give or change their answers: from "
                                          "today to a year ahead.")
    staff = forms.ModelMultipleChoiceField(
        _staff_users(), widget=forms.CheckboxSelectMultiple, required=False, label="Invite staff",
    )
    partners = PartnerChoiceField(
        Partner.objects.none(), widget=forms.CheckboxSelectMultiple, required=False, label="Invite partners",
        help_text="Active partners. Staff can enter answers for partners who do not sign in.",
    )

    def __init__(self, *args, round: Round | None = None, **kwargs):
        if round is not None:  # Editing: the round as it is.
            invited = list(round.respondents.all())
            kwargs["initial"] = {
                "title": round.title, "closes_on": round.closes_on, "areas": round.areas.all(),
                "staff": [r.user_id for r in invited if r.user_id],
                "partners": [r.partner_id for r in invited if r.partner_id],
            }
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = _staff_users()
        partners = Partner.objects.current().filter(status=Partner.Status.ACTIVE)
        if round is None:
            self.fields["partners"].queryset = partners
            current = Ladder.current()
            if current:
                self.fields["ladder"].initial = current.pk
            return
        # Editing: scope and ladder are fixed; already-invited people stay in the lists.
        del self.fields["service"], self.fields["ladder"]
        invited = round.respondents.values("partner")
        self.fields["partners"].queryset = Partner.objects.filter(
            Q(pk__in=partners.values("pk")) | Q(pk__in=invited)
        ).order_by("full_name")
        self.fields["areas"].queryset = Area.objects.filter(
            Q(is_active=True) | Q(rounds=round)
        ).distinct()
        if round.status != Round.Status.DRAFT:
            self.fields["areas"].disabled = True
            self.fields["areas"].help_text = "The areas are fixed once the round has opened."


class AnswerForm(forms.Form):
    """One area of the answer flow: the rung (big radio buttons), evidence and a next step."""

    rung = forms.ModelChoiceField(
        queryset=None, widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": "Choose the step of the ladder you think we are on.",
                        "invalid_choice": "Choose one of the steps of the ladder shown."},
    )
    evidence = forms.CharField(
        label="What makes you say so?", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Something that happened, or something you noticed. You can leave this empty.",
    )
    next_step = forms.CharField(
        label="What would be a realistic next step?", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One thing we could do to move up a step. You can leave this empty.",
    )

    def __init__(self, *args, rungs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rung"].queryset = rungs


class LadderForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RungForm(forms.Form):
    rung = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(max_length=80)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text="What this step means, in plain English.")
    example = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                              help_text="What it looks like in practice.")


RungFormSet = forms.formset_factory(RungForm, extra=0)


class AreaForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    order = forms.IntegerField(min_value=0, max_value=999, initial=0,
                               help_text="Areas are listed in this order (smallest first).")
    is_active = forms.BooleanField(label="Offered for new rounds", required=False, initial=True,
                                   help_text="Untick to stop offering it. Rounds that used it keep it.")

    def __init__(self, *args, area: Area | None = None, **kwargs):
        """A new area, or (`area`) a change to one."""
        if area is not None:
            kwargs["initial"] = {"name": area.name, "description": area.description, "order": area.order,
                                 "is_active": area.is_active}
        super().__init__(*args, **kwargs)
        if area is None:
            del self.fields["is_active"]


class ActionForm(forms.Form):
    area = forms.ModelChoiceField(Area.objects.all(), empty_label="Choose an area")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What will be done")
    owner = forms.ModelChoiceField(_staff_users(), empty_label="Choose a staff member",
                                   help_text="The staff member who makes sure it happens.")
    due_on = DateField(label="Due date", widget=DATE, validators=[bounds.ACTION_DUE])
    status = forms.ChoiceField(choices=Action.Status.choices, initial=Action.Status.NOT_STARTED)
    round = forms.ModelChoiceField(Round.objects.exclude(status=Round.Status.DRAFT), required=False,
                                   empty_label="Not from a round", label="Assessment round")
    panel = LinkedPanelField(
        Panel.objects.order_by("name"), required=False, empty_label="No panel", label="Linked panel",
        help_text="The panel that takes this step forward or checks on it.",
    )
    decision = LinkedDecisionField(
        Decision.objects.in_log().order_by("-decided_on", "title"), required=False, empty_label="No decision",
        label="Linked decision", help_text="A decision in the decision log that this step carries out.",
    )

    def __init__(self, *args, editing: bool = False, action: Action | None = None, **kwargs):
        """A new action, or a change to one: `action`, or its values as `initial` with `editing`."""
        if action is not None:
            editing = True
            kwargs["initial"] = {"area": action.area_id, "description": action.description,
                                 "owner": action.owner_id, "due_on": action.due_on, "status": action.status,
                                 "panel": action.panel_id, "decision": action.decision_id}
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff_users()
        if editing:
            del self.fields["round"]
            # An action keeps the decision it carries out even after that decision is archived.
            linked = self.initial.get("decision")
            if linked:
                self.fields["decision"].queryset = (
                    Decision.objects.in_log() | Decision.objects.filter(pk=linked)
                ).order_by("-decided_on", "title")


class TrendForm(forms.Form):
    service = forms.ModelChoiceField(Service.objects.only("pk", "name"), required=False,
                                     empty_label="Whole organisation", label="Show rounds for",
                                     widget=NameSelect)


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Action.Status.choices, empty_label="Any status")
    area = django_filters.ModelChoiceFilter(queryset=Area.objects.all(), empty_label="Any area")
    round = django_filters.ModelChoiceFilter(queryset=Round.objects.exclude(status=Round.Status.DRAFT),
                                             empty_label="Any round", label="Round")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Only overdue actions",
                                           widget=forms.CheckboxInput)

    class Meta:
        model = Action
        fields = ["status", "area", "round"]

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset
