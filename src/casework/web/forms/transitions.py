"""Forms of transitions of care: the event, its handoff checklist, the contacts after it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.transitions.models import PostTransitionContact, Setting, TransitionEvent
from casework.web.forms.base import DateInput, VersionField, WebForm, WebModelForm, translated

TEXT = {"rows": 2}


class TransitionForm(WebModelForm):
    from_setting = forms.ChoiceField(
        label=_("From"), choices=translated(Setting.choices, blank="—")
    )
    to_setting = forms.ChoiceField(label=_("To"), choices=translated(Setting.choices, blank="—"))

    class Meta:
        model = TransitionEvent
        fields = [
            "from_setting",
            "to_setting",
            "admitted_on",
            "transition_on",
            "receiving_provider",
            "receiving_contact",
            "notes",
        ]
        labels = {
            "admitted_on": _("Admitted on"),
            "transition_on": _("Discharge or move date"),
            "receiving_provider": _("Receiving provider"),
            "receiving_contact": _("Contact at the receiving provider"),
            "notes": _("Notes"),
        }
        help_texts = {"transition_on": ""}
        widgets = {
            "admitted_on": DateInput(),
            "transition_on": DateInput(),
            "notes": forms.Textarea(attrs=TEXT),
        }


class HandoffItemForm(WebForm):
    version = VersionField()
    completed = forms.BooleanField(label=_("Done"), required=False)
    completed_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput())
    open_reason = forms.CharField(label=_("Or why it stays open"), required=False, max_length=5000)


class ContactForm(WebModelForm):
    transition = forms.TypedChoiceField(label=_("Transition"), coerce=int)
    kind = forms.ChoiceField(
        label=_("Contact"), choices=translated(PostTransitionContact.Kind.choices)
    )
    status = forms.ChoiceField(
        label=_("Made or missed"),
        choices=translated(PostTransitionContact.Status.choices),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = PostTransitionContact
        fields = ["kind", "status", "occurred_on", "mode", "missed_reason", "note"]
        labels = {
            "occurred_on": _("Date"),
            "mode": _("How (phone, visit ...)"),
            "missed_reason": _("Why it was missed"),
            "note": _("Note"),
        }
        widgets = {
            "occurred_on": DateInput(),
            "missed_reason": forms.Textarea(attrs=TEXT),
            "note": forms.Textarea(attrs=TEXT),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["transition"])

    def set_transitions(self, transitions: list[TransitionEvent]) -> None:
        self.fields["transition"].choices = [  # type: ignore[attr-defined]
            (t.pk, f"{t.get_from_setting_display()} → {t.get_to_setting_display()}, "
             f"{t.transition_on}")
            for t in reversed(transitions)
        ]  # fmt: skip


class TransitionEditForm(TransitionForm):
    version = VersionField()


class ContactEditForm(ContactForm):
    """A contact stays under its transition: the edit has no choice of transition."""

    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["transition"]
