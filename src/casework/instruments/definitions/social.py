"""Social needs: the CMS AHC HRSN screening tool, core questions (rules: clinical-rules §5)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casework.instruments.definitions.base import Answer, Instrument, Item, Option

_OFTEN = (
    Option("often_true", "Often true"),
    Option("sometimes_true", "Sometimes true"),
    Option("never_true", "Never true"),
)
_FREQUENCY = tuple(
    Option(n, label)
    for n, label in enumerate(["Never", "Rarely", "Sometimes", "Fairly often", "Frequently"], 1)
)
AHC_ITEMS = (
    Item("living_situation", "Living situation today", (
        Option("steady", "A steady place to live"),
        Option("worried_about_losing", "A place to live today, but worried about losing it"),
        Option("not_steady", "No steady place to live"))),
    Item("housing_problems", "Problems with the place you live", (
        Option("pests", "Pests"), Option("mold", "Mould"),
        Option("lead_paint_or_pipes", "Lead paint or pipes"), Option("lack_of_heat", "No heat"),
        Option("oven_or_stove_not_working", "Oven or stove not working"),
        Option("smoke_detectors_missing_or_not_working", "Smoke detectors missing or broken"),
        Option("water_leaks", "Water leaks"), Option("none", "None of these")),
        multiple=True),
    Item("food_worry", "Worried food would run out before money to buy more", _OFTEN),
    Item("food_didnt_last", "Food bought did not last and no money to get more", _OFTEN),
    Item("transportation", "Lack of reliable transport kept you from appointments or needs", (
        Option("yes", "Yes"), Option("no", "No"))),
    Item("utilities", "A utility company threatened to shut off services", (
        Option("yes", "Yes"), Option("no", "No"),
        Option("already_shut_off", "Already shut off"))),
    Item("safety_hurt", "How often does anyone physically hurt you", _FREQUENCY),
    Item("safety_insult", "How often does anyone insult or talk down to you", _FREQUENCY),
    Item("safety_threaten", "How often does anyone threaten you with harm", _FREQUENCY),
    Item("safety_scream", "How often does anyone scream or curse at you", _FREQUENCY),
)  # fmt: skip
_SAFETY = ("safety_hurt", "safety_insult", "safety_threaten", "safety_scream")


def _ahc(answers: Mapping[str, Answer]) -> dict[str, Any]:
    data: dict[str, Any] = {k: v for k, v in answers.items() if k not in _SAFETY}
    data["safety"] = [answers.get(k) for k in _SAFETY]
    return data


AHC_HRSN = Instrument(
    key="ahc_hrsn_core",
    title="AHC health-related social needs (core)",
    rule_kind="ahc_hrsn_core",
    domain="housing",
    items=AHC_ITEMS,
    to_rule_input=_ahc,
    loinc_panel="96777-8",
    total_key="safety_score",
    reassess_days=365,
)
INSTRUMENTS = (AHC_HRSN,)
