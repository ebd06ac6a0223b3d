from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, Service

admin.site.site_header = "coprod administration"
admin.site.site_title = "coprod administration"


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name"]


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "champion"]
    search_fields = ["name"]
