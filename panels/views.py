"""Views of the panels app: staff pages under /staff/, the partner's own pages under
/my/. Each view authorises, checks the form, calls one service, then redirects or
renders. Each feature keeps its own block."""

import datetime
from collections.abc import Callable
from copy import copy
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.db.models import Sum
from django.http import FileResponse
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coprod.access import partner_required
from coprod.access import role_required
from coprod.access import staff_or_trustee_required
from coprod.access import staff_required
from coprod.models import Notice
from coprod.models import Organisation
from coprod.notices import notice_mark_called
from coprod.roles import Role
from coprod.roles import is_staff_member
from coprod.roles import partner_for
from coprod.tables import table_response
from coprod.web import act
from coprod.web import act_on_form
from coprod.web import button
from coprod.web import form_page
from coprod.web import paginate
from coprod.web import submit
from coprod.web import turn_away
from participants.models import Partner
from participants.services import can_see_sensitive

from . import filters
from . import forms
from . import sections
from . import services
from .calendar import meeting_calendar
from .models import Attendance
from .models import Decision
from .models import FeedbackPoint
from .models import Meeting
from .models import MeetingPaper
from .models import Membership
from .models import Panel
from .models import Proposal
from .models import RecruitmentRound
from .models import RecruitmentStage
from .models import StaffTime
from .models import StageParticipant
from .rules import can_answer
from .tables import DecisionTable
from .tables import FeedbackTable
from .tables import MeetingTable
from .tables import PanelTable
from .tables import ProposalTable
from .tables import RecruitmentRoundTable
from .tables import StaffTimeTable

# --- Panels, memberships, meetings, papers and attendance ---

staff_or_partner_required = role_required(Role.STAFF, Role.PARTNER)


def get_panel_for_user(request: HttpRequest, pk: int) -> Panel:
    """A panel the signed-in person may see: staff any, a partner only the panels they
    are a member of now. Anything else answers 404."""
    panels = Panel.objects.visible_to(request.user).select_related("service", "area", "created_by")
    return get_object_or_404(panels, pk=pk)


def _meetings_for(request: HttpRequest):
    return Meeting.objects.visible_to(request.user).select_related("panel", "created_by")


def get_meeting_for_user(request: HttpRequest, pk: int) -> Meeting:
    """A meeting the signed-in person may see: staff any, a partner the meetings of their
    panels and any they were invited to. Anything else answers 404."""
    return get_object_or_404(_meetings_for(request), pk=pk)


def get_paper_for_user(request: HttpRequest, pk: int) -> MeetingPaper:
    """A paper of a meeting the signed-in person may see (see get_meeting_for_user)."""
    papers = MeetingPaper.objects.select_related("meeting__panel")
    return get_object_or_404(papers.filter(meeting__in=_meetings_for(request).values("pk")), pk=pk)


def _staff_get(request: HttpRequest, queryset, pk: int):
    """A record only staff may see: anyone else, like a record that is not there, gets 404."""
    if not is_staff_member(request.user):
        raise Http404
    return get_object_or_404(queryset, pk=pk)


def get_membership_for_user(request: HttpRequest, pk: int) -> Membership:
    return _staff_get(request, Membership.objects.select_related("panel", "partner", "user"), pk)


def get_own_attendance(request: HttpRequest, meeting_pk: int) -> Attendance:
    """The signed-in partner's own line on a meeting's register; 404 when they have none."""
    partner = partner_for(request.user)
    if partner is None:
        raise Http404
    return get_object_or_404(Attendance.objects.select_related("meeting__panel"),
                             meeting_id=meeting_pk, partner=partner)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _table_page(request: HttpRequest, table, *, filename: str, template: str, filter=None,
                **context) -> HttpResponse:
    """A staff list: `table` (filtered by `filter`, if any) downloaded when asked for (see
    coprod.tables.table_response), else shown on `template` with `context`."""
    if download := table_response(request, table, filename=filename):
        return download
    if filter is not None:
        context.update(filter=filter, filtered=any(value for name, value in request.GET.items()
                                                   if name in filter.filters))
    return render(request, template, {"table": table, "page_obj": table.page, **context})


def _changes_saved(changed) -> str:
    return _("Changes saved.") if changed else _("Nothing was changed.")


def _record_form(request: HttpRequest, form, save, *, page: str, name: str = "", record=None,
                 success: str | Callable = "") -> HttpResponse:
    """The form page (`panels/<page>_form.html`) that sets up a record (`record` None: then say
    `success`) or changes it (then say whether anything changed), `save(data)` calling the
    service; then the record's page (`panels:<page>_detail`). The template sees the record
    as `name` (`page` unless given)."""
    return form_page(
        request, form, save, template=f"panels/{page}_form.html", context={name or page: record},
        success=success if record is None else _changes_saved,
        done=lambda saved: redirect(f"panels:{page}_detail", pk=(saved if record is None else record).pk))


def _edit_view(load, make_form, update, *, page: str, name: str = ""):
    """The staff page changing a record (see `_record_form`): `load(request, pk)` finds it,
    `make_form(request, record)` is its form and `update(record, data, by)` calls the service."""

    @staff_required
    def edit(request: HttpRequest, pk: int) -> HttpResponse:
        record = load(request, pk)
        form = make_form(request, record)
        return _record_form(request, form, lambda data: update(record, data, request.user),
                            record=record, page=page, name=name)

    return edit


@staff_required
def panel_list(request: HttpRequest) -> HttpResponse:
    panels = Panel.objects.visible_to(request.user).for_list()
    panel_filter = filters.PanelFilter(request.GET or None, queryset=panels)
    return _table_page(request, PanelTable(panel_filter.qs), filename="panels",
                       template="panels/panel_list.html", filter=panel_filter)


@staff_required
def panel_create(request: HttpRequest) -> HttpResponse:
    form = forms.PanelForm(request.POST or None)
    return _record_form(request, form, lambda data: services.panel_create(data=data, by=request.user),
                        success=lambda panel: _("%(panel)s is set up. Now add its members.") % {
                            "panel": panel.name},
                        page="panel")


# The form works on a copy so the page keeps naming the panel as saved.
panel_edit = _edit_view(
    get_panel_for_user, lambda request, panel: forms.PanelForm(request.POST or None, instance=copy(panel)),
    lambda panel, data, by: services.panel_update(panel=panel, data=data, by=by), page="panel")


PAST_MEETINGS_SHOWN = 10


@staff_required
def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user(request, pk)
    memberships = panel.memberships.select_related("partner", "user").order_by("role", "joined_on", "pk")
    past = panel.meetings.over().for_list().order_by("-starts_at")
    return render(request, "panels/panel_detail.html", {
        "panel": panel,
        "members": memberships.current(),
        "former_members": memberships.filter(left_on__isnull=False).order_by("-left_on", "pk"),
        "upcoming": panel.meetings.not_over().for_list().order_by("starts_at"),
        "past": past[:PAST_MEETINGS_SHOWN],
        "past_count": past.count(),
        "end_form": forms.MembershipEndForm(),
        "can_change": panel.status != Panel.Status.CLOSED,
        "ladder_actions": panel.ladder_actions.with_links().overdue_first(),
        "action_link": f"panel={panel.pk}",
        "proposals": sections.panel_proposals(panel),
        "staff_time": sections.panel_staff_time(panel),
    })


@staff_required
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user(request, pk)
    form = forms.MembershipForm(request.POST or None)
    return form_page(
        request, form, lambda data: services.membership_add(panel=panel, by=request.user, **data),
        success=lambda membership: _("%(person)s joined %(panel)s as %(role)s.") % {
            "person": membership.person, "panel": panel.name, "role": membership.get_role_display().lower()},
        done=lambda _saved: redirect("panels:membership_add" if "another" in request.POST
                                else "panels:panel_detail", pk=panel.pk),
        template="panels/membership_form.html", context={"panel": panel})


@require_POST
@staff_required
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership_for_user(request, pk)
    form = forms.MembershipEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date they left the panel."))
    else:
        act(request, lambda: services.membership_end(membership=membership, by=request.user,
                                                     **form.cleaned_data),
            _("%(person)s left %(panel)s. What they did stays on the record.") % {
                "person": membership.person, "panel": membership.panel.name})
    return redirect("panels:panel_detail", pk=membership.panel_id)


# The form asks for a meeting's times as "starts" and "ends".
MEETING_TIMES = {"starts_at": "starts", "ends_at": "ends"}


@staff_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user(request, pk)
    form = forms.MeetingForm(request.POST or None)
    return form_page(
        request, form, lambda _data: services.meeting_schedule(
            panel=panel, data=form.meeting_data(), by=request.user, base_url=_base_url(request)),
        success=lambda meeting: _("Meeting scheduled. %(count)s members are on the register as invited and "
                                  "are told by e-mail (partners only if they agreed to be contacted).") % {
            "count": meeting.attendance.count()},
        done=lambda meeting: redirect("panels:meeting_detail", pk=meeting.pk),
        template="panels/meeting_form.html", context={"panel": panel, "meeting": None}, rename=MEETING_TIMES)


def _meeting_page(request: HttpRequest, meeting: Meeting, formset=None) -> HttpResponse:
    sensitive = can_see_sensitive(request.user)
    lines = meeting.attendance.for_register()
    if sensitive:
        lines = lines.prefetch_related("partner__access_needs")
    lines = list(lines)
    if formset is None:
        formset = forms.RegisterFormSet(
            initial=[{"line": line.pk, "status": line.status, "hours": line.hours} for line in lines],
            form_kwargs={"people": forms.register_people(lines)})
    # Pair each line with its form by the line's id (a re-shown form keeps what was posted).
    forms_by_line = {
        str(form.data.get(form.add_prefix("line")) if form.is_bound else form.initial.get("line")): form
        for form in formset.forms
    }
    return render(request, "panels/meeting_detail.html", {
        "meeting": meeting,
        "panel": meeting.panel,
        "register": [(line, forms_by_line.get(str(line.pk))) for line in lines],
        "formset": formset,
        "sensitive": sensitive,
        "papers": meeting.papers.select_related("uploaded_by"),
        "is_cancelled": meeting.status == Meeting.Status.CANCELLED,
        "can_cancel": meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at > timezone.now(),
        "can_record_not_held": (meeting.status == Meeting.Status.SCHEDULED
                                and meeting.starts_at <= timezone.now()),
        "call_list": Notice.objects.filter(topic=f"meeting:{meeting.pk}", channel=Notice.Channel.PHONE)
        .select_related("partner", "user", "done_by").order_by("status", "-created_at")[:CALLS_SHOWN],
    })


CALLS_SHOWN = 50


@require_POST
@staff_required
def call_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff rang someone on a meeting's call list."""
    notice = get_object_or_404(Notice, pk=pk, channel=Notice.Channel.PHONE, topic__startswith="meeting:")
    meeting = get_meeting_for_user(request, int(notice.topic.removeprefix("meeting:")))
    act(request, lambda: notice_mark_called(notice=notice, by=request.user),
        _("%(person)s is marked as rung.") % {"person": notice.partner or notice.user})
    return redirect("panels:meeting_detail", pk=meeting.pk)


@staff_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, get_meeting_for_user(request, pk))


@require_POST
@staff_required
def attendance_update(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    lines = {line.pk: line for line in meeting.attendance.select_related("partner", "user")}
    formset = forms.RegisterFormSet(request.POST,
                                    form_kwargs={"people": forms.register_people(lines.values())})
    if formset.is_valid():
        rows = [form.cleaned_data for form in formset.forms]
        if any(row["line"] not in lines for row in rows):
            return turn_away(request, "The register changed while you were recording it. "
                                      "Please check it again.", "panels:meeting_detail", pk=meeting.pk)
        try:
            changed = services.attendance_record_register(
                meeting=meeting, lines=[(lines[row["line"]], row["status"], row["hours"]) for row in rows],
                by=request.user,
            )
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, ngettext("Register saved: %(count)s line changed.",
                                               "Register saved: %(count)s lines changed.", changed) % {
                "count": changed} if changed else _("Register saved: nothing was changed."))
            return redirect("panels:meeting_detail", pk=meeting.pk)
    return _meeting_page(request, meeting, formset)


@staff_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    if meeting.status == Meeting.Status.CANCELLED:
        return turn_away(request, _("This meeting was cancelled; it can no longer be changed."),
                         "panels:meeting_detail", pk=meeting.pk)
    form = forms.MeetingEditForm(request.POST or None, initial=forms.MeetingEditForm.initial_for(meeting))
    def saved(changed: list[str]) -> str:
        told = set(changed) & set(services.NOTIFIED_MEETING_FIELDS) and meeting.status == "scheduled"
        return (_("Changes saved. The people invited are told by e-mail that the meeting has changed.")
                if told else _("Changes saved.")) if changed else _("Nothing was changed.")

    return form_page(
        request, form, lambda _data: services.meeting_update(
            meeting=meeting, data=form.meeting_data(), by=request.user, base_url=_base_url(request)),
        success=saved, done=reverse("panels:meeting_detail", args=[meeting.pk]),
        template="panels/meeting_form.html", context={"panel": meeting.panel, "meeting": meeting},
        rename=MEETING_TIMES)


@require_POST
@staff_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm you want to cancel the meeting."))
    else:
        act(request, lambda: services.meeting_cancel(meeting=meeting, by=request.user,
                                                     base_url=_base_url(request)),
            _("Meeting cancelled. The people invited are told by e-mail."))
    return redirect("panels:meeting_detail", pk=meeting.pk)


def _reason_page(request: HttpRequest, record, name: str, form_class, service, *, success: str,
                 template: str) -> HttpResponse:
    """A page asking why (a meeting not held, a decision archived): `form_class` takes the
    reason, `service(<name>=record, reason=..., by=...)` records it, and the record's page
    (`panels:<name>_detail`) follows."""
    form = form_class(request.POST or None)
    return form_page(request, form,
                     lambda data: service(**{name: record}, reason=data["reason"], by=request.user),
                     success=success, done=reverse(f"panels:{name}_detail", args=[record.pk]),
                     template=f"panels/{template}.html", context={name: record})


@staff_required
def meeting_not_held(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a meeting whose time has come did not take place, with the reason."""
    return _reason_page(request, get_meeting_for_user(request, pk), "meeting", forms.MeetingNotHeldForm,
                        services.meeting_record_not_held, template="meeting_not_held",
                        success=_("Recorded: the meeting did not take place. It no longer counts as held."))


@staff_required
def paper_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    form = forms.PaperForm(request.POST or None, request.FILES or None)
    return form_page(
        request, form, lambda data: services.paper_add(meeting=meeting, by=request.user, **data),
        success=lambda paper: _("“%(title)s” is shared with the members of %(panel)s.") % {
            "title": paper.title, "panel": meeting.panel.name},
        done=lambda _saved: redirect("panels:meeting_detail", pk=meeting.pk),
        template="panels/paper_form.html", context={"meeting": meeting})


@staff_or_partner_required
def paper_download(request: HttpRequest, pk: int) -> FileResponse:
    return _download(get_paper_for_user(request, pk).file, missing=_("The file of this paper is missing."))


def _download(file, *, missing: str) -> FileResponse:
    """A stored file as a download under its own name; 404 saying `missing` when it is gone."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404(missing) from None
    return FileResponse(handle, as_attachment=True, filename=file.name.rsplit("/", 1)[-1])


paper_remove = button(
    get_paper_for_user, lambda request, paper: services.paper_remove(paper=paper, by=request.user),
    lambda paper: _("“%(title)s” was removed.") % {"title": paper.title},
    lambda paper: reverse("panels:meeting_detail", args=[paper.meeting_id]))


MEETING_LISTS = {"upcoming": gettext_lazy("Coming up"), "past": gettext_lazy("Past meetings")}


@staff_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    when = request.GET.get("when", "upcoming")
    if when not in MEETING_LISTS:
        when = "upcoming"
    meetings = Meeting.objects.for_list()
    meetings = (meetings.not_over().order_by("starts_at", "pk") if when == "upcoming"
                else meetings.over().order_by("-starts_at", "-pk"))
    meeting_filter = filters.MeetingFilter(request.GET or None, queryset=meetings)
    table = MeetingTable(meeting_filter.qs)
    if download := table_response(request, table, filename=f"meetings-{when}"):
        return download
    return render(request, "panels/meeting_list.html", {
        "when": when,
        "lists": MEETING_LISTS.items(),
        "filter": meeting_filter,
        "table": table,
        "page_obj": table.page,
        "filtered": any(value for name, value in request.GET.items() if name in meeting_filter.filters),
    })


# Partner self-service


@partner_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request.user)
    meetings = Meeting.objects.visible_to_partner(partner).with_answer_of(partner).select_related("panel")
    past = meetings.over().order_by("-starts_at", "-pk")
    return render(request, "panels/my_meetings.html", {
        "partner": partner,
        "upcoming": meetings.not_over().order_by("starts_at", "pk"),
        "page_obj": paginate(request, past),
    })


@partner_required
def my_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    line = meeting.attendance.filter(partner=partner_for(request.user)).first()
    return render(request, "panels/my_meeting.html", {
        "meeting": meeting,
        "line": line,
        "can_answer": can_answer(meeting, line),
        "is_over": meeting.ends_at < timezone.now(),
        "is_cancelled": meeting.status == Meeting.Status.CANCELLED,
        "papers": meeting.papers.all(),
    })


@require_POST
@partner_required
def my_meeting_respond(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_own_attendance(request, pk)
    answer = request.POST.get("answer")
    if answer not in ("yes", "no"):
        return turn_away(request, _("Please press “Yes, I will come” or “No, I can't come”."),
                         "panels:my_meeting", pk=line.meeting_id)
    act(request, lambda: services.attendance_respond(attendance=line, confirm=answer == "yes",
                                                    by=request.user),
        _("Thank you. We have noted that you are coming.") if answer == "yes" else
        _("Thank you for letting us know. We have noted that you can't come."))
    return redirect("panels:my_meeting", pk=line.meeting_id)


@staff_or_partner_required
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    ics = meeting_calendar(meeting, sequence=meeting.history.count(), host=request.get_host().split(":")[0])
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def _members_prefetch() -> Prefetch:
    return Prefetch("panel__memberships", to_attr="current_members",
                    queryset=Membership.objects.current().select_related("partner", "user")
                    .order_by("role", "joined_on", "pk"))


@partner_required
def my_panels(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request.user)
    memberships = (Membership.objects.current().filter(partner=partner).select_related("panel")
                   .prefetch_related(_members_prefetch()).order_by("panel__name"))
    return render(request, "panels/my_panels.html", {"memberships": memberships})


@partner_required
def my_panel(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user(request, pk)
    partner = partner_for(request.user)
    meetings = panel.meetings.with_answer_of(partner)
    return render(request, "panels/my_panel.html", {
        "panel": panel,
        "membership": panel.memberships.current().filter(partner=partner).first(),
        "members": (panel.memberships.current().select_related("partner", "user")
                    .order_by("role", "joined_on", "pk")),
        "upcoming": meetings.not_over().order_by("starts_at"),
        "past": meetings.over().order_by("-starts_at")[:PAST_MEETINGS_SHOWN],
    })


# --- Proposals for challenge: "you said, we did" ---


def get_proposal_for_user(request: HttpRequest, pk: int) -> Proposal:
    """A proposal the signed-in person may see: staff any; a partner only proposals sent to
    a panel they belong to now. Anything else answers 404."""
    proposals = Proposal.objects.visible_to(request.user).select_related("panel", "owner")
    return get_object_or_404(proposals, pk=pk)


def get_point_for_user(request: HttpRequest, pk: int) -> FeedbackPoint:
    """A feedback point, for staff only (partners see their own on "You said, we did")."""
    return _staff_get(request, FeedbackPoint.objects.with_response().select_related("proposal__panel"), pk)


ATTENTION_SHOWN = 25


@staff_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    awaiting = FeedbackPoint.objects.awaiting_answer()
    return _table_page(request, ProposalTable(Proposal.objects.visible_to(request.user).for_list()),
                       filename="proposals", template="panels/proposal_list.html",
                       attention=awaiting[:ATTENTION_SHOWN], attention_count=awaiting.count(),
                       overdue_count=awaiting.filter(overdue=True).count(), today=timezone.localdate())


@staff_required
def proposal_create(request: HttpRequest) -> HttpResponse:
    initial = {"owner": request.user}
    if request.GET.get("panel", "").isdigit():
        initial["panel"] = request.GET["panel"]
    form = forms.ProposalForm(request.POST or None, request.FILES or None, initial=initial)
    return _record_form(request, form, lambda data: services.proposal_create(**data, by=request.user),
                        success=_("The proposal is saved as a draft. Check it, then send it to the panel."),
                        page="proposal")


proposal_edit = _edit_view(
    get_proposal_for_user, lambda request, proposal: forms.ProposalForm(
        request.POST or None, request.FILES or None, proposal=proposal,
        initial=forms.ProposalForm.initial_for(proposal)),
    lambda proposal, data, by: services.proposal_update(proposal=proposal, **data, by=by), page="proposal")


def _proposal_page(request: HttpRequest, proposal: Proposal, point_form=None) -> HttpResponse:
    points = list(proposal.points.with_response())
    answer_forms = {
        point.pk: forms.FeedbackResponseForm(auto_id=f"answer{point.pk}_%s")
        for point in points if not hasattr(point, "response")
    }
    return render(request, "panels/proposal_detail.html", {
        "proposal": proposal,
        "points": [(point, answer_forms.get(point.pk)) for point in points],
        "unanswered": len(answer_forms),
        "point_form": point_form or forms.FeedbackPointForm(proposal=proposal, auto_id="point_%s"),
        "decisions": proposal.decisions.in_log().select_related("rung"),
        "today": timezone.localdate(),
    })


@staff_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_page(request, get_proposal_for_user(request, pk))


proposal_send = button(
    get_proposal_for_user,
    lambda request, proposal: services.proposal_send_to_panel(proposal=proposal, by=request.user,
                                                              base_url=_base_url(request)),
    lambda proposal: _("Sent to %(panel)s. Members are told by e-mail (partners only if they agreed to be "
                       "contacted) and can add their points in their portal.") % {"panel": proposal.panel},
    "panels:proposal_detail")


@require_POST
@staff_required
def point_add(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    form = forms.FeedbackPointForm(request.POST, proposal=proposal, auto_id="point_%s")
    return form_page(request, form, lambda data: services.feedback_point_add(
        proposal=proposal, **data, by=request.user), success=_("Point recorded. It now needs an answer."),
        done=f"{reverse('panels:proposal_detail', args=[proposal.pk])}#points-heading",
        template=lambda form: _proposal_page(request, proposal, point_form=form))


@staff_required
def point_respond(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_point_for_user(request, pk)
    form = forms.FeedbackResponseForm(request.POST or None,
                                      initial=forms.FeedbackResponseForm.initial_for(point))
    def saved(_answer) -> str:
        left = point.proposal.points.unanswered().count()
        if left:
            return ngettext("Answer saved. %(count)s point still needs an answer.",
                            "Answer saved. %(count)s points still need an answer.", left) % {"count": left}
        return _("Answer saved. Every point now has an answer: the panel can see what we did. If it led "
                 "to a decision, log it.")

    return form_page(
        request, form, lambda data: services.feedback_respond(
            point=point, **data, by=request.user, base_url=_base_url(request)),
        success=saved, done=f"{reverse('panels:proposal_detail', args=[point.proposal_id])}#point-{point.pk}",
        template="panels/point_respond.html", context={"point": point})


@staff_or_partner_required
def proposal_document(request: HttpRequest, pk: int) -> FileResponse:
    proposal = get_proposal_for_user(request, pk)
    if not proposal.document:
        raise Http404(_("This proposal has no document."))
    return _download(proposal.document, missing=_("The document of this proposal is missing."))


@partner_required
def my_feedback(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request.user)
    return render(request, "panels/my_feedback.html", {
        "open_proposals": Proposal.objects.visible_to_partner(partner).open_for_points()
                          .select_related("panel").order_by("response_deadline", "pk"),
        "page_obj": paginate(request, FeedbackPoint.objects.raised_by_partner(partner)),
        "today": timezone.localdate(),
    })


@partner_required
def my_point_add(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    partner = partner_for(request.user)
    is_open = proposal.status == Proposal.Status.WITH_PANEL
    form = forms.MyPointForm(request.POST or None) if is_open else None
    if form is not None and submit(request, form, lambda data: services.feedback_point_add(
            proposal=proposal, text=data["text"], raised_by=partner, by=request.user)) is not None:
        if proposal.response_deadline >= timezone.localdate():
            thanks = _("Thank you. We have your point and will answer it by %(day)s.") % {
                "day": date_format(proposal.response_deadline, "j E Y")}
        else:
            thanks = _("Thank you. We have your point and will answer it as soon as we can.")
        messages.success(request, thanks)
        return redirect("panels:my_feedback")
    return render(request, "panels/my_point_add.html", {
        "proposal": proposal,
        "form": form,
        "my_points": proposal.points.filter(raised_by=partner).select_related("response"),
        "today": timezone.localdate(),
    })


# --- Decision log ---


def get_decision_for_user(request: HttpRequest, pk: int) -> Decision:
    """A decision, for staff and trustees (decisions hold no personal data); anyone else 404."""
    decisions = Decision.objects.visible_to(request.user).for_list()
    return get_object_or_404(decisions.select_related("recorded_by", "archived_by"), pk=pk)


def _decision_base(request: HttpRequest) -> str:
    """Staff read the log inside the staff portal; trustees on the plain layout."""
    return "staff_base.html" if is_staff_member(request.user) else "panels/_plain_base.html"


@staff_or_trustee_required
def decision_list(request: HttpRequest) -> HttpResponse:
    decision_filter = filters.DecisionFilter(request.GET or None,
                                             queryset=Decision.objects.visible_to(request.user).for_list())
    decisions = decision_filter.qs
    return _table_page(request, DecisionTable(decisions), filename="decisions",
                       template="panels/decision_list.html", filter=decision_filter,
                       base_template=_decision_base(request), is_staff=is_staff_member(request.user),
                       shaped_count=decisions.shaped_by_lived_experience().count())


@staff_or_trustee_required
def feedback_log(request: HttpRequest) -> HttpResponse:
    """Every answered point partners raised ("you said, we did"), quoted only where the
    partner agrees to quotes and never named: the full log the governance report links to."""
    points = FeedbackPoint.objects.answered_quotable(Partner.objects.consenting_to("quotes"))
    log_filter = filters.FeedbackLogFilter(request.GET or None, queryset=points)
    return _table_page(request, FeedbackTable(log_filter.qs), filename="feedback",
                       template="panels/feedback_log.html", filter=log_filter,
                       base_template=_decision_base(request))


@staff_or_trustee_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for_user(request, pk)
    return render(request, "panels/decision_detail.html", {
        "base_template": _decision_base(request),
        "is_staff": is_staff_member(request.user),
        "decision": decision,
        "ladder_actions": decision.ladder_actions.with_links().overdue_first(),
        "action_link": f"decision={decision.pk}",
    })


def _decision_initial(request: HttpRequest) -> dict:
    """A decision logged from a proposal's or a panel's page starts with what shaped it."""
    initial = {"decided_on": timezone.localdate()}
    proposal_pk, panel_pk = request.GET.get("proposal", ""), request.GET.get("panel", "")
    if proposal_pk.isdigit():
        proposal = get_proposal_for_user(request, int(proposal_pk))
        initial.update(shaped_by_proposal=proposal, shaped_by_panel=proposal.panel,
                       title=proposal.title, decided_by=Decision.DecidedBy.LEADERSHIP)
    elif panel_pk.isdigit():
        initial["shaped_by_panel"] = get_panel_for_user(request, int(panel_pk))
    return initial


@staff_required
def decision_create(request: HttpRequest) -> HttpResponse:
    form = forms.DecisionForm(request.POST or None, initial=_decision_initial(request))
    return _record_form(request, form, lambda data: services.decision_record(**data, by=request.user),
                        success=_("Decision logged."), page="decision")


decision_edit = _edit_view(
    get_decision_for_user, lambda request, decision: forms.DecisionForm(
        request.POST or None, decision=decision, initial=forms.DecisionForm.initial_for(decision)),
    lambda decision, data, by: services.decision_update(decision=decision, **data, by=by), page="decision")


@staff_required
def decision_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a decision logged by mistake out of the log, with the reason (it is never deleted)."""
    decision = get_decision_for_user(request, pk)
    if decision.is_archived:
        return turn_away(request, _("This decision is archived already."), "panels:decision_detail",
                         pk=decision.pk, level=messages.INFO)
    return _reason_page(request, decision, "decision", forms.DecisionArchiveForm, services.decision_archive,
                        success=_("Decision archived. It is kept, out of the log, the dashboard and "
                                  "reports."),
                        template="decision_archive")


decision_restore = button(
    get_decision_for_user,
    lambda request, decision: services.decision_restore(decision=decision, by=request.user),
    lambda decision: _("The decision is back in the log."), "panels:decision_detail")


# --- Protected staff time ---


@staff_required
def staff_time_list(request: HttpRequest) -> HttpResponse:
    form = forms.PeriodForm(request.GET, today=timezone.localdate())
    start, end = form.period()
    entries = StaffTime.objects.for_list().between(start, end)
    labels = dict(StaffTime.Category.choices)
    return _table_page(
        request, StaffTimeTable(entries), filename="staff-time", template="panels/staff_time_list.html",
        form=form, start=start, end=end, periods=form.shortcuts,
        total=entries.aggregate(hours=Sum("hours"))["hours"] or Decimal("0"),
        by_panel=entries.totals_by_panel(),
        by_category=[{**row, "label": labels[row["category"]]} for row in entries.totals_by_category()])


@staff_required
def staff_time_create(request: HttpRequest) -> HttpResponse:
    initial = {"user": request.user, "spent_on": timezone.localdate()}
    for name in ("panel", "meeting"):
        if request.GET.get(name, "").isdigit():
            initial[name] = request.GET[name]
    form = forms.StaffTimeForm(request.POST or None, initial=initial)
    return form_page(request, form, lambda data: services.staff_time_log(**data, by=request.user),
                     success=lambda entry: _("%(hours)s hours of %(category)s logged for %(panel)s.") % {
                         "hours": entry.hours, "category": entry.get_category_display().lower(),
                         "panel": entry.panel},
                     done="panels:staff_time_list", template="panels/staff_time_form.html")


# --- Recruitment rounds and the involvement rate ---


def get_round_for_user(request: HttpRequest, pk: int) -> RecruitmentRound:
    """A recruitment round with `involved`, for staff only; anyone else 404."""
    rounds = RecruitmentRound.objects.with_involvement().select_related("service", "created_by")
    return _staff_get(request, rounds, pk)


def get_stage_for_user(request: HttpRequest, pk: int) -> RecruitmentStage:
    return _staff_get(request, RecruitmentStage.objects.select_related("round"), pk)


@staff_required
def recruitment_list(request: HttpRequest) -> HttpResponse:
    involved, total, rate = RecruitmentRound.objects.involvement()
    target = Organisation.current().recruitment_involvement_target
    if rate is None:
        rate_tile = (_("No rounds yet"), _("No round has closed in the last 12 months."))
        against = (_("Not known yet"), "")
    else:
        rate_tile = (f"{rate.normalize():f}%", ngettext("%(involved)s of %(total)s round",
                                                        "%(involved)s of %(total)s rounds", total) % {
            "involved": involved, "total": total})
        gap = (target - rate).normalize()
        against = ((_("Met"), "") if rate >= target else
                   (_("Below target"), _("%(gap)s percentage points to go") % {"gap": f"{gap:f}"}))
    return _table_page(request, RecruitmentRoundTable(RecruitmentRound.objects.for_list()),
                       filename="recruitment-rounds", template="panels/recruitment_list.html", tiles=[
                           (_("Rounds with a partner involved, last 12 months"), *rate_tile),
                           (_("Our target"), f"{target.normalize():f}%", ""),
                           (_("Against the target"), *against)])


@staff_required
def recruitment_create(request: HttpRequest) -> HttpResponse:
    form = forms.RecruitmentRoundForm(request.POST or None)
    return _record_form(request, form,
                        lambda data: services.recruitment_round_create(**data, by=request.user),
                        success=_("Recruitment round saved. Now record who took part in each stage."),
                        page="recruitment", name="round")


recruitment_edit = _edit_view(
    get_round_for_user, lambda request, round_: forms.RecruitmentRoundForm(
        request.POST or None, with_stages=False, initial=forms.RecruitmentRoundForm.initial_for(round_)),
    lambda round_, data, by: services.recruitment_round_update(round_=round_, **data, by=by),
    page="recruitment", name="round")


@staff_required
def recruitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _recruitment_page(request, get_round_for_user(request, pk))


def _people_form(stage: RecruitmentStage, data=None) -> forms.StageParticipantForm:
    return forms.StageParticipantForm(data, auto_id=f"stage{stage.pk}_%s")


def _recruitment_page(request: HttpRequest, round_: RecruitmentRound,
                      sent: tuple[int, forms.StageParticipantForm] | None = None) -> HttpResponse:
    """The round's page; `sent` is a stage's add-a-person form that has a problem (several
    partners match what was typed, say), shown again under its stage with the problem."""
    stages = round_.stages.prefetch_related(
        Prefetch("participants", queryset=StageParticipant.objects.select_related("partner", "user")
                 .order_by("user", "pk")))
    today = timezone.localdate()
    return render(request, "panels/recruitment_detail.html", {
        "round": round_,
        "stages": [
            (stage, None if stage.cancelled
             else sent[1] if sent and sent[0] == stage.pk else _people_form(stage))
            for stage in stages
        ],
        "sent_form": sent[1] if sent else None,  # for the error summary at the top
        "stage_form": forms.StageForm(auto_id="stage_%s"),
        "counts_until": round_.closes_on + datetime.timedelta(days=364),
        "counting": ("later" if round_.closes_on > today else
                     "now" if today < round_.closes_on + datetime.timedelta(days=365) else "past"),
    })


@require_POST
@staff_required
def recruitment_stage_add(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request, pk)
    url = reverse("panels:recruitment_detail", args=[round_.pk])
    stage = act_on_form(request, forms.StageForm(request.POST),
                        lambda data: services.stage_set(round_=round_, **data, by=request.user),
                        lambda stage: _("%(stage)s stage saved.") % {"stage": stage.get_kind_display()},
                        # Translators: followed by what is wrong, e.g. "Choose a stage from the list."
                        refused=_("The stage was not saved: "))
    return redirect(f"{url}#stage-{stage.pk}" if stage else f"{url}#stages-heading")


@require_POST
@staff_required
def recruitment_stage_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_stage_for_user(request, pk)
    cancel = request.POST.get("cancelled") != "0"
    services.stage_set(round_=stage.round, kind=stage.kind, held_on=stage.held_on, cancelled=cancel,
                       by=request.user)
    if cancel:
        messages.success(request, _("The %(stage)s stage is marked as cancelled. Anyone recorded on it no "
                                    "longer counts towards involvement.") % {
            "stage": stage.get_kind_display().lower()})
    else:
        messages.success(request, _("The %(stage)s stage is back on.") % {
            "stage": stage.get_kind_display().lower()})
    return redirect(f"{reverse('panels:recruitment_detail', args=[stage.round_id])}#stage-{stage.pk}")


@require_POST
@staff_required
def stage_participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_stage_for_user(request, pk)
    form = _people_form(stage, request.POST)
    url = f"{reverse('panels:recruitment_detail', args=[stage.round_id])}#stage-{stage.pk}"
    if not form.is_valid():
        return _recruitment_page(request, stage.round, sent=(stage.pk, form))
    act(request, lambda: services.stage_participant_add(stage=stage, **form.cleaned_data, by=request.user),
        lambda added: _("%(person)s added to the %(stage)s stage.") % {
            "person": added.partner or added.user.get_full_name(), "stage": stage.get_kind_display().lower()},
        # Translators: followed by what is wrong.
        refused=_("Nobody was added: "))
    return redirect(url)


@require_POST
@staff_required
def stage_participant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _staff_get(request, StageParticipant.objects.select_related("stage", "partner", "user"), pk)
    person = participant.partner or participant.user.get_full_name()
    services.stage_participant_remove(participant=participant, by=request.user)
    stage = participant.stage.get_kind_display().lower()
    messages.success(request, _("%(person)s removed from the %(stage)s stage.") % {
        "person": person, "stage": stage})
    return redirect(f"{reverse('panels:recruitment_detail', args=[participant.stage.round_id])}"
                    f"#stage-{participant.stage_id}")


@staff_required
def involvement_target(request: HttpRequest) -> HttpResponse:
    organisation = Organisation.current()
    form = forms.InvolvementTargetForm(request.POST or None,
                                       initial={"target": organisation.recruitment_involvement_target})
    return form_page(
        request, form, lambda data: services.involvement_target_set(target=data["target"], by=request.user),
        success=lambda _saved: _("The involvement target is now %(target)s%%.") % {
            "target": f"{form.cleaned_data['target'].normalize():f}"},
        done="panels:recruitment_list", template="panels/involvement_target.html")
