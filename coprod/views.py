from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from participants.models import Partner

from . import reports
from .health import broker_status, database_status
from .models import Report, Service
from .roles import home_url, staff_or_trustee_required, staff_required


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


def _partners_by_status() -> dict[str, int]:
    counts = Partner.objects.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Partner.Status.values}
    )
    return {label: counts[value] for value, label in Partner.Status.choices}


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "coprod/staff_home.html", {
        "partners_by_status": _partners_by_status(),
        "services": Service.objects.with_champion().annotate(partner_count=Count("partners")),
    })


@staff_or_trustee_required
def dashboard(request: HttpRequest) -> HttpResponse:
    partners_by_status = _partners_by_status()
    return render(request, "coprod/dashboard.html", {
        "partners_by_status": partners_by_status,
        "active_partners": partners_by_status[Partner.Status.ACTIVE.label],
        "service_count": Service.objects.count(),
    })


def get_report_for_user(request: HttpRequest, pk: int) -> Report:
    """Load a report the signed-in person may see, or 404."""
    return get_object_or_404(Report.objects.visible_to(request.user).with_people(), pk=pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    return render(request, "coprod/report_detail.html", {
        "report": report, "can_retry": report.status == Report.Status.FAILED,
    })


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = get_report_for_user(request, pk)
    if report.status != Report.Status.DONE or not report.file:
        raise Http404("This report is not ready.")
    return FileResponse(report.file.open("rb"), as_attachment=True,
                        filename=report.file.name.rsplit("/", 1)[-1], content_type="application/pdf")


@require_POST
@login_required
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    if report.status != Report.Status.FAILED:
        messages.error(request, "Only a report that failed can be tried again.")
    else:
        reports.report_retry(report=report, by=request.user)
        messages.success(request, "The report has been queued again.")
    return redirect("coprod:report_detail", pk=report.pk)
