"""Search and filter forms (GET): the caseload filters and client search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.cases.models import Program
from casework.cases.phases import PHASE_LABELS
from casework.risk.models import Tier
from casework.web.forms.base import DateInput, WebForm, translated


class ClientSearchForm(WebForm):
    q = forms.CharField(label=_("Client name"), required=False, max_length=100)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(type="search", autocomplete="off")

    @property
    def searching(self) -> bool:
        return bool(self.is_valid() and (self.cleaned_data["q"] or self.cleaned_data["birth_date"]))


class CaseloadFilterForm(ClientSearchForm):
    program = forms.ModelChoiceField(
        label=_("Program"), required=False, queryset=Program.objects.none(), empty_label=_("All")
    )
    phase = forms.ChoiceField(
        label=_("Phase"),
        required=False,
        choices=translated(((p.value, label) for p, label in PHASE_LABELS.items()), blank=_("All")),
    )
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=translated(Tier.choices, blank=_("All"))
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(active=True)  # type: ignore[attr-defined]
        self.order_fields(["q", "birth_date", "program", "phase", "tier"])
