from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Partner
from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff_member", "is_trustee", "is_superuser", "is_active"]
    list_filter = ["is_staff_member", "is_trustee", "is_superuser", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        (_("Roles"), {"fields": ["is_active", "is_staff_member", "is_trustee", "is_superuser"]}),
        (_("Permissions"), {"fields": ["groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "preferred_name", "status", "service", "user"]
    list_filter = ["status", "service"]
    search_fields = ["full_name", "preferred_name", "email"]
    raw_id_fields = ["user"]
