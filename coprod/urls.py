from django.contrib import admin
from django.urls import include
from django.urls import path

from . import firstrun_views
from . import views

coprod_patterns = [
    path("staff/", views.staff_home, name="staff_home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/governance/", views.governance_report_request, name="governance_report_request"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("reports/<int:pk>/retry/", views.report_retry, name="report_retry"),
    path("staff/settings/", views.organisation_settings, name="organisation_settings"),
    path("staff/setup/", firstrun_views.setup_checklist, name="setup_checklist"),
    path("staff/setup/<slug:key>/", firstrun_views.setup_step, name="setup_step"),
    path("staff/retention/", views.retention_page, name="retention"),
    path("organisation/logo", views.organisation_logo, name="organisation_logo"),
    # --- The team: staff permissions and logins ---
    path("staff/team/", views.team_list, name="team_list"),
    path("staff/team/<int:pk>/", views.team_member, name="team_member"),
    path("staff/team/<int:pk>/deactivate/", views.team_deactivate, name="team_deactivate"),
    path("staff/team/<int:pk>/reactivate/", views.team_reactivate, name="team_reactivate"),
    path("library/", views.resource_list, name="resource_list"),
    path("library/<int:pk>/download/", views.resource_download, name="resource_download"),
    path("staff/library/new/", views.resource_form, name="resource_create"),
    path("staff/library/<int:pk>/edit/", views.resource_form, name="resource_edit"),
    path("staff/library/<int:pk>/delete/", views.resource_delete, name="resource_delete"),
    # --- Services and teams ---
    path("staff/services/", views.service_list, name="service_list"),
    path("staff/services/new/", views.service_form, name="service_create"),
    path("staff/services/<int:pk>/edit/", views.service_form, name="service_edit"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The language switcher (Django's set_language, which also keeps a signed-in person's choice).
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("", include((coprod_patterns, "coprod"))),
    path("", include("participants.urls")),
    path("", include("ladder.urls")),
    path("", include("panels.urls")),
    path("", include("reciprocity.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

# A database that cannot be reached answers 503 "try again shortly" instead of 500.
handler500 = "coprod.views.server_error"
