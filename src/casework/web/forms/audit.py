"""The auditor's filters of the audit trail (GET): the same filters as ``GET /api/v1/audit`` and
``casework audit export``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.audit.models import AuditEvent
from casework.audit.search import SORT_KEYS, Filters
from casework.web.forms.base import DateInput, WebForm

# Newest first unless the auditor sorts otherwise.
DEFAULT_SORT = "-seq"


def sort_choices() -> list[tuple[str, str]]:
    return [(k, k) for key in SORT_KEYS for k in (key, f"-{key}")]


def action_choices() -> list[tuple[str, Any]]:
    # The codes themselves, as the API, the CLI and the CSV name them.
    return [("", _("All")), *((value, value) for value in AuditEvent.Action.values)]


class AuditFilterForm(WebForm):
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    client = forms.IntegerField(
        label=_("Client number"), required=False, min_value=1, max_value=2**63 - 1
    )
    action = forms.ChoiceField(label=_("Action"), required=False, choices=action_choices)
    since = forms.DateField(label=_("From (UTC date)"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To (UTC date)"), required=False, widget=DateInput())
    sort = forms.ChoiceField(required=False, choices=sort_choices, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The last day is before the first."))
        return data

    def filters(self) -> Filters:
        """The search the form asks for (call once it is valid, or unbound for all rows)."""
        data = self.cleaned_data if self.is_bound else {}
        return Filters(
            user=(data.get("user") or "").strip() or None,
            client=data.get("client"),
            action=data.get("action") or None,
            since=data.get("since"),
            until=data.get("until"),
            sort=data.get("sort") or DEFAULT_SORT,
        )
