"""The form of any instrument, generated from its declaration (items, options, skip logic).

Options travel as their position in the item ("0", "1" ...) because declared values may be
numbers, words or booleans; ``answers()`` turns the choices back into the declared values.
Item wording is translated into ``language`` (the client's) where a translation exists.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.core.errors import Problem
from casework.instruments.definitions import Answer, Instrument
from casework.privacy.labels import CHOICES as SENSITIVITY_CHOICES
from casework.web.forms.base import DateInput, WebForm, today_initial, translated


class InstrumentForm(WebForm):
    administered_on = forms.DateField(label=_("Given on"), widget=DateInput())
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity"),
        choices=translated(SENSITIVITY_CHOICES),
        required=False,
        help_text=_("Psychotherapy and SUD counselling results are then readable by you only."),
    )

    def __init__(
        self, instrument: Instrument, *args: Any, language: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.default("administered_on", today_initial())
        with translation.override(language or translation.get_language()):
            for number, item in enumerate(instrument.items, start=1):
                choices = [(str(n), gettext(o.label)) for n, o in enumerate(item.options)]
                label = f"{number}. {gettext(item.text)}"
                if item.multiple:
                    field: forms.Field = forms.MultipleChoiceField(
                        label=label,
                        choices=choices,
                        required=False,
                        widget=forms.CheckboxSelectMultiple,
                    )
                else:
                    field = forms.ChoiceField(
                        label=label, choices=choices, required=False, widget=forms.RadioSelect
                    )
                if item.asked_if is not None:
                    asked_key, _asked_value = item.asked_if
                    field.help_text = gettext("Asked only after a yes to question %(n)s.") % {
                        "n": [i.key for i in instrument.items].index(asked_key) + 1
                    }
                self.fields[item.key] = field
        self.order_fields([i.key for i in instrument.items] + ["administered_on", "sensitivity"])

    def answers(self) -> dict[str, Answer]:
        """The answers given so far, as the declared values (unanswered items left out)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        out: dict[str, Answer] = {}
        for item in self.instrument.items:
            raw = data.get(item.key)
            if item.multiple:
                if raw:
                    out[item.key] = [str(item.options[int(n)].value) for n in raw]
            elif raw not in (None, ""):
                out[item.key] = item.options[int(raw)].value
        return out

    def add_problem(self, problem: Problem) -> None:
        # The service names an item as "answers.<key>"; the form's field is "<key>".
        if problem.field and problem.field.startswith("answers."):
            key = problem.field.split(".", 1)[1]
            if key in self.fields:
                self.add_error(key, gettext("Answer this question."))
                return
        super().add_problem(problem)
