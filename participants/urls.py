"""All participants URLs, in one `participants` namespace: the partner's own pages
under /my/ and the staff pages under /staff/. Each feature keeps its own block."""

from django.urls import path

from . import import_views
from . import views

app_name = "participants"

urlpatterns = [
    # --- Partner self-service: home ---
    path("my/", views.portal_home, name="portal_home"),
    # --- Partner records (staff) ---
    path("staff/partners/", views.partner_list, name="partner_list"),
    path("staff/partners/new/", views.partner_create, name="partner_create"),
    path("staff/partners/suggest/", views.partner_suggest, name="partner_suggest"),
    path("staff/partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("staff/partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("staff/partners/<int:pk>/status/", views.partner_status, name="partner_status"),
    path("staff/access-needs/", views.access_need_list, name="access_need_list"),
    path("staff/access-needs/new/", views.access_need_create, name="access_need_create"),
    path("staff/access-needs/<int:pk>/edit/", views.access_need_edit, name="access_need_edit"),
    path("staff/lived-experience/", views.area_list, name="area_list"),
    path("staff/lived-experience/new/", views.area_create, name="area_create"),
    path("staff/lived-experience/<int:pk>/edit/", views.area_edit, name="area_edit"),
    # --- Invitations: staff send them, anyone holding the link accepts ---
    path("staff/invitations/", views.invitation_list, name="invitation_list"),
    path("staff/invitations/new/", views.invitation_create, name="invitation_create"),
    path("staff/invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("staff/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # --- Consent and training: the partner's own pages ---
    path("my/details/", views.my_details, name="my_details"),
    path("my/details/change/", views.my_details_edit, name="my_details_edit"),
    path("my/reminders/", views.my_reminders, name="my_reminders"),
    path("my/consent/", views.my_consent, name="my_consent"),
    path("my/consent/agree/<int:pk>/", views.consent_give, name="consent_give"),
    path("my/consent/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("my/training/", views.my_training, name="my_training"),
    # --- Consent and training: staff pages ---
    path("staff/consent/", views.consent_statement_list, name="consent_statement_list"),
    path("staff/consent/new/", views.consent_statement_create, name="consent_statement_create"),
    path("staff/consent/<int:pk>/welsh/", views.consent_statement_welsh, name="consent_statement_welsh"),
    path("staff/partners/<int:pk>/consent/", views.partner_consent, name="partner_consent"),
    path("staff/training/", views.course_list, name="course_list"),
    path("staff/training/due/", views.training_due, name="training_due"),
    path("staff/training/courses/new/", views.course_create, name="course_create"),
    path("staff/training/courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("staff/training/courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("staff/training/record/", views.training_record_create, name="training_record_create"),
    path("staff/training/records/<int:pk>/remove/", views.training_record_delete,
         name="training_record_delete"),
    # --- Data protection: everything held about a partner, and erasure ---
    path("my/information/", views.my_data, name="my_data"),
    path("my/information/download/", views.my_data_json, name="my_data_json"),
    path("my/information/pdf/", views.my_data_pdf, name="my_data_pdf"),
    path("my/information/delete/", views.my_data_erasure_request, name="my_data_erasure_request"),
    path("staff/partners/<int:pk>/data/", views.partner_export, name="partner_export"),
    path("staff/partners/<int:pk>/data/download/", views.partner_export_json, name="partner_export_json"),
    path("staff/partners/<int:pk>/data/pdf/", views.partner_export_pdf, name="partner_export_pdf"),
    path("staff/partners/<int:pk>/erase/", views.partner_erase, name="partner_erase"),
    # --- Spreadsheet imports (staff) ---
    path("staff/import/", import_views.import_list, name="import_list"),
    path("staff/import/<int:pk>/columns/", import_views.import_columns, name="import_columns"),
    path("staff/import/<int:pk>/preview/", import_views.import_preview, name="import_preview"),
    path("staff/import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("staff/import/<int:pk>/cancel/", import_views.import_cancel, name="import_cancel"),
    path("staff/import/<int:pk>/invite/", import_views.import_invite, name="import_invite"),
]
