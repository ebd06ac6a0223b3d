"""Choosing a partner by typing, instead of from a drop-down of every partner.

Staff type part of a name, preferred name or e-mail address (`Partner.objects.matching`).
Without JavaScript the form is simply sent: exactly one match is that partner; none is an
error; several are shown again as radio buttons to choose from. With JavaScript, htmx asks
`participants:partner_suggest` for suggestions as they type (a listbox, picked with the
arrow keys and Enter, or a click).

Which partners a form offers is a named *scope* (`SCOPES`): the field and the suggestions
use the same one, so the suggestions never offer someone the form would refuse."""

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Partner
from .models import PartnerQuerySet

SCOPES: dict[str, Callable[[], PartnerQuerySet]] = {
    # Everyone who has not left and has not been erased.
    "current": lambda: Partner.objects.current(),
    # Everyone whose record has not been erased, including those who have left.
    "not_erased": lambda: Partner.objects.filter(erased_at__isnull=True),
}

MOST_SHOWN = 20  # partners offered as radio buttons after sending the form
MOST_SUGGESTED = 10  # suggestions while typing
TEXT_MAX = 150  # as long as a partner's full name may be


def partners_in(scope: str) -> PartnerQuerySet:
    return SCOPES[scope]().only("pk", "full_name", "preferred_name", "email")


def suggestions(scope: str, text: str) -> list[Partner]:
    """At most MOST_SUGGESTED partners of `scope` matching `text` (nothing for under two letters)."""
    text = text.strip()[:TEXT_MAX]
    if scope not in SCOPES or len(text) < 2:
        return []
    return list(partners_in(scope).matching(text).order_by("full_name", "pk")[:MOST_SUGGESTED])


@dataclass
class Found:
    text: str = ""
    partner: Partner | None = None
    candidates: list = dataclass_field(default_factory=list)
    too_many: bool = False


def find(queryset: PartnerQuerySet, chosen: str, text: str) -> Found:
    """What `chosen` (a partner's number, from the radio buttons, a suggestion or a link) and
    `text` (what was typed) come to. A chosen partner counts only while they still match the
    text, so changing the text after choosing searches again."""
    text = text.strip()
    if chosen.isdigit():
        partners = queryset.filter(pk=int(chosen))
        if text:
            partners = partners.matching(text)
        partner = partners.first()
        if partner is not None:
            return Found(text=text or partner.full_name, partner=partner)
    if not text:
        return Found()
    candidates = list(queryset.matching(text).order_by("full_name", "pk")[:MOST_SHOWN + 1])
    if len(candidates) == 1:
        return Found(text=text, partner=candidates[0])
    return Found(text=text, candidates=candidates[:MOST_SHOWN], too_many=len(candidates) > MOST_SHOWN)


class PartnerWidget(forms.Widget):
    """A text box (`<name>_find`) and the chosen partner's number (`<name>`): a hidden input,
    or radio buttons when several partners match what was typed."""

    template_name = "participants/widgets/partner.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.scope = "current"

    def value_from_datadict(self, data, files, name) -> tuple[str, str]:
        return (str(data.get(name) or ""), str(data.get(f"{name}_find") or ""))

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and f"{name}_find" not in data

    def format_value(self, value) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        if isinstance(value, Partner):
            return (str(value.pk), "")
        return ("" if value is None else str(value), "")

    def id_for_label(self, id_):
        return id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen, text = context["widget"]["value"]
        found = find(partners_in(self.scope), chosen, text[:TEXT_MAX])
        widget_attrs = context["widget"]["attrs"]
        widget_id = widget_attrs.get("id") or f"id_{name}"
        context["widget"].update({
            "find_name": f"{name}_find",
            "text": found.partner.full_name if found.partner else text,
            "partner": found.partner,
            "candidates": found.candidates,
            "too_many": found.too_many,
            "most": MOST_SHOWN,
            "invalid": "is-invalid" in widget_attrs.get("class", ""),
            "list_id": f"{widget_id}_suggestions",
            "suggest_url": reverse("participants:partner_suggest"),
            "scope": self.scope,
            "text_max": TEXT_MAX,
        })
        return context


class PartnerField(forms.Field):
    """One partner, found by typing. `scope` names the partners it offers (see `SCOPES`)."""

    widget = PartnerWidget
    default_error_messages = {
        "required": _("Type part of the partner's name, preferred name or e-mail address."),
        "none": _("No partner matches ‘%(text)s’. Check the spelling or search by e-mail."),
        "several": _("%(count)s partners match ‘%(text)s’. Choose one of them."),
        "too_many": _("More than %(most)s partners match ‘%(text)s’. Type more of their name, "
                    "or their e-mail address."),
        "gone": _("That partner cannot be chosen here. Type part of their name to find them."),
        "too_long": _("Type at most %(most)s characters."),
    }

    def __init__(self, *, scope: str = "current", **kwargs):
        if scope not in SCOPES:
            raise ValueError(f"Unknown partner scope {scope!r}: one of {', '.join(SCOPES)}.")
        kwargs.setdefault("help_text", _("Type part of their name, preferred name or e-mail address."))
        super().__init__(**kwargs)
        self.scope = scope
        self.widget.scope = scope

    @property
    def queryset(self) -> PartnerQuerySet:
        return partners_in(self.scope)

    def clean(self, value) -> Partner | None:
        chosen, text = value if isinstance(value, tuple) else (str(value or ""), "")
        text = text.strip()
        if len(text) > TEXT_MAX:
            raise ValidationError(self.error_messages["too_long"], code="too_long",
                                  params={"most": TEXT_MAX})
        found = find(self.queryset, chosen, text)
        if found.partner is not None:
            return found.partner
        if not text:
            if chosen:
                raise ValidationError(self.error_messages["gone"], code="gone")
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if found.too_many:
            raise ValidationError(self.error_messages["too_many"], code="too_many",
                                  params={"most": MOST_SHOWN, "text": text})
        if found.candidates:
            raise ValidationError(self.error_messages["several"], code="several",
                                  params={"count": len(found.candidates), "text": text})
        raise ValidationError(self.error_messages["none"], code="none", params={"text": text})

    def has_changed(self, initial, data) -> bool:
        initial_pk = str(initial.pk if isinstance(initial, Partner) else initial or "")
        chosen, text = data if isinstance(data, tuple) else (str(data or ""), "")
        return bool(text.strip()) or chosen != initial_pk
