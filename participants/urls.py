from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("", views.portal_home, name="portal_home"),
]
