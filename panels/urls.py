"""All panels URLs, in one `panels` namespace: staff pages under /staff/, the
partner's own pages under /my/. Each feature keeps its own block."""

from django.urls import path

from . import views

app_name = "panels"

urlpatterns = [
    # --- Panels, memberships, meetings, papers and attendance: staff ---
    path("staff/panels/", views.panel_list, name="panel_list"),
    path("staff/panels/new/", views.panel_create, name="panel_create"),
    path("staff/panels/<int:pk>/", views.panel_detail, name="panel_detail"),
    path("staff/panels/<int:pk>/edit/", views.panel_edit, name="panel_edit"),
    path("staff/panels/<int:pk>/members/new/", views.membership_add, name="membership_add"),
    path("staff/panels/members/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("staff/panels/<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("staff/meetings/", views.meeting_list, name="meeting_list"),
    path("staff/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("staff/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("staff/meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("staff/meetings/<int:pk>/register/", views.attendance_update, name="attendance_update"),
    path("staff/meetings/<int:pk>/papers/new/", views.paper_add, name="paper_add"),
    path("staff/meetings/papers/<int:pk>/remove/", views.paper_remove, name="paper_remove"),
    # --- Panels, memberships, meetings, papers and attendance: members (partners and staff) ---
    path("meetings/papers/<int:pk>/", views.paper_download, name="paper_download"),
    path("meetings/<int:pk>/calendar.ics", views.meeting_ics, name="meeting_ics"),
    # --- Panels, memberships, meetings, papers and attendance: partner self-service ---
    path("my/meetings/", views.my_meetings, name="my_meetings"),
    path("my/meetings/<int:pk>/", views.my_meeting, name="my_meeting"),
    path("my/meetings/<int:pk>/answer/", views.my_meeting_respond, name="my_meeting_respond"),
    path("my/panels/", views.my_panels, name="my_panels"),
    path("my/panels/<int:pk>/", views.my_panel, name="my_panel"),
]
