"""All participants URLs, in one `participants` namespace: the partner's own pages
under /my/ and the staff pages under /staff/. Each feature keeps its own block."""

from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    # --- Partner self-service: home ---
    path("my/", views.portal_home, name="portal_home"),
]
