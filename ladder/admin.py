from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coprod.admin import KeptRecordAdmin

from .models import Action
from .models import Area
from .models import Ladder
from .models import Respondent
from .models import Response
from .models import Round
from .models import Rung


class RungInline(admin.TabularInline):
    model = Rung
    extra = 0


@admin.register(Ladder)
class LadderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "is_current"]
    inlines = [RungInline]


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "order", "is_active"]


@admin.register(Round)
class RoundAdmin(KeptRecordAdmin):
    list_display = ["title", "service", "status", "closes_on"]
    list_filter = ["status", "service"]


@admin.register(Respondent)
class RespondentAdmin(KeptRecordAdmin):
    list_display = ["round", "group", "user", "partner"]
    list_filter = ["group"]
    raw_id_fields = ["round", "user", "partner"]


@admin.register(Response)
class ResponseAdmin(KeptRecordAdmin):
    list_display = ["respondent", "area", "rung", "on_behalf"]
    raw_id_fields = ["respondent", "entered_by"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "area", "owner", "due_on", "status"]
    list_filter = ["status", "area"]
