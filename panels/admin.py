from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coprod.admin import KeptRecordAdmin

from .models import Decision
from .models import Meeting
from .models import Panel
from .models import Proposal
from .models import RecruitmentRound


@admin.register(Panel)
class PanelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "status", "service", "starts_on", "ends_on"]
    list_filter = ["kind", "status", "service"]
    search_fields = ["name"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "panel", "starts_at", "format", "status"]
    list_filter = ["format", "status"]


@admin.register(Proposal)
class ProposalAdmin(KeptRecordAdmin):
    list_display = ["title", "panel", "owner", "response_deadline", "status"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "decided_on", "decided_by", "implementation", "is_public", "archived_at"]
    list_filter = ["decided_by", "implementation", "is_public"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # archive it with a reason on the decision's page instead


@admin.register(RecruitmentRound)
class RecruitmentRoundAdmin(SimpleHistoryAdmin):
    list_display = ["post_title", "service", "opens_on", "closes_on"]
