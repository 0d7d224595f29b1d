"""The rule calculator's form, generated from a rule's published input schema.

Flat inputs become their own fields (numbers, dates, yes/no, choices); an object's properties
become fields of their own (``responses__telephone``); a list of a fixed number of scores or
answers becomes one field per entry (``items__0``), a list of choices a set of checkboxes, and
any other list a text box with one entry per line. ``data_for_rule`` turns the cleaned values
back into the JSON the rule takes, and ``add_invalid`` puts the rule's own refusal (its
``InvalidInput.field``, e.g. ``items[4]`` or ``responses.telephone``) beside the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.rules import InvalidInput, Rule
from casework.web.forms.base import DateInput, WebForm
from casework.web.i18n import tr

SEP = "__"
LINES = {"rows": 3}


def words(key: str) -> str:
    """A schema key ("ed_visits_6mo") as words, translated where known."""
    return tr(str(key).replace("_", " ").capitalize())


def _types(spec: Mapping[str, Any]) -> tuple[str, bool]:
    """The schema's type other than null, and whether null is allowed."""
    declared = spec.get("type", "string")
    names = [declared] if isinstance(declared, str) else list(declared)
    nullable = "null" in names or None in spec.get("enum", ())
    kind = next((n for n in names if n != "null"), "null")
    return kind, nullable


def _scalar_field(spec: Mapping[str, Any], label: str, required: bool) -> forms.Field:
    kind, nullable = _types(spec)
    help_text = tr(spec.get("description", ""))
    needed = required and not nullable
    common: dict[str, Any] = {"label": label, "help_text": help_text}
    if "enum" in spec:
        choices = [(str(v), words(str(v))) for v in spec["enum"] if v is not None]
        if not needed:
            choices.insert(0, ("", "—"))
        return forms.ChoiceField(
            choices=choices, required=needed, initial=spec.get("default"), **common
        )
    if kind == "boolean":
        if nullable:
            return forms.TypedChoiceField(
                choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))],
                coerce=lambda value: value == "true",
                empty_value=None,
                required=False,
                **common,
            )
        return forms.BooleanField(required=False, **common)
    if kind == "integer":
        return forms.IntegerField(
            min_value=spec.get("minimum"), max_value=spec.get("maximum"), required=needed, **common
        )
    if kind == "number":
        return forms.FloatField(
            min_value=spec.get("minimum"), max_value=spec.get("maximum"), required=needed, **common
        )
    if spec.get("format") == "date":
        return forms.DateField(widget=DateInput(), required=needed, **common)
    return forms.CharField(required=needed, max_length=200, **common)


def _is_scalar(spec: Mapping[str, Any]) -> bool:
    return _types(spec)[0] not in ("array", "object")


class RuleForm(WebForm):
    """The inputs of one rule, as the schema of ``rule`` describes them."""

    def __init__(self, rule: Rule, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule
        schema = rule.schema
        required = set(schema.get("required", ()))
        for key, spec in schema.get("properties", {}).items():
            self._add(key, spec, words(key), key in required)

    def _add(self, name: str, spec: Mapping[str, Any], label: str, required: bool) -> None:
        kind, _nullable = _types(spec)
        if kind == "object":
            inner = set(spec.get("required", ()))
            for key, sub in spec.get("properties", {}).items():
                self._add(f"{name}{SEP}{key}", sub, f"{label}: {words(key)}", key in inner)
            return
        if kind != "array":
            self.fields[name] = _scalar_field(spec, label, required)
            return
        item = spec.get("items", {})
        size = spec.get("minItems")
        if _is_scalar(item) and size is not None and size == spec.get("maxItems"):
            for index in range(size):
                entry = {**item, "description": spec.get("description", "") if index == 0 else ""}
                self.fields[f"{name}{SEP}{index}"] = _scalar_field(
                    entry, f"{label} {index + 1}", required
                )
            return
        if "enum" in item:
            self.fields[name] = forms.MultipleChoiceField(
                label=label,
                help_text=tr(spec.get("description", "")),
                choices=[(str(v), words(str(v))) for v in item["enum"]],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
            return
        example = "2026-11-27" if item.get("format") == "date" else "I50.22"
        hint = _("One per line, for example %(example)s.") % {"example": example}
        described = tr(spec.get("description", ""))
        self.fields[name] = forms.CharField(
            label=label,
            help_text=f"{described}. {hint}" if described else hint,
            widget=forms.Textarea(attrs=LINES),
            required=False,
            max_length=4000,
        )

    # The JSON the rule takes ------------------------------------------------------------

    def data_for_rule(self) -> dict[str, Any]:
        schema = self.rule.schema
        required = set(schema.get("required", ()))
        data: dict[str, Any] = {}
        for key, spec in schema.get("properties", {}).items():
            present, value = self._value(key, spec, key in required)
            if present:
                data[key] = value
        return data

    def _value(self, name: str, spec: Mapping[str, Any], required: bool) -> tuple[bool, Any]:
        kind, nullable = _types(spec)
        if kind == "object":
            inner = set(spec.get("required", ()))
            out = {}
            for key, sub in spec.get("properties", {}).items():
                present, value = self._value(f"{name}{SEP}{key}", sub, key in inner)
                if present:
                    out[key] = value
            return True, out
        if kind == "array":
            item = spec.get("items", {})
            if name not in self.fields:  # one field per entry
                count = spec.get("minItems", 0)
                return True, [self._scalar(f"{name}{SEP}{i}", item) for i in range(count)]
            value = self.cleaned_data.get(name)
            if isinstance(value, list):
                return True, value
            lines = str(value or "").splitlines()
            return True, [_entry(line.strip(), item) for line in lines if line.strip()]
        value = self._scalar(name, spec)
        if value is None and not nullable and not required:
            return False, None  # an optional input left out: the rule's default applies
        return True, value

    def _scalar(self, name: str, spec: Mapping[str, Any]) -> Any:
        value = self.cleaned_data.get(name)
        kind, _nullable = _types(spec)
        if value in ("", None):
            return None
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if kind == "number" and isinstance(value, float) and value.is_integer():
            return int(value)  # as the API reads "12": an integer
        if "enum" in spec:
            return next((v for v in spec["enum"] if str(v) == value), value)
        return value

    def add_invalid(self, error: InvalidInput) -> None:
        """The rule's refusal beside the field it names (else at the top of the form)."""
        name = re.sub(r"\[(\d+)\]", r".\1", error.field).replace(".", SEP)
        while name and name not in self.fields:
            name = name.rsplit(SEP, 1)[0] if SEP in name else ""
        self.add_error(name or None, tr(error.problem))


def _entry(text: str, item: Mapping[str, Any]) -> Any:
    """One line of a list: a number when the list holds numbers, else the text as typed (the
    rule says what is wrong with it)."""
    kind, _nullable = _types(item)
    if kind in ("integer", "number"):
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                return text
    return text
