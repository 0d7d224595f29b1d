"""How an instrument is declared: items, answer options and values, codes, scoring rule.

An instrument is data. The same declaration drives the web form, the API's validation, the
scoring (through the rule library, by ``rule_kind``) and, later, the FHIR Questionnaire.
Item wording here is our own short paraphrase for the form; the published form's exact wording
belongs to its authors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Answer = int | str | bool | list[str] | None


@dataclass(frozen=True)
class Option:
    value: int | str | bool
    label: str


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    options: tuple[Option, ...]
    multiple: bool = False  # several options may be chosen (a list answer)
    loinc: str | None = None
    # Asked only when another item has this answer (skip logic); otherwise the answer is null.
    asked_if: tuple[str, Answer] | None = None


@dataclass(frozen=True)
class Instrument:
    key: str
    title: str
    rule_kind: str
    domain: str  # the assessment domain it informs
    items: tuple[Item, ...]
    # Turns answers keyed by item into the rule library's input for ``rule_kind``.
    to_rule_input: Callable[[Mapping[str, Answer]], dict[str, Any]]
    loinc_panel: str | None = None
    loinc_total: str | None = None
    reassess_days: int | None = None
    # Result keys worth showing as the headline: total and band, when the rule has them.
    total_key: str | None = "total"
    band_key: str | None = None
    phases: tuple[str, ...] = ("screening", "assessment", "monitoring", "evaluation")
    notes: tuple[str, ...] = field(default=())

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def answer_key_for(self, rule_field: str | None) -> str:
        """The answer that a rule-library error names (``items[3]`` -> the 4th item's key)."""
        if not rule_field:
            return "answers"
        head, _, rest = rule_field.partition("[")
        if rest and head in {"items", "answers"}:
            index = int(rest.split("]")[0])
            return self.items[index].key if index < len(self.items) else head
        last = rule_field.split(".")[-1].split("[")[0]
        return last


SEVERAL_DAYS_SCALE: tuple[Option, ...] = (
    Option(0, "Not at all"),
    Option(1, "Several days"),
    Option(2, "More than half the days"),
    Option(3, "Nearly every day"),
)
YES_NO: tuple[Option, ...] = (Option(True, "Yes"), Option(False, "No"))


def scaled(keys_and_texts: list[tuple[str, str]], options: tuple[Option, ...]) -> tuple[Item, ...]:
    return tuple(Item(key, text, options) for key, text in keys_and_texts)


def ordered(keys: list[str], field_name: str = "items") -> Callable[..., dict[str, Any]]:
    def build(answers: Mapping[str, Answer]) -> dict[str, Any]:
        return {field_name: [answers.get(k) for k in keys]}

    return build


def passthrough(answers: Mapping[str, Answer]) -> dict[str, Any]:
    return dict(answers)
