from django.contrib import admin

from casework.transitions.models import HandoffItem, PostTransitionContact, TransitionEvent


class HandoffInline(admin.TabularInline):
    model = HandoffItem
    extra = 0


class ContactInline(admin.TabularInline):
    model = PostTransitionContact
    extra = 0


@admin.register(TransitionEvent)
class TransitionEventAdmin(admin.ModelAdmin):
    list_display = ["case", "from_setting", "to_setting", "transition_on"]
    inlines = [HandoffInline, ContactInline]
