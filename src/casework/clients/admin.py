from django.contrib import admin

from casework.clients.models import Client, ClientIdentifier, SupportPerson


class IdentifierInline(admin.TabularInline):
    model = ClientIdentifier
    extra = 0


class SupportPersonInline(admin.TabularInline):
    model = SupportPerson
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["full_name", "birth_date", "preferred_language", "state"]
    search_fields = ["search_name"]
    list_filter = ["preferred_language", "interpreter_needed", "state"]
    inlines = [IdentifierInline, SupportPersonInline]
