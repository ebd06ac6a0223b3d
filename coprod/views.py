import sys
from copy import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import InterfaceError
from django.db import OperationalError
from django.db.models import Count
from django.http import FileResponse
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views import i18n as django_i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST

from . import firstrun
from . import forms
from . import governance
from . import i18n
from . import kpis
from . import notices
from . import registry
from . import reports
from . import retention
from . import services
from .access import role_required
from .access import staff_or_trustee_required
from .access import staff_required
from .forms import OrganisationForm
from .forms import ResourceForm
from .forms import RetentionSettingsForm
from .health import broker_status
from .health import database_status
from .models import Organisation
from .models import Report
from .models import Resource
from .models import ResourceTag
from .models import RetentionRun
from .models import Service
from .models import TeamChange
from .roles import Role
from .roles import can_change_organisation
from .roles import can_manage_team
from .roles import can_see_retention
from .roles import can_see_retention_names
from .roles import held_permissions
from .roles import home_url
from .roles import is_staff_member
from .roles import team_permission
from .roles import team_roles
from .tables import ReportTable
from .tables import ResourceTable
from .tables import ServiceTable
from .tables import TeamTable
from .tables import table_response
from .web import button
from .web import form_page
from .web import paginate
from .web import refusal


def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the home of their role."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    url = home_url(request.user)
    if url is None:
        return render(request, "coprod/no_role.html", status=403)
    return redirect(url)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and compose: 503 when the database is unreachable."""
    database = database_status()
    body = {"status": "ok" if database == "ok" else "error", "database": database,
            "broker": broker_status()}
    return JsonResponse(body, status=200 if database == "ok" else 503)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: Django's `set_language` (the cookie, and back to `next`, the page
    the person was on); a signed-in person's choice is also kept as their language, so it wins
    over their browser's next time and on any device."""
    response = django_i18n.set_language(request)
    language = request.POST.get(django_i18n.LANGUAGE_QUERY_PARAMETER, "")
    if request.user.is_authenticated and language in {code for code, _ in settings.LANGUAGES}:
        i18n.person_language_set(person=request.user, language=language, by=request.user)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler. When the database cannot be reached (restarting, say) the answer is a
    503 with a page that needs no database, so people and load balancers try again shortly."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    context = {key: value for part in registry.staff_home for key, value in part().items()}
    return render(request, "coprod/staff_home.html", {
        **context,
        "services": Service.objects.with_champion().annotate(partner_count=Count("partners")),
        "setup": _unfinished_setup(request.user),
    })


def _unfinished_setup(user) -> list[firstrun.StepProgress] | None:
    """The first-run checklist for the staff home page: only for people who may run it, and
    only while a step is still to do."""
    if not firstrun.may_run_setup(user):
        return None
    rows = firstrun.progress()
    return None if firstrun.is_finished(rows) else rows


@staff_or_trustee_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form = forms.PeriodForm(request.GET or None)
    board = kpis.dashboard(form.chosen_period(), form.chosen_service())
    return render(request, "coprod/dashboard.html", {
        "form": form, "board": board, "charts": kpis.charts(board),
        "organisation_target": Organisation.current().recruitment_involvement_target,
    })


def _report_list_page(request: HttpRequest, form: forms.GovernanceReportForm,
                      status: int = 200) -> HttpResponse:
    reports_ = Report.objects.visible_to(request.user).filter(kind__in=Report.TRUSTEE_KINDS).with_people()
    table = ReportTable(reports_)
    if download := table_response(request, table, filename="reports"):
        return download
    return render(request, "coprod/report_list.html", {"table": table, "page_obj": table.page, "form": form},
                  status=status)


@staff_or_trustee_required
def report_list(request: HttpRequest) -> HttpResponse:
    return _report_list_page(request, forms.GovernanceReportForm())


@require_POST
@staff_or_trustee_required
def governance_report_request(request: HttpRequest) -> HttpResponse:
    form = forms.GovernanceReportForm(request.POST)
    if not form.is_valid():
        return _report_list_page(request, form, status=400)
    report = governance.governance_report_request(
        period=form.chosen_period(), service=form.chosen_service(), by=request.user,
        commentary=form.cleaned_data["commentary"])
    if report.sent_at:
        messages.success(request, _("Your report is being made. It usually takes under a minute."))
    return redirect("coprod:report_detail", pk=report.pk)


def get_report_for_user(request: HttpRequest, pk: int) -> Report:
    """Load a report the signed-in person may see (decided by what it contains, see
    `Report.objects.visible_to`), or 404."""
    return get_object_or_404(Report.objects.visible_to(request.user).with_people(), pk=pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    waiting = report.status in (Report.Status.QUEUED, Report.Status.RUNNING) and not report.is_stuck
    told = ""
    if waiting and report.requested_by_id == request.user.pk:
        told = TOLD_BY.get(notices.recipient_for_user(request.user).channel, "")
    context = {
        "report": report, "can_retry": report.can_be_retried, "not_sent_message": reports.NOT_SENT_MESSAGE,
        "stuck_message": reports.STUCK_MESSAGE, "waiting": waiting, "told": told,
    }
    if request.headers.get("HX-Request") == "true":
        # The page polls for its status part while waiting; 286 tells htmx to stop once it is finished.
        response = render(request, "coprod/_report_status.html", context, status=200 if waiting else 286)
    else:
        response = render(request, "coprod/report_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


TOLD_BY = {"email": gettext_lazy("by e-mail"), "text": gettext_lazy("by text message"),
           "letter": gettext_lazy("by letter"), "phone": gettext_lazy("by phone")}


@never_cache
@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    # Loaded through the same rule as the list and the page: what the report contains
    # decides who may open it, so a full data export never reaches staff without the
    # sensitive-data permission, nor an open ladder round's results a trustee.
    report = get_report_for_user(request, pk)
    if report.status != Report.Status.DONE or not report.file:
        raise Http404("This report is not ready.")
    return FileResponse(report.file.open("rb"), as_attachment=True,
                        filename=report.file.name.rsplit("/", 1)[-1], content_type="application/pdf")


@require_POST
@login_required
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    if not report.can_be_retried:
        messages.error(request, _("Only a report that failed can be tried again."))
    else:
        report = reports.report_retry(report=report, by=request.user)
        if report.sent_at:
            messages.success(request, _("The report has been queued again."))
    return redirect("coprod:report_detail", pk=report.pk)


# --- Services and teams ---


def get_service_for_user(request: HttpRequest, pk: int) -> Service:
    """A service, for staff (who may edit any); anyone else gets 404."""
    return get_object_or_404(Service.objects.visible_to(request.user).with_champion(), pk=pk)


@staff_required
def service_list(request: HttpRequest) -> HttpResponse:
    table = ServiceTable(Service.objects.with_champion().annotate(partner_count=Count("partners"))
                         .order_by("name"))
    if download := table_response(request, table, filename="services"):
        return download
    return render(request, "coprod/service_list.html", {"table": table, "page_obj": table.page})


@staff_required
def service_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a service (no `pk`) or change one."""
    service = None if pk is None else get_service_for_user(request, pk)
    # The form works on a copy: validating a bound model form writes into its instance,
    # and the page's heading must keep naming the service as saved.
    form = forms.ServiceForm(request.POST or None, instance=copy(service))
    return form_page(request, form, lambda data: (
        services.service_create(**data, by=request.user) if service is None
        else services.service_update(service=service, **data, by=request.user)),
        success=lambda saved: _("“%(name)s” has been saved.") % {"name": saved.name},
        done="coprod:service_list",
        template="coprod/service_form.html", context={"service": service})


# --- Organisation settings ---


@staff_required
def organisation_settings(request: HttpRequest) -> HttpResponse:
    """Two forms: the organisation (name, logo, targets, reports) and the retention rules
    (posted with section=retention). Saving one leaves the other as it is."""
    if not can_change_organisation(request.user):
        raise PermissionDenied
    organisation = Organisation.current()
    posted = request.POST if request.method == "POST" else None
    retention_posted = posted is not None and posted.get("section") == "retention"
    form = OrganisationForm(None if retention_posted else posted, request.FILES or None,
                            instance=organisation)
    retention_form = RetentionSettingsForm(posted if retention_posted else None, instance=organisation,
                                           prefix="retention")
    bound = retention_form if retention_posted else form
    return form_page(request, bound, lambda data: services.organisation_update(
        organisation=organisation, data=data, by=request.user),
        success=(_("The retention rules are saved.") if retention_posted
                 else _("The organisation settings are saved.")),
        done=reverse("coprod:organisation_settings") + ("#retention" if retention_posted else ""),
        template=lambda _: render(request, "coprod/organisation_settings.html",
                                  {"form": form, "retention_form": retention_form}))


RETENTION_RUNS_SHOWN = 10


@staff_required
def retention_page(request: HttpRequest) -> HttpResponse:
    """The retention rules' dry run: what the next nightly run removes or anonymises, and
    what the last runs did. Names only for staff who may erase personal data."""
    if not can_see_retention(request.user):
        raise PermissionDenied
    runs = list(RetentionRun.objects.latest_first()[:RETENTION_RUNS_SHOWN])
    return render(request, "coprod/retention.html", {
        "organisation": Organisation.current(),
        "previews": retention.retention_preview(),
        "runs": [(run, retention.results_by_rule(run)) for run in runs],
        "last_run": runs[0] if runs else None,
        "show_names": can_see_retention_names(request.user),
        "can_change_settings": can_change_organisation(request.user),
    })


def organisation_logo(request: HttpRequest) -> FileResponse:
    """The logo shown in every page's header, the sign-in page included."""
    organisation = Organisation.current()
    if not organisation.logo:
        raise Http404("No logo has been uploaded.")
    return FileResponse(organisation.logo.open("rb"))


# --- The team: staff permissions and logins ---

TEAM_CHANGES_SHOWN = 20


def _require_team_manager(request: HttpRequest) -> None:
    if not can_manage_team(request.user):
        raise PermissionDenied


def get_team_member_for_user(request: HttpRequest, pk: int):
    """A staff or trustee login, for a team manager; anyone else gets 403, and a login
    that is neither staff nor trustee (a partner's) 404."""
    _require_team_manager(request)
    return get_object_or_404(get_user_model().objects.team(), pk=pk)


@staff_required
def team_list(request: HttpRequest) -> HttpResponse:
    _require_team_manager(request)
    form = forms.TeamFilterForm(request.GET or None)
    table = TeamTable(form.filter(get_user_model().objects.team()), viewer=request.user)
    if download := table_response(request, table, filename="team", per_page=50):
        return download
    return render(request, "coprod/team_list.html", {"form": form, "table": table, "page_obj": table.page})


@staff_required
def team_member(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_team_member_for_user(request, pk)
    held = held_permissions(person)
    # Not `request.POST or None`: unticking every box posts no field at all.
    form = forms.TeamPermissionsForm(request.POST if request.method == "POST" else None,
                                     initial={"permissions": [h.permission.name for h in held if h.direct]})
    return form_page(request, form, lambda data: services.staff_permissions_set(
        user=person, permissions=data["permissions"], by=request.user),
        success=lambda changes: _permissions_saved_message(person, changes),
        done=lambda _: redirect("coprod:team_member", pk=person.pk), template="coprod/team_member.html",
        context={"person": person, "roles": team_roles(person),
                 "boxes": list(zip(form["permissions"], held, strict=True)),
                 "held_elsewhere": [h for h in held if h.groups],
                 "changes": person.team_changes.for_page()[:TEAM_CHANGES_SHOWN],
                 "is_self": person.pk == request.user.pk})


def _permissions_saved_message(person, changes: list[TeamChange]) -> str:
    def labels(kind) -> str:
        return ", ".join(f"“{team_permission(c.permission).label}”" for c in changes if c.kind == kind)

    given, taken = labels(TeamChange.Kind.GRANTED), labels(TeamChange.Kind.REVOKED)
    if not given and not taken:
        return _("Nothing changed: %(person)s already had exactly these permissions.") % {"person": person}
    parts = []
    if given:
        parts.append(_("%(person)s can now: %(given)s.") % {"person": person, "given": given})
    if taken:
        parts.append(_("%(person)s can no longer: %(taken)s.") % {"person": person, "taken": taken})
    return _("Saved. %(changes)s") % {"changes": " ".join(parts)}


@staff_required
def team_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST closes the login."""
    person = get_team_member_for_user(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.login_deactivate(user=person, by=request.user)
        except ValidationError as refused:
            error = refusal(refused)
        else:
            messages.success(request, _("%(person)s’s login is deactivated: they can no longer sign in.")
                             % {"person": person})
            return redirect("coprod:team_member", pk=person.pk)
    return render(request, "coprod/team_deactivate.html", {
        "person": person, "roles": team_roles(person), "error": error,
        "is_self": person.pk == request.user.pk,
    })


team_reactivate = button(
    get_team_member_for_user, lambda request, person: services.login_reactivate(user=person, by=request.user),
    lambda person: _("%(person)s’s login is active again: they can sign in.") % {"person": person},
    "coprod:team_member")


# --- Resource library ---


def get_resource_for_user(request: HttpRequest, pk: int) -> Resource:
    return get_object_or_404(Resource.objects.visible_to(request.user), pk=pk)


@role_required(Role.STAFF, Role.PARTNER)
def resource_list(request: HttpRequest) -> HttpResponse:
    kind, tag = request.GET.get("kind", ""), request.GET.get("tag", "")
    query = request.GET.get("q", "").strip()
    resources = Resource.objects.visible_to(request.user).search(kind=kind, tag=tag, query=query)
    context = {"kinds": Resource.Kind.choices, "tags": ResourceTag.objects.all(), "kind": kind, "tag": tag,
               "query": query}
    if not is_staff_member(request.user):
        return render(request, "coprod/portal_resources.html", {"page_obj": paginate(request, resources),
                                                                **context})
    table = ResourceTable(resources, csrf_token=get_token(request))
    if download := table_response(request, table, filename="library"):
        return download
    return render(request, "coprod/resource_list.html", {"table": table, "page_obj": table.page, **context})


@staff_required
def resource_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a document to the library (no `pk`) or change one."""
    resource = None if pk is None else get_resource_for_user(request, pk)
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource)

    def save(cleaned: dict) -> Resource:
        data = {name: cleaned[name]
                for name in ["title", "kind", "description", "description_cy", "service", "for_partners"]}
        upload = cleaned["file"]
        if resource is None:
            return services.resource_add(file=upload, tags=form.all_tags(), by=request.user, **data)
        new_file = upload if hasattr(upload, "content_type") else None
        return services.resource_update(resource=resource, file=new_file, tags=form.all_tags(),
                                        by=request.user, **data)

    return form_page(request, form, save,
                     success=lambda saved: _("“%(title)s” is in the library.") % {"title": saved.title},
                     done="coprod:resource_list", template="coprod/resource_form.html",
                     context={"resource": resource})


resource_delete = button(
    get_resource_for_user,
    lambda request, resource: services.resource_delete(resource=resource, by=request.user),
    lambda resource: _("“%(title)s” has been removed from the library.") % {"title": resource.title},
    lambda resource: reverse("coprod:resource_list"))


@role_required(Role.STAFF, Role.PARTNER)
def resource_download(request: HttpRequest, pk: int) -> FileResponse:
    resource = get_resource_for_user(request, pk)
    return FileResponse(resource.file.open("rb"), as_attachment=True,
                        filename=resource.file.name.rsplit("/", 1)[-1].split("-", 1)[-1])
