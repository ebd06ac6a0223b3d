from django.contrib import admin
from django.urls import include, path

from . import views

coprod_patterns = [
    path("staff/", views.staff_home, name="staff_home"),
    path("dashboard/", views.dashboard, name="dashboard"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include((coprod_patterns, "coprod"))),
    path("my/", include("participants.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
