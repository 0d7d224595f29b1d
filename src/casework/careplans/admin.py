from django.contrib import admin

from casework.careplans.models import (
    CaseEvaluation,
    Goal,
    GoalOutcome,
    GoalProgress,
    Intervention,
    PlanAgreement,
)


class InterventionInline(admin.TabularInline):
    model = Intervention
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["client_words", "case", "term", "target_date", "status"]
    inlines = [InterventionInline]


for model in (PlanAgreement, GoalProgress, GoalOutcome, CaseEvaluation):
    admin.site.register(model)
