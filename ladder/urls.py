"""Ladder URLs, with their full prefixes: partners under my/ladder/, staff under
staff/ladder/, and pages staff and trustees both read under ladder/."""

from django.urls import path

from . import views

app_name = "ladder"

urlpatterns = [
    # --- Partner self-service ---
    path("my/ladder/", views.my_rounds, name="my_rounds"),
    path("my/ladder/<int:pk>/", views.my_round, name="my_round"),
    path("my/ladder/<int:pk>/area/<int:step>/", views.respond, name="respond"),
    path("my/ladder/<int:pk>/results/", views.my_results, name="my_results"),
    # --- Staff and trustees: published results, trend, round report ---
    path("ladder/", views.round_list, name="round_list"),
    path("ladder/rounds/<int:pk>/results/", views.results, name="results"),
    path("ladder/rounds/<int:pk>/report/", views.round_report, name="round_report"),
    path("ladder/trend/", views.trend_view, name="trend"),
    # --- Staff: rounds ---
    path("staff/ladder/rounds/new/", views.round_create, name="round_create"),
    path("staff/ladder/rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("staff/ladder/rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("staff/ladder/rounds/<int:pk>/open/", views.round_open, name="round_open"),
    path("staff/ladder/rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("staff/ladder/rounds/<int:round_pk>/answers/<int:pk>/", views.respondent_answers,
         name="respondent_answers"),
    path("staff/ladder/rounds/<int:round_pk>/answers/<int:pk>/area/<int:step>/", views.respond_for,
         name="respond_for"),
    # --- Staff: action plan ---
    path("staff/ladder/actions/", views.action_list, name="action_list"),
    path("staff/ladder/actions/new/", views.action_create, name="action_create"),
    path("staff/ladder/actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    # --- Staff: ladders and areas ---
    path("staff/ladder/ladders/", views.ladder_list, name="ladder_list"),
    path("staff/ladder/ladders/<int:pk>/", views.ladder_detail, name="ladder_detail"),
    path("staff/ladder/ladders/<int:pk>/edit/", views.ladder_edit, name="ladder_edit"),
    path("staff/ladder/ladders/<int:pk>/current/", views.ladder_make_current, name="ladder_make_current"),
    path("staff/ladder/areas/", views.area_list, name="area_list"),
    path("staff/ladder/areas/new/", views.area_form, name="area_create"),
    path("staff/ladder/areas/<int:pk>/edit/", views.area_form, name="area_edit"),
]
