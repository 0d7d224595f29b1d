"""The forms' common behaviour: accessible rendering, translated errors, problems as errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.core.errors import Problem
from casework.web.i18n import missing_text, tr


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def translated(choices: Iterable[tuple[Any, Any]], blank: str | Promise | None = None) -> list[Any]:
    """Django choices with their labels translated when shown (lazily, in the active language)."""
    out: list[Any] = [("", blank)] if blank is not None else []
    out += [(value, _(str(label))) for value, label in choices if value != ""]
    return out


class WebFormMixin:
    """Renders fields with our template (label, help, errors tied to the input) and shows the
    model's English messages in the active language."""

    template_name = "web/forms/fields.html"
    # Set on the instance by the view: the name the POST carries to say which form was sent.
    action_name = ""

    def default(self, name: str, value: Any) -> None:
        """A starting value; a ModelForm's initial data (from its new, empty record) would
        otherwise hide the field's own initial."""
        if not self.initial.get(name):  # type: ignore[attr-defined]
            self.initial[name] = value  # type: ignore[attr-defined]

    @property
    def has_required_visible(self) -> bool:
        return any(f.field.required for f in self.visible_fields())  # type: ignore[attr-defined]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for errors in self._errors.values():  # type: ignore[attr-defined]
            errors.data = [tr(message) for message in errors]

    def add_problem(self, problem: Problem) -> None:
        """Put a service's refusal beside the field it names (else at the top of the form)."""
        fields = self.fields  # type: ignore[attr-defined]
        if "missing" in problem.extra:
            # A refused phase move: say so, then list what is missing, as the API does.
            self.add_error(None, gettext("This move was refused. Still missing:"))  # type: ignore[attr-defined]
            for sentence in problem.extra["missing"]:
                self.add_error(None, missing_text(sentence))  # type: ignore[attr-defined]
            return
        listed = problem.extra.get("errors") or [
            {"field": problem.field, "message": problem.detail}
        ]
        for error in listed:
            name = error.get("field")
            target = name if name in fields else None
            self.add_error(target, tr(error["message"]))  # type: ignore[attr-defined]


class WebForm(WebFormMixin, forms.Form):
    pass


class WebModelForm(WebFormMixin, forms.ModelForm):
    def data_for_service(self) -> dict[str, Any]:
        """The cleaned values as the services take them: related objects by their id."""
        data: dict[str, Any] = {}
        for name in self.Meta.fields:  # type: ignore[attr-defined]
            value = self.cleaned_data.get(name)
            if isinstance(value, models.Model):
                value = value.pk
            data[name] = value
        return data


def today_initial() -> dt.date:
    from casework.core import clock

    return clock.today()


class VersionField(forms.IntegerField):
    """The version of the record as the form was read: an edit on a newer one is refused."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, **kwargs)
