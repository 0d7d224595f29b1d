"""Function: Katz ADL and Lawton IADL (rules: clinical-rules §4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casework.instruments.definitions.base import Answer, Instrument, Item, Option

_INDEPENDENT = (Option(True, "Independent"), Option(False, "Needs help (dependent)"))
KATZ_ITEMS = tuple(
    Item(key, text, _INDEPENDENT)
    for key, text in [
        ("bathing", "Bathing"),
        ("dressing", "Dressing"),
        ("toileting", "Toileting"),
        ("transferring", "Transferring (bed or chair)"),
        ("continence", "Continence"),
        ("feeding", "Feeding"),
    ]
)


def _levels(*labels: str) -> tuple[Option, ...]:
    return tuple(Option(n, label) for n, label in enumerate(labels, start=1))


LAWTON_ITEMS = (
    Item("telephone", "Using the telephone", _levels(
        "Uses it on own initiative", "Dials a few well-known numbers",
        "Answers but does not dial", "Does not use it")),
    Item("shopping", "Shopping", _levels(
        "Does all shopping", "Small purchases only", "Needs to be accompanied",
        "Completely unable")),
    Item("food_preparation", "Preparing food", _levels(
        "Plans, prepares and serves adequate meals", "Prepares meals if given ingredients",
        "Heats prepared meals, or diet not adequate", "Needs meals prepared and served")),
    Item("housekeeping", "Housekeeping", _levels(
        "Alone, or with occasional heavy help", "Light daily tasks",
        "Light tasks, cleanliness not kept", "Needs help with all tasks",
        "Takes no part")),
    Item("laundry", "Laundry", _levels(
        "Does all own laundry", "Small items only", "All done by others")),
    Item("transportation", "Getting around", _levels(
        "Travels independently or drives", "Arranges own taxi only",
        "Public transport when accompanied", "Taxi or car only with help", "Does not travel")),
    Item("medications", "Own medications", _levels(
        "Correct doses at correct times", "Only if prepared in advance", "Not capable")),
    Item("finances", "Finances", _levels(
        "Manages independently", "Day-to-day only, needs help with banking",
        "Incapable of handling money")),
)  # fmt: skip


def _katz(answers: Mapping[str, Answer]) -> dict[str, Any]:
    return {"independent": dict(answers)}


def _lawton(answers: Mapping[str, Answer]) -> dict[str, Any]:
    return {"responses": dict(answers)}


KATZ_ADL = Instrument(
    key="katz_adl",
    title="Katz index of independence in ADL",
    rule_kind="katz_adl",
    domain="functional",
    items=KATZ_ITEMS,
    to_rule_input=_katz,
    band_key="interpretation",
    reassess_days=180,
)
LAWTON_IADL = Instrument(
    key="lawton_iadl",
    title="Lawton instrumental ADL",
    rule_kind="lawton_iadl",
    domain="functional",
    items=LAWTON_ITEMS,
    to_rule_input=_lawton,
    reassess_days=180,
)
INSTRUMENTS = (KATZ_ADL, LAWTON_IADL)
