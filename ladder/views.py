"""Ladder pages: staff run rounds, partners answer in the portal, staff and trustees
read results, the trend and the round report."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coprod import reports
from coprod.access import partner_required
from coprod.access import staff_or_trustee_required
from coprod.access import staff_required
from coprod.models import Report
from coprod.roles import is_staff_member
from coprod.roles import partner_for
from coprod.tables import table_response
from coprod.web import act
from coprod.web import button
from coprod.web import form_page
from coprod.web import paginate
from coprod.web import submit
from coprod.web import turn_away

from . import services
from .charts import area_chart
from .charts import overview_chart
from .charts import trend_chart
from .forms import ActionFilter
from .forms import ActionForm
from .forms import AnswerForm
from .forms import AreaForm
from .forms import LadderForm
from .forms import RoundForm
from .forms import RungFormSet
from .forms import TrendForm
from .models import Action
from .models import Area
from .models import Ladder
from .models import Respondent
from .models import Response
from .models import Round
from .results import COMMENTS_SHOWN
from .results import round_results
from .results import trend
from .rules import can_enter_for
from .tables import ActionTable
from .tables import AreaTable
from .tables import LadderTable
from .tables import RoundTable


def _base(request: HttpRequest) -> str:
    """Staff read pages inside the staff portal; trustees inside the plain layout."""
    return "staff_base.html" if is_staff_member(request.user) else "ladder/_trustee_base.html"


# --- Loading and authorising ---


def get_round_for_user(request: HttpRequest, pk: int) -> Round:
    """A round the signed-in person may read: staff any, trustees closed ones; else 404."""
    return get_object_or_404(Round.objects.visible_to(request.user).with_scope(), pk=pk)


def get_round_for_partner(request: HttpRequest, pk: int) -> tuple[Round, Respondent]:
    """An opened round this partner is invited to, and their respondent row; else 404."""
    partner = partner_for(request.user)
    respondent = get_object_or_404(
        Respondent.objects.select_related("round__ladder", "round__service", "partner")
        .exclude(round__status=Round.Status.DRAFT),
        round_id=pk, partner=partner, group=Respondent.Group.PARTNER,
    )
    return respondent.round, respondent


def get_respondent_for_staff(request: HttpRequest, round_pk: int, pk: int) -> Respondent:
    """A respondent whose answers this staff member may enter: a partner, or themselves."""
    respondent = get_object_or_404(
        Respondent.objects.select_related("round__ladder", "round__service", "partner__user", "user"),
        round_id=round_pk, pk=pk,
    )
    if not can_enter_for(respondent, request.user):
        raise Http404(_("You cannot answer for this person."))
    return respondent


def get_action_for_user(request: HttpRequest, pk: int) -> Action:
    return get_object_or_404(Action.objects.with_links(), pk=pk)


# --- Rounds (staff; the list is shared with trustees) ---


@staff_or_trustee_required
def round_list(request: HttpRequest) -> HttpResponse:
    staff = is_staff_member(request.user)
    table = RoundTable(Round.objects.visible_to(request.user).with_scope().with_progress(), is_staff=staff)
    if download := table_response(request, table, filename="ladder-rounds"):
        return download
    return render(request, "ladder/round_list.html", {
        "base_template": _base(request), "table": table, "page_obj": table.page, "is_staff": staff,
        "overdue_actions": Action.objects.overdue().count() if staff else None,
    })


def _round_form(request: HttpRequest, round_: Round | None) -> tuple[RoundForm, bool]:
    """The round form as posted; for "Add this partner", the form again with that partner on
    the list (nothing saved). Answers the form and whether it was only for adding."""
    adding = request.method == "POST" and "add" in request.POST
    form = RoundForm(request.POST or None, round=round_, adding=adding)
    if adding and form.is_valid():
        added = form.cleaned_data["partners"][-1]
        form = form.with_added_partner()
        messages.info(request, _("%(name)s is on the list. The round is not saved until you save it.")
                      % {"name": added.full_name})
    return form, adding


@staff_required
def round_create(request: HttpRequest) -> HttpResponse:
    form, adding = _round_form(request, None)
    context = {"title": _("New assessment round")}
    if adding:
        return render(request, "ladder/round_form.html", {"form": form, **context})
    return form_page(request, form, lambda data: services.round_create(**data, by=request.user),
                     success=_("Round saved as a draft. Check it, then open it for answers."),
                     done=lambda round_: redirect("ladder:round_detail", pk=round_.pk),
                     template="ladder/round_form.html", context=context)


@staff_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request, pk)
    if round_.status == Round.Status.CLOSED:
        return turn_away(request, _("This round has closed and can no longer be changed."),
                         "ladder:round_detail", pk=round_.pk, level=messages.INFO)
    form, adding = _round_form(request, round_)
    context = {"round": round_, "title": _("Change %(round)s") % {"round": round_.title}}
    if adding:
        return render(request, "ladder/round_form.html", {"form": form, **context})
    return form_page(request, form, lambda data: services.round_update(round=round_, **data, by=request.user),
                     success=_("Round updated."),
                     done=lambda _round: redirect("ladder:round_detail", pk=round_.pk),
                     template="ladder/round_form.html", context=context)


@staff_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request, pk)
    areas = round_.ordered_areas()
    respondents = list(round_.respondents.for_round_page())
    own = next((r for r in respondents if r.user_id == request.user.pk), None)
    return render(request, "ladder/round_detail.html", {
        "round": round_, "areas": areas, "respondents": respondents, "own": own,
        "responded": sum(1 for r in respondents if r.answered),
        "not_emailed": [r for r in respondents if r.is_partner and not r.can_email],
        "actions": Action.objects.filter(round=round_).with_links().overdue_first(),
    })


round_open = button(
    get_round_for_user,
    lambda request, round_: services.round_open(round=round_, by=request.user,
                                                site_url=request.build_absolute_uri("/")),
    lambda round_: _("The round is open. Invitations have been e-mailed to those we can e-mail."),
    "ladder:round_detail")


@require_POST
@staff_required
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request, pk)
    if act(request, lambda: services.round_close(round=round_, by=request.user),
           _("The round is closed and its results are published.")):
        return redirect("ladder:results", pk=round_.pk)
    return redirect("ladder:round_detail", pk=round_.pk)


# --- Answering, one area per screen (partners in the portal; staff for themselves or a partner) ---


def _answer_step(request: HttpRequest, respondent: Respondent, step: int, *, base_template: str,
                 step_url, done_url: str, acting_for: bool) -> HttpResponse:
    round_ = respondent.round
    areas = round_.ordered_areas()
    if not 1 <= step <= len(areas):
        raise Http404(_("There is no such area in this round."))
    if not round_.accepts_answers:
        return turn_away(request, _("This round is not taking answers now."), done_url, level=messages.INFO)
    area = areas[step - 1]
    rungs = round_.ladder.rungs.all()
    existing = Response.objects.filter(respondent=respondent, area=area).first()
    # Staff never see, nor change, an answer a partner gave themselves.
    given_by_partner = acting_for and existing is not None and not existing.on_behalf
    next_url = step_url(step + 1) if step < len(areas) else done_url
    form = None
    if not given_by_partner:
        initial = ({"rung": existing.rung_id, "evidence": existing.evidence, "next_step": existing.next_step}
                   if existing else None)
        form = AnswerForm(request.POST or None, initial=initial, rungs=rungs)
        done = submit(request, form, lambda data: services.response_save(
            respondent=respondent, area=area, by=request.user, **data))
        if done is not None:
            if step == len(areas):
                messages.success(request, _("Thank you. Your answers are saved. You can change them until "
                                            "%(date)s.") % {"date": date_format(round_.closes_on, "j F Y")})
            return redirect(next_url)
    return render(request, "ladder/answer.html", {
        "base_template": base_template, "round": round_, "respondent": respondent, "area": area,
        "rungs": rungs, "form": form, "step": step, "total": len(areas), "acting_for": acting_for,
        "given_by_partner": given_by_partner, "next_url": next_url, "done_url": done_url,
        "selected_rung": str(form["rung"].value() or "") if form else "",
        "back_url": step_url(step - 1) if step > 1 else done_url,
        "is_last": step == len(areas),
    })


def _answers_by_area(respondent: Respondent, areas: list[Area], *, hide_own_answers: bool) -> list:
    """(step, area, answer or None, hidden) for each area of the round."""
    answers = {r.area_id: r for r in respondent.responses.select_related("rung")}
    rows = []
    for step, area in enumerate(areas, start=1):
        answer = answers.get(area.pk)
        hidden = hide_own_answers and answer is not None and not answer.on_behalf
        rows.append((step, area, None if hidden else answer, hidden))
    return rows


@staff_required
def respondent_answers(request: HttpRequest, round_pk: int, pk: int) -> HttpResponse:
    respondent = get_respondent_for_staff(request, round_pk, pk)
    acting_for = respondent.entered_for_by(request.user)
    return render(request, "ladder/respondent_answers.html", {
        "round": respondent.round, "respondent": respondent, "acting_for": acting_for,
        "rows": _answers_by_area(respondent, respondent.round.ordered_areas(), hide_own_answers=acting_for),
    })


@staff_required
def respond_for(request: HttpRequest, round_pk: int, pk: int, step: int) -> HttpResponse:
    respondent = get_respondent_for_staff(request, round_pk, pk)
    return _answer_step(request, respondent, step, base_template="staff_base.html",
                        step_url=lambda n: reverse("ladder:respond_for", args=[round_pk, pk, n]),
                        done_url=reverse("ladder:respondent_answers", args=[round_pk, pk]),
                        acting_for=respondent.entered_for_by(request.user))


# --- Partner self-service ---


@partner_required
def my_rounds(request: HttpRequest) -> HttpResponse:
    page_obj = paginate(request, Respondent.objects.of_partner(partner_for(request.user)))
    return render(request, "ladder/my_rounds.html", {
        "page_obj": page_obj,
        "open_now": [r for r in page_obj if r.round.accepts_answers],
        "earlier": [r for r in page_obj if not r.round.accepts_answers],
    })


@partner_required
def my_round(request: HttpRequest, pk: int) -> HttpResponse:
    round_, respondent = get_round_for_partner(request, pk)
    areas = round_.ordered_areas()
    rows = _answers_by_area(respondent, areas, hide_own_answers=False)
    first_unanswered = next((step for step, _, answer, _ in rows if answer is None), None)
    return render(request, "ladder/my_round.html", {
        "round": round_, "rows": rows, "rungs": round_.ladder.rungs.all(),
        "answered": sum(1 for row in rows if row[2] is not None),
        "total": len(areas), "first_unanswered": first_unanswered,
    })


@partner_required
def respond(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    round_, respondent = get_round_for_partner(request, pk)
    return _answer_step(request, respondent, step, base_template="portal_base.html",
                        step_url=lambda n: reverse("ladder:respond", args=[pk, n]),
                        done_url=reverse("ladder:my_round", args=[pk]), acting_for=False)


@partner_required
def my_results(request: HttpRequest, pk: int) -> HttpResponse:
    round_, respondent = get_round_for_partner(request, pk)
    if not round_.is_published:
        raise Http404(_("The results are published when the round closes."))
    results = _with_charts(round_results(round_, comments_per_area=COMMENTS_SHOWN))
    return render(request, "ladder/my_results.html", {"round": round_, "results": results})


# --- Results, report and trend (staff and trustees) ---


def _with_charts(results):
    for area in results.areas:
        area.chart = area_chart(area)
    results.chart = overview_chart(results) if results.areas else ""
    return results


@staff_or_trustee_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request, pk)
    data = _with_charts(round_results(round_, comments_per_area=COMMENTS_SHOWN))
    return render(request, "ladder/results.html", {
        "base_template": _base(request), "round": round_, "results": data,
        "is_staff": is_staff_member(request.user),
    })


@require_POST
@staff_or_trustee_required
def round_report(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request, pk)
    # While the round is open its results are for staff only, and so is a PDF of them.
    report = reports.report_request(
        kind=Report.Kind.LADDER_ROUND, by=request.user,
        title=_("Ladder of co-production: %(round)s") % {"round": round_.title},
        params={"round": round_.pk}, staff_only=not round_.is_published,
    )
    return redirect("coprod:report_detail", pk=report.pk)


@staff_or_trustee_required
def trend_view(request: HttpRequest) -> HttpResponse:
    form = TrendForm(request.GET or None)
    service = form.cleaned_data["service"] if form.is_valid() else None
    rounds = list(Round.objects.closed().filter(service=service).with_scope().order_by("closes_on", "pk"))
    # Medians only compare on one ladder: follow the ladder of the latest round in this scope.
    ladder = rounds[-1].ladder if rounds else Ladder.current()
    rounds = [r for r in rounds if r.ladder_id == getattr(ladder, "pk", None)]
    rungs, series = trend(rounds, ladder)
    for line in series:
        line.chart = trend_chart(line, rungs) if line.points else ""
    return render(request, "ladder/trend.html", {
        "base_template": _base(request), "form": form, "rounds": rounds, "series": series, "ladder": ladder,
        "rungs": rungs,
        "scope": service.name if service else _("Whole organisation"),
    })


# --- Action plan (staff) ---


@staff_required
def action_list(request: HttpRequest) -> HttpResponse:
    filterset = ActionFilter(request.GET or None, queryset=Action.objects.with_links().overdue_first())
    table = ActionTable(filterset.qs)
    if download := table_response(request, table, filename="ladder-actions"):
        return download
    return render(request, "ladder/action_list.html", {
        "filter": filterset, "table": table, "page_obj": table.page,
        "overdue": Action.objects.overdue().count(),
    })


@staff_required
def action_create(request: HttpRequest) -> HttpResponse:
    source = None
    initial = {"owner": request.user.pk}
    if request.GET.get("response", "").isdigit():
        source = get_object_or_404(Response.objects.select_related("respondent__round", "area"),
                                   pk=request.GET["response"])
        initial.update(area=source.area_id, description=source.next_step, round=source.respondent.round_id)
    elif request.GET.get("round", "").isdigit():
        initial["round"] = request.GET["round"]
    for link in ("panel", "decision"):  # "Add a ladder action" on a panel's or a decision's page
        if request.GET.get(link, "").isdigit():
            initial[link] = request.GET[link]
    form = ActionForm(request.POST or None, initial=initial)
    return form_page(request, form, lambda data: services.action_create(
                         **data, source=source, by=request.user),
                     success=_("Action added to the plan."), done=lambda action: redirect(
                         reverse("ladder:results", args=[action.round_id]) + f"#area-{action.area_id}"
                         if action.round_id else reverse("ladder:action_list")),
                     template="ladder/action_form.html", context={"source": source, "title": _("New action")})


@staff_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk)
    form = ActionForm(request.POST or None, action=action)
    return form_page(request, form, lambda data: services.action_update(
                         action=action, **data, by=request.user),
                     success=_("Action updated."), done="ladder:action_list",
                     template="ladder/action_form.html",
                     context={"action": action, "title": _("Change an action")})


# --- Ladders and areas (staff) ---


@staff_required
def ladder_list(request: HttpRequest) -> HttpResponse:
    ladders = Ladder.objects.annotate(
        rung_count=Count("rungs", distinct=True), round_count=Count("rounds", distinct=True),
    ).order_by("-is_current", "name")
    table = LadderTable(ladders, csrf_token=get_token(request))
    if download := table_response(request, table, filename="ladders"):
        return download
    return render(request, "ladder/ladder_list.html", {"table": table, "page_obj": table.page})


def _get_ladder(pk: int) -> Ladder:
    return get_object_or_404(Ladder, pk=pk)


@staff_required
def ladder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ladder = _get_ladder(pk)
    return render(request, "ladder/ladder_detail.html", {
        "ladder": ladder, "rungs": ladder.rungs.all(), "round_count": ladder.rounds.count(),
    })


@staff_required
def ladder_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ladder = _get_ladder(pk)
    rungs = list(ladder.rungs.all())
    form = LadderForm(request.POST or None, initial={"name": ladder.name, "description": ladder.description})
    formset = RungFormSet(request.POST or None, prefix="rungs", initial=[
        {"rung": r.pk, "name": r.name, "description": r.description, "example": r.example} for r in rungs
    ])
    if formset.is_valid() and submit(request, form, lambda data: services.ladder_update(
            ladder=ladder, name=data["name"], description=data["description"],
            rungs={f.cleaned_data["rung"]: f.cleaned_data for f in formset}, by=request.user)):
        messages.success(request, _("Ladder saved."))
        return redirect("ladder:ladder_detail", pk=ladder.pk)
    return render(request, "ladder/ladder_form.html", {
        "ladder": ladder, "form": form, "formset": formset, "rung_forms": zip(rungs, formset, strict=False),
    })


ladder_make_current = button(
    lambda request, pk: _get_ladder(pk),
    lambda request, ladder: services.ladder_make_current(ladder=ladder, by=request.user),
    lambda ladder: _("New rounds will use %(ladder)s.") % {"ladder": ladder.name},
    lambda ladder: reverse("ladder:ladder_list"))


@staff_required
def area_list(request: HttpRequest) -> HttpResponse:
    areas = Area.objects.annotate(round_count=Count("rounds", distinct=True)).order_by("order", "name")
    table = AreaTable(areas)
    if download := table_response(request, table, filename="ladder-areas"):
        return download
    return render(request, "ladder/area_list.html", {"table": table, "page_obj": table.page})


@staff_required
def area_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a co-production area (no `pk`) or change one."""
    area = None if pk is None else get_object_or_404(Area, pk=pk)
    form = AreaForm(request.POST or None, area=area)
    return form_page(request, form, lambda data: (
        services.area_create(**data, by=request.user) if area is None
        else services.area_update(area=area, **data, by=request.user)),
        success=_("Area added.") if area is None else _("Area saved."), done="ladder:area_list",
        template="ladder/area_form.html",
        context={"area": area, "title": _("Change %(area)s") % {"area": area.name} if area
                 else _("New co-production area")})
