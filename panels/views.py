"""Views of the panels app: staff pages under /staff/, the partner's own pages under
/my/. Each view authorises, checks the form, calls one service, then redirects or
renders. Each feature keeps its own block."""

from copy import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coprod.roles import Role, is_staff_member, partner_for, partner_required, role_required, staff_required
from participants.services import can_see_sensitive

from . import filters, forms, services
from .calendar import meeting_calendar
from .models import Attendance, Meeting, MeetingPaper, Membership, Panel

# --- Panels, memberships, meetings, papers and attendance ---

staff_or_partner_required = role_required(Role.STAFF, Role.PARTNER)


def get_panel_for_user(request: HttpRequest, pk: int) -> Panel:
    """A panel the signed-in person may see: staff any, a partner only the panels they
    are a member of now. Anything else answers 404."""
    panels = Panel.objects.select_related("service", "area", "created_by")
    if not is_staff_member(request.user):
        partner = partner_for(request.user)
        panels = panels.for_partner(partner) if partner else panels.none()
    return get_object_or_404(panels, pk=pk)


def _meetings_for(request: HttpRequest):
    meetings = Meeting.objects.select_related("panel", "created_by")
    if is_staff_member(request.user):
        return meetings
    partner = partner_for(request.user)
    return meetings.visible_to_partner(partner) if partner else meetings.none()


def get_meeting_for_user(request: HttpRequest, pk: int) -> Meeting:
    """A meeting the signed-in person may see: staff any, a partner the meetings of their
    panels and any they were invited to. Anything else answers 404."""
    return get_object_or_404(_meetings_for(request), pk=pk)


def get_paper_for_user(request: HttpRequest, pk: int) -> MeetingPaper:
    """A paper of a meeting the signed-in person may see (see get_meeting_for_user)."""
    papers = MeetingPaper.objects.select_related("meeting__panel")
    return get_object_or_404(papers.filter(meeting__in=_meetings_for(request).values("pk")), pk=pk)


def get_membership_for_user(request: HttpRequest, pk: int) -> Membership:
    if not is_staff_member(request.user):
        raise Http404
    return get_object_or_404(Membership.objects.select_related("panel", "partner", "user"), pk=pk)


def get_own_attendance(request: HttpRequest, meeting_pk: int) -> Attendance:
    """The signed-in partner's own line on a meeting's register; 404 when they have none."""
    partner = partner_for(request.user)
    if partner is None:
        raise Http404
    return get_object_or_404(Attendance.objects.select_related("meeting__panel"),
                             meeting_id=meeting_pk, partner=partner)


def _add_errors(form, error: ValidationError, rename: dict | None = None) -> None:
    """Show a service's ValidationError on the form: beside its field when the form has it."""
    rename = rename or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = rename.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@staff_required
def panel_list(request: HttpRequest) -> HttpResponse:
    panel_filter = filters.PanelFilter(request.GET or None, queryset=Panel.objects.for_list())
    filtered = any(value for name, value in request.GET.items() if name in panel_filter.filters)
    return render(request, "panels/panel_list.html", {
        "filter": panel_filter,
        "page_obj": Paginator(panel_filter.qs, 25).get_page(request.GET.get("page")),
        "query": _query_without_page(request),
        "filtered": filtered,
    })


@staff_required
def panel_create(request: HttpRequest) -> HttpResponse:
    form = forms.PanelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            panel = services.panel_create(data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{panel.name} is set up. Now add its members.")
            return redirect("panels:panel_detail", pk=panel.pk)
    return render(request, "panels/panel_form.html", {"form": form, "panel": None})


@staff_required
def panel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user(request, pk)
    # The form works on a copy so the page keeps naming the panel as saved.
    form = forms.PanelForm(request.POST or None, instance=copy(panel))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.panel_update(panel=panel, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Changes saved." if changed else "Nothing was changed.")
            return redirect("panels:panel_detail", pk=panel.pk)
    return render(request, "panels/panel_form.html", {"form": form, "panel": panel})


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
    })


@staff_required
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user(request, pk)
    form = forms.MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(panel=panel, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{membership.person} joined {panel.name} as "
                                      f"{membership.get_role_display().lower()}.")
            if "another" in request.POST:
                return redirect("panels:membership_add", pk=panel.pk)
            return redirect("panels:panel_detail", pk=panel.pk)
    return render(request, "panels/membership_form.html", {"form": form, "panel": panel})


@require_POST
@staff_required
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership_for_user(request, pk)
    form = forms.MembershipEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the date they left the panel.")
    else:
        try:
            services.membership_end(membership=membership, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{membership.person} left {membership.panel.name}. "
                                      "What they did stays on the record.")
    return redirect("panels:panel_detail", pk=membership.panel_id)


@staff_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_panel_for_user(request, pk)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(panel=panel, data=form.meeting_data(), by=request.user,
                                                base_url=_base_url(request))
        except ValidationError as error:
            _add_errors(form, error, rename={"starts_at": "starts", "ends_at": "ends"})
        else:
            messages.success(request, f"Meeting scheduled. {meeting.attendance.count()} members are on the "
                                      "register as invited and are told by e-mail (partners only if they "
                                      "agreed to be contacted).")
            return redirect("panels:meeting_detail", pk=meeting.pk)
    return render(request, "panels/meeting_form.html", {"form": form, "panel": panel, "meeting": None})


def _meeting_page(request: HttpRequest, meeting: Meeting, formset=None) -> HttpResponse:
    sensitive = can_see_sensitive(request.user)
    lines = meeting.attendance.for_register()
    if sensitive:
        lines = lines.prefetch_related("partner__access_needs")
    lines = list(lines)
    if formset is None:
        formset = forms.RegisterFormSet(
            initial=[{"line": line.pk, "status": line.status, "hours": line.hours} for line in lines],
            form_kwargs={"people": {line.pk: str(line.partner or line.user) for line in lines}},
        )
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
    })


@staff_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, get_meeting_for_user(request, pk))


@require_POST
@staff_required
def attendance_update(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    lines = {line.pk: line for line in meeting.attendance.select_related("partner", "user")}
    formset = forms.RegisterFormSet(
        request.POST,
        form_kwargs={"people": {pk: str(line.partner or line.user) for pk, line in lines.items()}},
    )
    if formset.is_valid():
        rows = [form.cleaned_data for form in formset.forms]
        if any(row["line"] not in lines for row in rows):
            messages.error(request, "The register changed while you were recording it. "
                                    "Please check it again.")
            return redirect("panels:meeting_detail", pk=meeting.pk)
        try:
            changed = services.attendance_record_register(
                meeting=meeting, lines=[(lines[row["line"]], row["status"], row["hours"]) for row in rows],
                by=request.user,
            )
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, f"Register saved: {changed} line{'' if changed == 1 else 's'} changed."
                             if changed else "Register saved: nothing was changed.")
            return redirect("panels:meeting_detail", pk=meeting.pk)
    return _meeting_page(request, meeting, formset)


@staff_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    if meeting.status == Meeting.Status.CANCELLED:
        messages.error(request, "This meeting was cancelled; it can no longer be changed.")
        return redirect("panels:meeting_detail", pk=meeting.pk)
    form = forms.MeetingEditForm(request.POST or None, initial=forms.MeetingEditForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.meeting_update(meeting=meeting, data=form.meeting_data(), by=request.user,
                                              base_url=_base_url(request))
        except ValidationError as error:
            _add_errors(form, error, rename={"starts_at": "starts", "ends_at": "ends"})
        else:
            told = set(changed) & set(services.NOTIFIED_MEETING_FIELDS) and meeting.status == "scheduled"
            messages.success(request, ("Changes saved. The people invited are told by e-mail that the "
                                       "meeting has changed." if told else "Changes saved.")
                             if changed else "Nothing was changed.")
            return redirect("panels:meeting_detail", pk=meeting.pk)
    return render(request, "panels/meeting_form.html", {"form": form, "panel": meeting.panel,
                                                        "meeting": meeting})


@require_POST
@staff_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    if not request.POST.get("confirm"):
        messages.error(request, "Tick the box to confirm you want to cancel the meeting.")
    else:
        try:
            services.meeting_cancel(meeting=meeting, by=request.user, base_url=_base_url(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Meeting cancelled. The people invited are told by e-mail.")
    return redirect("panels:meeting_detail", pk=meeting.pk)


@staff_required
def paper_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    form = forms.PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            paper = services.paper_add(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"“{paper.title}” is shared with the members of {meeting.panel.name}.")
            return redirect("panels:meeting_detail", pk=meeting.pk)
    return render(request, "panels/paper_form.html", {"form": form, "meeting": meeting})


@staff_or_partner_required
def paper_download(request: HttpRequest, pk: int) -> FileResponse:
    paper = get_paper_for_user(request, pk)
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file of this paper is missing.") from None
    return FileResponse(handle, as_attachment=True, filename=paper.file.name.rsplit("/", 1)[-1])


@require_POST
@staff_required
def paper_remove(request: HttpRequest, pk: int) -> HttpResponse:
    paper = get_paper_for_user(request, pk)
    services.paper_remove(paper=paper, by=request.user)
    messages.success(request, f"“{paper.title}” was removed.")
    return redirect("panels:meeting_detail", pk=paper.meeting_id)


MEETING_LISTS = {"upcoming": "Coming up", "past": "Past meetings"}


@staff_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    when = request.GET.get("when", "upcoming")
    if when not in MEETING_LISTS:
        when = "upcoming"
    meetings = Meeting.objects.for_list()
    meetings = (meetings.not_over().order_by("starts_at", "pk") if when == "upcoming"
                else meetings.over().order_by("-starts_at", "-pk"))
    meeting_filter = filters.MeetingFilter(request.GET or None, queryset=meetings)
    return render(request, "panels/meeting_list.html", {
        "when": when,
        "lists": MEETING_LISTS.items(),
        "filter": meeting_filter,
        "page_obj": Paginator(meeting_filter.qs, 25).get_page(request.GET.get("page")),
        "query": _query_without_page(request),
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
        "page_obj": Paginator(past, 25).get_page(request.GET.get("page")),
    })


def _can_answer(meeting: Meeting, line: Attendance | None) -> bool:
    answerable = (Attendance.Status.INVITED, Attendance.Status.CONFIRMED, Attendance.Status.DECLINED)
    return bool(
        line is not None and meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at > timezone.now()
        and line.status in answerable
    )


@partner_required
def my_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    line = meeting.attendance.filter(partner=partner_for(request.user)).first()
    return render(request, "panels/my_meeting.html", {
        "meeting": meeting,
        "line": line,
        "can_answer": _can_answer(meeting, line),
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
        messages.error(request, "Please press “Yes, I will come” or “No, I can't come”.")
        return redirect("panels:my_meeting", pk=line.meeting_id)
    try:
        services.attendance_respond(attendance=line, confirm=answer == "yes", by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Thank you. We have noted that you are coming." if answer == "yes" else
                         "Thank you for letting us know. We have noted that you can't come.")
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
