from django.contrib import admin
from django.contrib import messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import notify
from .keeping import KeptRecordAdminMixin
from .models import Notice
from .models import Organisation
from .models import OutgoingEmail
from .models import Service

admin.site.site_header = "coprod administration"
admin.site.site_title = "coprod administration"


class KeptRecordAdmin(KeptRecordAdminMixin, SimpleHistoryAdmin):
    """The admin of a record with a history that may be kept from deletion (see coprod/keeping.py)."""


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name"]


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "champion"]
    search_fields = ["name"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox: what was sent, what is waiting and what failed (filter by status).
    Rows are written only by coprod.notify; "Send again" retries failed ones."""

    list_display = ["created_at", "kind", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Send again (failed e-mails only)")
    def send_again(self, request, queryset):
        sent, refused = 0, []
        for email in queryset:
            try:
                notify.email_send_again(email=email, by=request.user)
            except ValidationError as error:
                refused.append(f"{email.pk}: {' '.join(error.messages)}")
            else:
                self.log_change(request, email, "Queued again")  # who and when, in the admin's history
                sent += 1
        if sent:
            self.message_user(request, f"{sent} e-mail(s) queued again.", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Reminders and notices on each person's channel (coprod.notices): e-mail, text, letter or a
    phone call. Written only by coprod.notices; read here, filtered by channel and status."""

    list_display = ["created_at", "kind", "channel", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status", "kind", "created_at"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notice._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
