from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Decision, Meeting, Panel, Proposal, RecruitmentRound


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
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "panel", "owner", "response_deadline", "status"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "decided_on", "decided_by", "implementation", "is_public"]
    list_filter = ["decided_by", "implementation", "is_public"]


@admin.register(RecruitmentRound)
class RecruitmentRoundAdmin(SimpleHistoryAdmin):
    list_display = ["post_title", "service", "opens_on", "closes_on"]
