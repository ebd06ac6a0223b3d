"""The staff lists of panels, meetings, decisions, staff time and recruitment rounds as
sortable, downloadable tables (coprod/tables.py). Decisions name no partners; the same table serves
trustees."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.formats import time_format
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coprod.tables import NUMBER
from coprod.tables import NumberColumn
from coprod.tables import StaffTable
from coprod.tables import muted

from .models import Decision
from .models import FeedbackPoint
from .models import Meeting
from .models import Panel
from .models import Proposal
from .models import RecruitmentRound
from .models import StaffTime

# A greyed-out empty cell, in the language of the page that shows it.
muted_lazy = lazy(muted, SafeString)


class PanelTable(StaffTable):
    what = _("panels")
    name = tables.TemplateColumn(
        '<a href="{% url "panels:panel_detail" record.pk %}">{{ record.name }}</a>'
        '{% if record.area %}<br><span class="small text-muted">{{ record.area }}</span>{% endif %}',
        verbose_name=_("Panel"))
    area = tables.Column(_("Area"), visible=False, default="")
    kind = tables.Column(_("Kind"))
    service = tables.Column(_("Service"), accessor="service__name", default=_("All services"))
    status = tables.TemplateColumn('{% include "panels/_panel_status.html" with panel=record %}',
                                   verbose_name=_("Status"))
    starts_on = tables.DateColumn("j M Y", verbose_name=_("Starts"))
    ends_on = tables.DateColumn("j M Y", verbose_name=_("Ends"), default=_("ongoing"))
    member_count = NumberColumn(_("Members"))
    next_meeting_at = tables.DateTimeColumn("D j M Y, H:i", verbose_name=_("Next meeting"),
                                            default=muted_lazy(_("None scheduled")))

    class Meta(StaffTable.Meta):
        model = Panel
        fields = ()
        sequence = ("name", "area", "kind", "service", "status", "starts_on", "ends_on", "member_count",
                    "next_meeting_at")

    def value_name(self, record: Panel) -> str:
        return record.name

    def value_status(self, record: Panel) -> str:
        return record.get_status_display()

    def value_next_meeting_at(self, value):
        return value or ""


class MeetingTable(StaffTable):
    what = _("meetings")
    # Written by render_starts_at and render_title rather than as template columns: a template
    # column compiles its template again for every cell, most of the list's time.
    starts_at = tables.Column(_("When"), empty_values=())
    ends_at = tables.DateTimeColumn(verbose_name=_("Ends"), visible=False)
    title = tables.Column(_("Meeting"), empty_values=())
    status = tables.Column(_("Status"), visible=False)
    panel = tables.Column(_("Panel"), accessor="panel__name")
    format = tables.Column(_("Format"))
    invited_count = NumberColumn(_("On the register"))
    confirmed_count = NumberColumn(_("Coming"))
    attended_count = NumberColumn(_("Attended"))
    paper_count = NumberColumn(_("Papers"))

    class Meta(StaffTable.Meta):
        model = Meeting
        fields = ()
        sequence = ("starts_at", "ends_at", "title", "status", "panel", "format", "invited_count",
                    "confirmed_count", "attended_count", "paper_count")

    def render_starts_at(self, record: Meeting) -> SafeString:
        starts, ends = timezone.localtime(record.starts_at), timezone.localtime(record.ends_at)
        # Translators: a meeting's start and end times in the list of meetings, e.g. "10:00 to 12:00".
        times = gettext("%(start)s to %(end)s") % {"start": time_format(starts, "H:i"),
                                                   "end": time_format(ends, "H:i")}
        return format_html('{}<br><span class="small">{}</span>', date_format(starts, "D j M Y"), times)

    def render_title(self, record: Meeting) -> SafeString:
        cancelled = format_html(' <span class="badge status-badge meeting-cancelled">{}</span>',
                                gettext("Cancelled"))
        return format_html('<a href="{}">{}</a>{}', reverse("panels:meeting_detail", args=[record.pk]),
                           record.title, cancelled if record.status == Meeting.Status.CANCELLED else "")

    def value_starts_at(self, record: Meeting):
        return record.starts_at

    def value_title(self, record: Meeting) -> str:
        return record.title


class DecisionTable(StaffTable):
    what = _("decisions")
    title = tables.TemplateColumn(
        '{% load i18n %}<a href="{% url "panels:decision_detail" record.pk %}">{{ record.title }}</a>'
        '{% if not record.is_public %}<br><span class="badge internal">{% translate "Internal" %}'
        '</span>{% endif %}{% if record.is_archived %}<br><span class="badge text-bg-secondary">'
        '{% translate "Archived" %}</span>{% endif %}',
        verbose_name=_("Decision"))
    is_public = tables.BooleanColumn(_("Public"), visible=False)
    decided_on = tables.DateColumn("j M Y", verbose_name=_("Date"))
    decided_by = tables.Column(_("Decided by"))
    service = tables.Column(_("Service"), accessor="service__name", default=_("Whole organisation"))
    rung = tables.Column(_("Ladder rung"), default=muted_lazy(_("Not placed")))
    shaped_by = tables.TemplateColumn(
        '{% load i18n %}{% if record.shaped_by_proposal %}{{ record.shaped_by_proposal }}<br>'
        '<span class="small text-muted">{{ record.shaped_by_panel }}</span>{% elif record.shaped_by_panel %}'
        '{{ record.shaped_by_panel }}{% else %}<span class="text-muted">{% translate "No panel" %}</span>'
        '{% endif %}',
        verbose_name=_("Shaped by"), order_by=("shaped_by_panel__name", "shaped_by_proposal__title"))
    how_shaped = tables.Column(_("How lived experience shaped it"), visible=False)
    implementation = tables.Column(_("Implementation"))

    class Meta(StaffTable.Meta):
        model = Decision
        fields = ()
        sequence = ("title", "is_public", "decided_on", "decided_by", "service", "rung", "shaped_by",
                    "how_shaped", "implementation")

    def value_title(self, record: Decision) -> str:
        return record.title

    def value_rung(self, record: Decision) -> str:
        return str(record.rung) if record.rung else ""

    def value_is_public(self, value: bool) -> str:
        return gettext("Yes") if value else gettext("No (internal)")

    def value_shaped_by(self, record: Decision) -> str:
        return "; ".join(str(part) for part in (record.shaped_by_panel, record.shaped_by_proposal) if part)


class FeedbackTable(StaffTable):
    """"You said, we did": quotes only from partners who agreed to quotes, never a name."""

    what = _("points")
    answered_on = tables.DateColumn("j M Y", verbose_name=_("Answered"), accessor="response__responded_at",
                                    order_by=("response__responded_at",))
    panel = tables.Column(_("Panel"), accessor="proposal__panel__name")
    proposal = tables.Column(_("Proposal"), accessor="proposal__title")
    text = tables.Column(_("You said"))
    outcome = tables.Column(_("Outcome"), accessor="response__outcome")
    response = tables.Column(_("We did"), accessor="response__response")

    class Meta(StaffTable.Meta):
        model = FeedbackPoint
        fields = ()
        sequence = ("answered_on", "panel", "proposal", "text", "outcome", "response")

    def render_outcome(self, record: FeedbackPoint) -> str:
        return record.response.get_outcome_display()

    def value_outcome(self, record: FeedbackPoint) -> str:
        return record.response.get_outcome_display()

    def value_answered_on(self, record: FeedbackPoint):
        return timezone.localdate(record.response.responded_at)


class ProposalTable(StaffTable):
    what = _("proposals")
    title = tables.TemplateColumn(
        '<a href="{% url "panels:proposal_detail" record.pk %}">{{ record.title }}</a>',
        verbose_name=_("Proposal"))
    panel = tables.Column(_("Panel"), accessor="panel__name")
    owner = tables.Column(_("Owner"), accessor="owner__full_name", default="")
    response_deadline = tables.DateColumn("j M Y", verbose_name=_("Answers due"))
    point_count = tables.TemplateColumn(
        '{% load i18n %}{{ record.point_count }}{% if record.unanswered_count %} <span class="small">'
        '{% blocktranslate trimmed with count=record.unanswered_count %}({{ count }} unanswered)'
        '{% endblocktranslate %}</span>{% endif %}', verbose_name=_("Points"))
    unanswered_count = tables.Column(_("Unanswered"), visible=False)
    status = tables.TemplateColumn('{% include "panels/_proposal_status.html" with proposal=record %}',
                                   verbose_name=_("Status"))

    class Meta(StaffTable.Meta):
        model = Proposal
        fields = ()
        sequence = ("title", "panel", "owner", "response_deadline", "point_count", "unanswered_count",
                    "status")

    def render_response_deadline(self, record: Proposal, value) -> str:
        overdue = record.unanswered_count and value < timezone.localdate()
        badge = format_html('<br><span class="badge overdue">{}</span>',
                            gettext("Overdue")) if overdue else ""
        return format_html("{}{}", date_format(value, "j M Y"), badge)

    def value_title(self, record: Proposal) -> str:
        return record.title

    def value_point_count(self, record: Proposal) -> int:
        return record.point_count

    def value_status(self, record: Proposal) -> str:
        return record.get_status_display()


class StaffTimeTable(StaffTable):
    what = _("time entries")
    spent_on = tables.DateColumn("j M Y", verbose_name=_("Day"))
    user = tables.Column(_("Who"), accessor="user__get_full_name",
                         order_by=("user__full_name",))
    panel = tables.Column(_("Panel"), accessor="panel__name")
    meeting = tables.TemplateColumn(
        '{% load i18n %}{% if record.meeting %}<a href="{% url "panels:meeting_detail" record.meeting_id %}">'
        '{{ record.meeting.title }}</a>{% else %}<span class="text-muted">{% translate "None" %}</span>'
        '{% endif %}',
        verbose_name=_("Meeting"), order_by=("meeting__starts_at",))
    category = tables.Column(_("Spent on"))
    hours = tables.TemplateColumn('{{ record.hours|floatformat:"-2" }}', verbose_name=_("Hours"),
                                  attrs=NUMBER)
    note = tables.Column(_("Note"), default="")

    class Meta(StaffTable.Meta):
        model = StaffTime
        fields = ()
        sequence = ("spent_on", "user", "panel", "meeting", "category", "hours", "note")

    def value_meeting(self, record: StaffTime) -> str:
        return record.meeting.title if record.meeting else ""

    def value_hours(self, record: StaffTime):
        return record.hours


class RecruitmentRoundTable(StaffTable):
    what = _("recruitment rounds")
    post_title = tables.TemplateColumn(
        '<a href="{% url "panels:recruitment_detail" record.pk %}">{{ record.post_title }}</a>',
        verbose_name=_("Post"))
    service = tables.Column(_("Service"), accessor="service__name", default=_("Whole organisation"))
    opens_on = tables.DateColumn("j M Y", verbose_name=_("Opened"))
    closes_on = tables.DateColumn("j M Y", verbose_name=_("Closed"))
    stage_count = NumberColumn(_("Stages held"))
    partner_count = NumberColumn(_("Partners involved"))
    involved = tables.TemplateColumn(
        '{% load i18n %}{% if record.involved %}<span class="badge involved-yes">{% translate "Yes" %}</span>'
        '{% else %}<span class="badge involved-no">{% translate "No" %}</span>{% endif %}',
        verbose_name=_("Involved"))

    class Meta(StaffTable.Meta):
        model = RecruitmentRound
        fields = ()
        sequence = ("post_title", "service", "opens_on", "closes_on", "stage_count", "partner_count",
                    "involved")

    def value_post_title(self, record: RecruitmentRound) -> str:
        return record.post_title

    def value_involved(self, value: bool) -> str:
        return gettext("Yes") if value else gettext("No")
