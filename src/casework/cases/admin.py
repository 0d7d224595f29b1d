from django.contrib import admin

from casework.cases.models import (
    AssessmentFinding,
    CareTeamMember,
    Case,
    ContactNote,
    IdentifiedNeed,
    PhaseChange,
    Program,
    ScreeningDecision,
)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "case_type", "reopen_window_days", "active"]


class PhaseChangeInline(admin.TabularInline):
    model = PhaseChange
    extra = 0
    can_delete = False
    readonly_fields = ["seq", "from_phase", "to_phase", "at", "by", "reason"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        # Phase moves go through the process rules, never through the admin.
        return False


class CareTeamInline(admin.TabularInline):
    model = CareTeamMember
    extra = 0


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["id", "client", "program", "primary_case_manager", "opened_on", "closed_on"]
    list_filter = ["program", "referral_source"]
    readonly_fields = ["closed_on", "closure_reason"]
    inlines = [CareTeamInline, PhaseChangeInline]


for model in (ScreeningDecision, AssessmentFinding, IdentifiedNeed, ContactNote):
    admin.site.register(model)
