from django.contrib import admin

from casework.staff.models import Certification, Licence, StaffMember


class LicenceInline(admin.TabularInline):
    model = Licence
    extra = 0


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["display_name", "discipline", "title", "supervisor", "active"]
    list_filter = ["discipline", "active"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    inlines = [LicenceInline, CertificationInline]
