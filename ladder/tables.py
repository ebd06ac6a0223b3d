"""The staff lists of the ladder: its rounds, its action plan, the ladders and the areas, as
sortable, downloadable tables (coprod/tables.py). The rounds list also serves trustees, who see
closed rounds only."""

import django_tables2 as tables
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatechars
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coprod.tables import NumberColumn
from coprod.tables import StaffTable
from coprod.tables import muted

from .models import Action
from .models import Area
from .models import Ladder
from .models import Round


def day(value) -> str:
    return date_filter(value, "j M Y")


class RoundTable(StaffTable):
    what = _("rounds")
    title = tables.Column(_("Round"))
    scope = tables.Column(_("What is assessed"), accessor="service__name", default=_("Whole organisation"))
    closing_date = tables.Column(_("Closing date"), accessor="closes_on")
    status = tables.Column(_("Status"))
    responded = NumberColumn(_("Responded"))
    results = tables.Column(_("Results"), accessor="pk", orderable=False, exclude_from_export=True)

    class Meta(StaffTable.Meta):
        model = Round
        fields = ()
        sequence = ("title", "scope", "closing_date", "status", "responded", "results")

    def __init__(self, *args, is_staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_staff = is_staff

    def render_title(self, record: Round, value: str) -> SafeString:
        if not self.is_staff:
            return value
        return format_html('<a href="{}">{}</a>', reverse("ladder:round_detail", args=[record.pk]), value)

    def render_closing_date(self, record: Round) -> SafeString:
        planned = ""
        if record.closed_at and record.closing_date != record.closes_on:
            planned = format_html(' <span class="small text-muted">{}</span>',
                                  gettext("(planned %(date)s)") % {"date": day(record.closes_on)})
        return format_html("{}{}", day(record.closing_date), planned)

    def value_closing_date(self, record: Round):
        return record.closing_date

    def render_status(self, record: Round) -> SafeString:
        return render_to_string("ladder/_round_status.html", {"round": record})

    def value_status(self, record: Round) -> str:
        return record.get_status_display()

    def render_responded(self, record: Round) -> str:
        return gettext("%(responded)s of %(invited)s") % {"responded": record.responded,
                                                          "invited": record.invited}

    def render_results(self, record: Round) -> SafeString:
        if record.status == Round.Status.DRAFT:
            return muted(gettext("Not open yet"))
        return format_html('<a href="{}">{}</a>', reverse("ladder:results", args=[record.pk]), format_html(
            gettext('Results<span class="visually-hidden"> of {round}</span>'), round=record.title))


class ActionTable(StaffTable):
    what = _("actions")
    description = tables.TemplateColumn(
        '{% with action=record %}{{ action.description|linebreaksbr }}'
        '{% include "ladder/_action_links.html" %}{% endwith %}',
        verbose_name=_("Action"), extra_context={"user_roles": ["staff"]})
    area = tables.Column(_("Area"), accessor="area__name")
    owner = tables.Column(_("Owner"), default=_("Nobody"), order_by=("owner__full_name",))
    due_on = tables.Column(_("Due"))
    status = tables.Column(_("Status"))
    change = tables.Column(_("Change"), accessor="pk", orderable=False, exclude_from_export=True)

    class Meta(StaffTable.Meta):
        model = Action
        fields = ()
        sequence = ("description", "area", "owner", "due_on", "status", "change")
        row_attrs = {"class": lambda record: "action-overdue" if record.overdue else ""}

    def value_description(self, value: str) -> str:
        return value

    def render_due_on(self, record: Action) -> SafeString:
        overdue = format_html(' <span class="badge text-bg-danger">{}</span>', gettext("Overdue"))
        return format_html("{}{}", day(record.due_on), overdue if record.overdue else "")

    def value_due_on(self, value):
        return value

    def render_change(self, record: Action) -> SafeString:
        return format_html('<a href="{}">{}</a>', reverse("ladder:action_edit", args=[record.pk]),
                           format_html(gettext('Change<span class="visually-hidden"> action: {action}'
                                               '</span>'), action=truncatechars(record.description, 40)))


class LadderTable(StaffTable):
    """The ladders (`rung_count` and `round_count` annotated); the current one is marked, the
    others have a button that makes them current."""

    what = _("ladders")
    name = tables.Column(_("Ladder"))
    rung_count = NumberColumn(_("Steps"))
    round_count = NumberColumn(_("Rounds run"))
    is_current = tables.Column(_("Current"))

    class Meta(StaffTable.Meta):
        model = Ladder
        fields = ()
        sequence = ("name", "rung_count", "round_count", "is_current")
        empty_text = _("There are no ladders yet.")

    def __init__(self, *args, csrf_token: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.csrf_token = csrf_token

    def render_name(self, record: Ladder) -> SafeString:
        return format_html('<a href="{}">{}</a>', reverse("ladder:ladder_detail", args=[record.pk]),
                           record.name)

    def render_is_current(self, record: Ladder) -> SafeString:
        if record.is_current:
            return format_html("<strong>{}</strong>", gettext("Current ladder"))
        return format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="btn btn-sm btn-outline-primary">{}'
            '<span class="visually-hidden">: {}</span></button></form>',
            reverse("ladder:ladder_make_current", args=[record.pk]), self.csrf_token,
            gettext("Use for new rounds"),
            record.name)

    def value_is_current(self, record: Ladder) -> str:
        return gettext("Yes") if record.is_current else gettext("No")


class AreaTable(StaffTable):
    """The co-production areas in the order they are asked (`round_count` annotated)."""

    what = _("areas")
    order = NumberColumn(_("Order"))
    name = tables.Column(_("Area"))
    description = tables.Column(_("What it covers"), default="")
    is_active = tables.Column(_("Offered for new rounds"))
    round_count = NumberColumn(_("Rounds"))
    change = tables.Column(_("Change"), accessor="pk", orderable=False, exclude_from_export=True)

    class Meta(StaffTable.Meta):
        model = Area
        fields = ()
        sequence = ("order", "name", "description", "is_active", "round_count", "change")
        empty_text = _("There are no co-production areas yet.")

    def render_is_active(self, record: Area) -> str:
        return self.value_is_active(record)

    def value_is_active(self, record: Area) -> str:
        return gettext("Yes") if record.is_active else gettext("No")

    def render_change(self, record: Area) -> SafeString:
        return format_html('<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
                           reverse("ladder:area_edit", args=[record.pk]), gettext("Change"), record.name)
