"""The staff lists of panels, meetings, decisions, staff time and recruitment rounds as
sortable, downloadable tables (coprod/tables.py). Decisions name no partners; the same table serves
trustees."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.formats import time_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

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


class PanelTable(StaffTable):
    what = "panels"
    name = tables.TemplateColumn(
        '<a href="{% url "panels:panel_detail" record.pk %}">{{ record.name }}</a>'
        '{% if record.area %}<br><span class="small text-muted">{{ record.area }}</span>{% endif %}',
        verbose_name="Panel")
    area = tables.Column("Area", visible=False, default="")
    kind = tables.Column("Kind")
    service = tables.Column("Service", accessor="service__name", default="All services")
    status = tables.TemplateColumn('{% include "panels/_panel_status.html" with panel=record %}',
                                   verbose_name="Status")
    starts_on = tables.DateColumn("j M Y", verbose_name="Starts")
    ends_on = tables.DateColumn("j M Y", verbose_name="Ends", default="ongoing")
    member_count = NumberColumn("Members")
    next_meeting_at = tables.DateTimeColumn("D j M Y, H:i", verbose_name="Next meeting",
                                            default=muted("None scheduled"))

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
    what = "meetings"
    # Written by render_starts_at and render_title rather than as template columns: a template
    # column compiles its template again for every cell, most of the list's time.
    starts_at = tables.Column("When", empty_values=())
    ends_at = tables.DateTimeColumn(verbose_name="Ends", visible=False)
    title = tables.Column("Meeting", empty_values=())
    status = tables.Column("Status", visible=False)
    panel = tables.Column("Panel", accessor="panel__name")
    format = tables.Column("Format")
    invited_count = NumberColumn("On the register")
    confirmed_count = NumberColumn("Coming")
    attended_count = NumberColumn("Attended")
    paper_count = NumberColumn("Papers")

    class Meta(StaffTable.Meta):
        model = Meeting
        fields = ()
        sequence = ("starts_at", "ends_at", "title", "status", "panel", "format", "invited_count",
                    "confirmed_count", "attended_count", "paper_count")

    def render_starts_at(self, record: Meeting) -> SafeString:
        starts, ends = timezone.localtime(record.starts_at), timezone.localtime(record.ends_at)
        return format_html('{}<br><span class="small">{} to {}</span>', date_format(starts, "D j M Y"),
                           time_format(starts, "H:i"), time_format(ends, "H:i"))

    def render_title(self, record: Meeting) -> SafeString:
        cancelled = format_html(' <span class="badge status-badge meeting-cancelled">{}</span>', "Cancelled")
        return format_html('<a href="{}">{}</a>{}', reverse("panels:meeting_detail", args=[record.pk]),
                           record.title, cancelled if record.status == Meeting.Status.CANCELLED else "")

    def value_starts_at(self, record: Meeting):
        return record.starts_at

    def value_title(self, record: Meeting) -> str:
        return record.title


class DecisionTable(StaffTable):
    what = "decisions"
    title = tables.TemplateColumn(
        '<a href="{% url "panels:decision_detail" record.pk %}">{{ record.title }}</a>'
        '{% if not record.is_public %}<br><span class="badge internal">Internal</span>{% endif %}'
        '{% if record.is_archived %}<br><span class="badge text-bg-secondary">Archived</span>{% endif %}',
        verbose_name="Decision")
    is_public = tables.BooleanColumn("Public", visible=False)
    decided_on = tables.DateColumn("j M Y", verbose_name="Date")
    decided_by = tables.Column("Decided by")
    service = tables.Column("Service", accessor="service__name", default="Whole organisation")
    rung = tables.Column("Ladder rung", default=muted("Not placed"))
    shaped_by = tables.TemplateColumn(
        '{% if record.shaped_by_proposal %}{{ record.shaped_by_proposal }}<br><span class="small text-muted">'
        '{{ record.shaped_by_panel }}</span>{% elif record.shaped_by_panel %}{{ record.shaped_by_panel }}'
        '{% else %}<span class="text-muted">No panel</span>{% endif %}',
        verbose_name="Shaped by", order_by=("shaped_by_panel__name", "shaped_by_proposal__title"))
    how_shaped = tables.Column("How lived experience shaped it", visible=False)
    implementation = tables.Column("Implementation")

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
        return "Yes" if value else "No (internal)"

    def value_shaped_by(self, record: Decision) -> str:
        return "; ".join(str(part) for part in (record.shaped_by_panel, record.shaped_by_proposal) if part)


class FeedbackTable(StaffTable):
    """"You said, we did": quotes only from partners who agreed to quotes, never a name."""

    what = "points"
    answered_on = tables.DateColumn("j M Y", verbose_name="Answered", accessor="response__responded_at",
                                    order_by=("response__responded_at",))
    panel = tables.Column("Panel", accessor="proposal__panel__name")
    proposal = tables.Column("Proposal", accessor="proposal__title")
    text = tables.Column("You said")
    outcome = tables.Column("Outcome", accessor="response__outcome")
    response = tables.Column("We did", accessor="response__response")

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
    what = "proposals"
    title = tables.TemplateColumn(
        '<a href="{% url "panels:proposal_detail" record.pk %}">{{ record.title }}</a>',
        verbose_name="Proposal")
    panel = tables.Column("Panel", accessor="panel__name")
    owner = tables.Column("Owner", accessor="owner__full_name", default="")
    response_deadline = tables.DateColumn("j M Y", verbose_name="Answers due")
    point_count = tables.TemplateColumn(
        '{{ record.point_count }}{% if record.unanswered_count %} <span class="small">'
        '({{ record.unanswered_count }} unanswered)</span>{% endif %}', verbose_name="Points")
    unanswered_count = tables.Column("Unanswered", visible=False)
    status = tables.TemplateColumn('{% include "panels/_proposal_status.html" with proposal=record %}',
                                   verbose_name="Status")

    class Meta(StaffTable.Meta):
        model = Proposal
        fields = ()
        sequence = ("title", "panel", "owner", "response_deadline", "point_count", "unanswered_count",
                    "status")

    def render_response_deadline(self, record: Proposal, value) -> str:
        overdue = record.unanswered_count and value < timezone.localdate()
        badge = format_html('<br><span class="badge overdue">{}</span>', "Overdue") if overdue else ""
        return format_html("{}{}", date_format(value, "j M Y"), badge)

    def value_title(self, record: Proposal) -> str:
        return record.title

    def value_point_count(self, record: Proposal) -> int:
        return record.point_count

    def value_status(self, record: Proposal) -> str:
        return record.get_status_display()


class StaffTimeTable(StaffTable):
    what = "time entries"
    spent_on = tables.DateColumn("j M Y", verbose_name="Day")
    user = tables.Column("Who", accessor="user__get_full_name",
                         order_by=("user__full_name",))
    panel = tables.Column("Panel", accessor="panel__name")
    meeting = tables.TemplateColumn(
        '{% if record.meeting %}<a href="{% url "panels:meeting_detail" record.meeting_id %}">'
        '{{ record.meeting.title }}</a>{% else %}<span class="text-muted">None</span>{% endif %}',
        verbose_name="Meeting", order_by=("meeting__starts_at",))
    category = tables.Column("Spent on")
    hours = tables.TemplateColumn('{{ record.hours|floatformat:"-2" }}', verbose_name="Hours", attrs=NUMBER)
    note = tables.Column("Note", default="")

    class Meta(StaffTable.Meta):
        model = StaffTime
        fields = ()
        sequence = ("spent_on", "user", "panel", "meeting", "category", "hours", "note")

    def value_meeting(self, record: StaffTime) -> str:
        return record.meeting.title if record.meeting else ""

    def value_hours(self, record: StaffTime):
        return record.hours


class RecruitmentRoundTable(StaffTable):
    what = "recruitment rounds"
    post_title = tables.TemplateColumn(
        '<a href="{% url "panels:recruitment_detail" record.pk %}">{{ record.post_title }}</a>',
        verbose_name="Post")
    service = tables.Column("Service", accessor="service__name", default="Whole organisation")
    opens_on = tables.DateColumn("j M Y", verbose_name="Opened")
    closes_on = tables.DateColumn("j M Y", verbose_name="Closed")
    stage_count = NumberColumn("Stages held")
    partner_count = NumberColumn("Partners involved")
    involved = tables.TemplateColumn(
        '{% if record.involved %}<span class="badge involved-yes">Yes</span>'
        '{% else %}<span class="badge involved-no">No</span>{% endif %}', verbose_name="Involved")

    class Meta(StaffTable.Meta):
        model = RecruitmentRound
        fields = ()
        sequence = ("post_title", "service", "opens_on", "closes_on", "stage_count", "partner_count",
                    "involved")

    def value_post_title(self, record: RecruitmentRound) -> str:
        return record.post_title

    def value_involved(self, value: bool) -> str:
        return "Yes" if value else "No"
