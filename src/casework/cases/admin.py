"""Programs in the Django admin. Cases, clients and every clinical record are deliberately not
registered: administrators run the system and get no access to clinical records."""

from django.contrib import admin

from casework.cases.models import Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "case_type", "reopen_window_days", "active"]
    filter_horizontal = ["managers"]
