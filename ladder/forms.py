import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coprod import bounds
from coprod.dates import DateField
from coprod.dates import DayMonthYear
from coprod.models import Service
from coprod.widgets import NameSelect
from panels.models import Decision
from panels.models import Membership
from panels.models import Panel
from participants.models import Partner
from participants.models import PartnerQuerySet
from participants.partner_field import PartnerField

from .models import Action
from .models import Area
from .models import Ladder
from .models import Round

DATE = DayMonthYear()


def _staff_users():
    return get_user_model().objects.filter(is_staff_member=True, is_active=True).order_by("full_name")


def _partner_label(partner: Partner) -> str:
    if partner.preferred_name and partner.preferred_name != partner.full_name:
        return f"{partner.full_name} ({partner.preferred_name})"
    return partner.full_name


class LinkedPanelField(forms.ModelChoiceField):
    def label_from_instance(self, panel: Panel) -> str:
        if panel.status == Panel.Status.CLOSED:
            return gettext("%(panel)s (closed)") % {"panel": panel.name}
        return panel.name


class LinkedDecisionField(forms.ModelChoiceField):
    def label_from_instance(self, decision: Decision) -> str:
        return f"{decision.title} ({date_format(decision.decided_on, 'j M Y')})"


class ChosenPartnersField(forms.MultipleChoiceField):
    """Partners' numbers; the form checks each (`RoundForm.clean_partners`), with a message
    that says what is wrong, rather than only against the few partners listed."""

    def valid_value(self, value) -> bool:
        return True


ALL_ACTIVE = "active"
PANEL_GROUP = "panel-"


def _invitable() -> PartnerQuerySet:
    """The partners a round may invite: active, and with a record that was not erased."""
    return Partner.objects.current().filter(status=Partner.Status.ACTIVE)


class RoundForm(forms.Form):
    """A new round, or a change to one. Partners are invited by group ("all active partners",
    "the partners on panel X"), one by one with the type-ahead partner field, or both; the
    partners already chosen are listed as ticked boxes, so unticking one removes them.

    "Add this partner" (`adding=True`) sends the form only to add the partner typed to the
    list: nothing is saved, and only the partner field is checked."""

    title = forms.CharField(max_length=150, label=_("Title"),
                            help_text=_("For example: Spring 2026 self-assessment."))
    service = forms.ModelChoiceField(
        Service.objects.all(), required=False, empty_label=_("Whole organisation"),
        label=_("What is assessed"),
        help_text=_("The whole organisation, or one service. Results are compared with the last round of the "
                    "same scope."),
    )
    ladder = forms.ModelChoiceField(Ladder.objects.all(), empty_label=None, label=_("Ladder"),
                                    help_text=_("The organisation's current ladder is chosen for you."))
    areas = forms.ModelMultipleChoiceField(
        Area.objects.active(), widget=forms.CheckboxSelectMultiple, label=_("Co-production areas"),
        help_text=_("People answer one area per screen."),
    )
    closes_on = DateField(label=_("Closing date"), widget=DATE, validators=[bounds.LADDER_CLOSES],
                          help_text=_("The last day people can give or change their answers: from "
                                      "today to a year ahead."))
    staff = forms.ModelMultipleChoiceField(
        _staff_users(), widget=forms.CheckboxSelectMultiple, required=False, label=_("Invite staff"),
    )
    partner_groups = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, required=False, label=_("Invite partners by group"),
        help_text=_("Only the active partners of a group are invited."),
    )
    partners = ChosenPartnersField(
        widget=forms.CheckboxSelectMultiple, required=False, label=_("Partners invited one by one"),
        help_text=_("Untick a partner to take them off the round."),
    )
    add_partner = PartnerField(scope="current", required=False, label=_("Invite a partner by name"),
                               help_text=_("Type part of their name, preferred name or e-mail address, "
                                           "then choose “Add this partner”. Staff can enter answers for "
                                           "partners who do not sign in."))

    def __init__(self, *args, round: Round | None = None, adding: bool = False, **kwargs):
        self.round = round
        self.adding = adding
        if round is not None:  # Editing: the round as it is.
            invited = list(round.respondents.all())
            kwargs["initial"] = {
                "title": round.title, "closes_on": round.closes_on, "areas": round.areas.all(),
                "staff": [r.user_id for r in invited if r.user_id],
                "partners": [str(r.partner_id) for r in invited if r.partner_id],
            }
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = _staff_users()
        self.fields["partner_groups"].choices = [(ALL_ACTIVE, gettext("All active partners"))] + [
            (f"{PANEL_GROUP}{panel.pk}", gettext("Partners on %(panel)s") % {"panel": panel.name})
            for panel in Panel.objects.exclude(status=Panel.Status.CLOSED).only("pk", "name").order_by("name")
        ]
        self.fields["partners"].choices = self._chosen_partner_choices()
        if adding:  # Only the partner typed counts: nothing is saved, so nothing else is required.
            for name, field in self.fields.items():
                field.required = name == "add_partner"
            self.fields["add_partner"].error_messages = {
                **self.fields["add_partner"].error_messages,
                "required": gettext("Type part of the partner's name, preferred name or e-mail address."),
            }
        if round is None:
            current = Ladder.current()
            if current:
                self.fields["ladder"].initial = current.pk
            return
        # Editing: scope and ladder are fixed.
        del self.fields["service"], self.fields["ladder"]
        self.fields["areas"].queryset = Area.objects.filter(
            Q(is_active=True) | Q(rounds=round)
        ).distinct()
        if round.status != Round.Status.DRAFT:
            self.fields["areas"].disabled = True
            self.fields["areas"].help_text = gettext("The areas are fixed once the round has opened.")

    def _chosen_ids(self) -> list[int]:
        if self.is_bound:
            values = self.data.getlist(self.add_prefix("partners")) if hasattr(self.data, "getlist") \
                else self.data.get(self.add_prefix("partners"), [])
        else:
            values = self.initial.get("partners", [])
        return [int(value) for value in values if str(value).isdigit()]

    def _chosen_partner_choices(self) -> list[tuple[str, str]]:
        """Only the partners already chosen are listed (a list of every partner is unusable)."""
        ids = self._chosen_ids()
        partners = Partner.objects.filter(pk__in=ids).only("pk", "full_name", "preferred_name")
        return [(str(p.pk), _partner_label(p)) for p in sorted(partners, key=lambda p: (p.full_name, p.pk))]

    def _already_invited(self) -> set[int]:
        if self.round is None:
            return set()
        return set(self.round.respondents.filter(partner__isnull=False).values_list("partner_id", flat=True))

    def _check_invitable(self, partner: Partner, already: set[int]) -> None:
        if partner.pk in already:  # Already invited: they stay, whatever has changed since.
            return
        if partner.is_erased:
            raise ValidationError(gettext("A partner whose record was erased cannot be invited."),
                                  code="erased")
        if partner.status != Partner.Status.ACTIVE:
            raise ValidationError(
                gettext("%(name)s cannot be invited: only active partners can be (they are %(status)s).")
                % {"name": partner.full_name, "status": partner.get_status_display().lower()},
                code="inactive")

    def clean_partners(self) -> list[Partner]:
        values = self.cleaned_data.get("partners") or []
        already = self._already_invited()
        ids = []
        for value in values:
            if not str(value).isdigit():
                raise ValidationError(gettext("“%(value)s” is not a partner."), code="unknown",
                                      params={"value": value})
            ids.append(int(value))
        found = {p.pk: p for p in Partner.objects.filter(pk__in=ids)}
        for pk in ids:
            if pk not in found:
                raise ValidationError(gettext("There is no partner number %(number)s."),
                                      code="unknown", params={"number": pk})
            self._check_invitable(found[pk], already)
        return [found[pk] for pk in dict.fromkeys(ids)]

    def clean_add_partner(self) -> Partner | None:
        partner = self.cleaned_data.get("add_partner")
        if partner is not None:
            self._check_invitable(Partner.objects.get(pk=partner.pk), self._already_invited())
        return partner

    def clean(self):
        data = super().clean()
        chosen = list(data.get("partners") or [])
        added = data.pop("add_partner", None)
        if added is not None and added.pk not in {p.pk for p in chosen}:
            chosen.append(added)
        groups = data.pop("partner_groups", [])
        if groups:
            from_groups = _invitable()
            if ALL_ACTIVE not in groups:
                panels = [int(g.removeprefix(PANEL_GROUP)) for g in groups]
                from_groups = from_groups.filter(
                    memberships__panel__in=panels, memberships__in=Membership.objects.current()).distinct()
            have = {p.pk for p in chosen}
            chosen += [p for p in from_groups.order_by("full_name", "pk") if p.pk not in have]
        data["partners"] = chosen
        return data

    def with_added_partner(self) -> "RoundForm":
        """After "Add this partner" (a valid form in `adding` mode): the form again, with that
        partner ticked on the list and the partner field empty, nothing saved."""
        data = self.data.copy()
        ids = [str(p.pk) for p in self.cleaned_data["partners"]]
        data.setlist(self.add_prefix("partners"), ids)
        for name in ("add_partner", "add_partner_find"):
            data.pop(self.add_prefix(name), None)
        form = RoundForm(data, round=self.round, adding=True)
        form.fields["add_partner"].required = False
        form.full_clean()
        return form


class AnswerForm(forms.Form):
    """One area of the answer flow: the rung (big radio buttons), evidence and a next step."""

    rung = forms.ModelChoiceField(
        queryset=None, widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": _("Choose the step of the ladder you think we are on."),
                        "invalid_choice": _("Choose one of the steps of the ladder shown.")},
    )
    evidence = forms.CharField(
        label=_("What makes you say so?"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Something that happened, or something you noticed. You can leave this empty."),
    )
    next_step = forms.CharField(
        label=_("What would be a realistic next step?"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One thing we could do to move up a step. You can leave this empty."),
    )

    def __init__(self, *args, rungs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rung"].queryset = rungs


class LadderForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Name"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                  label=_("Description"))


class RungForm(forms.Form):
    rung = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(max_length=80, label=_("Name"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Description"),
                                  help_text=_("What this step means, in plain English."))
    example = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Example"),
                              help_text=_("What it looks like in practice."))


RungFormSet = forms.formset_factory(RungForm, extra=0)


class AreaForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Name"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  label=_("Description"))
    order = forms.IntegerField(min_value=0, max_value=999, initial=0, label=_("Order"),
                               help_text=_("Areas are listed in this order (smallest first)."))
    is_active = forms.BooleanField(label=_("Offered for new rounds"), required=False, initial=True,
                                   help_text=_("Untick to stop offering it. Rounds that used it keep it."))

    def __init__(self, *args, area: Area | None = None, **kwargs):
        """A new area, or (`area`) a change to one."""
        if area is not None:
            kwargs["initial"] = {"name": area.name, "description": area.description, "order": area.order,
                                 "is_active": area.is_active}
        super().__init__(*args, **kwargs)
        if area is None:
            del self.fields["is_active"]


class ActionForm(forms.Form):
    area = forms.ModelChoiceField(Area.objects.all(), empty_label=_("Choose an area"), label=_("Area"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("What will be done"))
    owner = forms.ModelChoiceField(_staff_users(), empty_label=_("Choose a staff member"), label=_("Owner"),
                                   help_text=_("The staff member who makes sure it happens."))
    due_on = DateField(label=_("Due date"), widget=DATE, validators=[bounds.ACTION_DUE])
    status = forms.ChoiceField(choices=Action.Status.choices, initial=Action.Status.NOT_STARTED,
                               label=_("Status"))
    round = forms.ModelChoiceField(Round.objects.exclude(status=Round.Status.DRAFT), required=False,
                                   empty_label=_("Not from a round"), label=_("Assessment round"))
    panel = LinkedPanelField(
        Panel.objects.order_by("name"), required=False, empty_label=_("No panel"), label=_("Linked panel"),
        help_text=_("The panel that takes this step forward or checks on it."),
    )
    decision = LinkedDecisionField(
        Decision.objects.in_log().order_by("-decided_on", "title"), required=False,
        empty_label=_("No decision"),
        label=_("Linked decision"), help_text=_("A decision in the decision log that this step carries out."),
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
                                     empty_label=_("Whole organisation"), label=_("Show rounds for"),
                                     widget=NameSelect)


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Action.Status.choices, empty_label=_("Any status"),
                                         label=_("Status"))
    area = django_filters.ModelChoiceFilter(queryset=Area.objects.all(), empty_label=_("Any area"),
                                            label=_("Area"))
    round = django_filters.ModelChoiceFilter(queryset=Round.objects.exclude(status=Round.Status.DRAFT),
                                             empty_label=_("Any round"), label=_("Round"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Only overdue actions"),
                                           widget=forms.CheckboxInput)

    class Meta:
        model = Action
        fields = ["status", "area", "round"]

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset
