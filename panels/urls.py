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
    path("staff/meetings/<int:pk>/not-held/", views.meeting_not_held, name="meeting_not_held"),
    path("staff/meetings/<int:pk>/register/", views.attendance_update, name="attendance_update"),
    path("staff/calls/<int:pk>/done/", views.call_done, name="call_done"),
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
    # --- Proposals for challenge ("you said, we did"): staff ---
    path("staff/proposals/", views.proposal_list, name="proposal_list"),
    path("staff/proposals/new/", views.proposal_create, name="proposal_create"),
    path("staff/proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("staff/proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("staff/proposals/<int:pk>/send/", views.proposal_send, name="proposal_send"),
    path("staff/proposals/<int:pk>/points/new/", views.point_add, name="point_add"),
    path("staff/proposals/points/<int:pk>/answer/", views.point_respond, name="point_respond"),
    # --- Proposals: panel members (partners and staff) ---
    path("proposals/<int:pk>/document/", views.proposal_document, name="proposal_document"),
    # --- Proposals: partner self-service ---
    path("my/feedback/", views.my_feedback, name="my_feedback"),
    path("my/feedback/proposals/<int:pk>/", views.my_point_add, name="my_point_add"),
    # --- Decision log: staff and trustees read, staff write ---
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/feedback/", views.feedback_log, name="feedback_log"),
    path("staff/decisions/new/", views.decision_create, name="decision_create"),
    path("staff/decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("staff/decisions/<int:pk>/archive/", views.decision_archive, name="decision_archive"),
    path("staff/decisions/<int:pk>/restore/", views.decision_restore, name="decision_restore"),
    # --- Protected staff time ---
    path("staff/staff-time/", views.staff_time_list, name="staff_time_list"),
    path("staff/staff-time/new/", views.staff_time_create, name="staff_time_create"),
    # --- Recruitment rounds and the involvement rate ---
    path("staff/recruitment/", views.recruitment_list, name="recruitment_list"),
    path("staff/recruitment/new/", views.recruitment_create, name="recruitment_create"),
    path("staff/recruitment/target/", views.involvement_target, name="involvement_target"),
    path("staff/recruitment/<int:pk>/", views.recruitment_detail, name="recruitment_detail"),
    path("staff/recruitment/<int:pk>/edit/", views.recruitment_edit, name="recruitment_edit"),
    path("staff/recruitment/<int:pk>/stages/", views.recruitment_stage_add, name="recruitment_stage_add"),
    path("staff/recruitment/stages/<int:pk>/cancel/", views.recruitment_stage_cancel,
         name="recruitment_stage_cancel"),
    path("staff/recruitment/stages/<int:pk>/people/", views.stage_participant_add,
         name="stage_participant_add"),
    path("staff/recruitment/people/<int:pk>/remove/", views.stage_participant_remove,
         name="stage_participant_remove"),
]
