from django.contrib import admin
from django.urls import include, path

from . import views

coprod_patterns = [
    path("staff/", views.staff_home, name="staff_home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("reports/<int:pk>/retry/", views.report_retry, name="report_retry"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include((coprod_patterns, "coprod"))),
    path("", include("participants.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
