"""Substance-use screens: AUDIT-C, DAST-10, CAGE-AID (rules: clinical-rules §3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casework.instruments.definitions.base import YES_NO, Answer, Instrument, Item, Option, ordered

AUDIT_C_ITEMS = (
    Item(
        "q1",
        "How often do you have a drink containing alcohol?",
        (
            Option(0, "Never"),
            Option(1, "Monthly or less"),
            Option(2, "2 to 4 times a month"),
            Option(3, "2 to 3 times a week"),
            Option(4, "4 or more times a week"),
        ),
    ),
    Item(
        "q2",
        "How many drinks on a typical day when you are drinking?",
        (
            Option(0, "1 or 2"),
            Option(1, "3 or 4"),
            Option(2, "5 or 6"),
            Option(3, "7 to 9"),
            Option(4, "10 or more"),
        ),
    ),
    Item(
        "q3",
        "How often do you have six or more drinks on one occasion?",
        (
            Option(0, "Never"),
            Option(1, "Less than monthly"),
            Option(2, "Monthly"),
            Option(3, "Weekly"),
            Option(4, "Daily or almost daily"),
        ),
    ),
    Item(
        "sex",
        "Cut-off to apply (the published cut-offs differ for men and women)",
        (Option("male", "Men (4 or more)"), Option("female", "Women (3 or more)")),
    ),
)


def _audit_c(answers: Mapping[str, Answer]) -> dict[str, Any]:
    return {"items": [answers.get(k) for k in ("q1", "q2", "q3")], "sex": answers.get("sex")}


DAST10_ITEMS = tuple(
    Item(f"q{n}", text, YES_NO)
    for n, text in enumerate(
        [
            "Used drugs other than those required for medical reasons (past 12 months)",
            "Used more than one drug at a time",
            "Always able to stop using drugs when you want to",
            "Had blackouts or flashbacks as a result of drug use",
            "Felt bad or guilty about your drug use",
            "Spouse or parents complained about your involvement with drugs",
            "Neglected your family because of your use of drugs",
            "Engaged in illegal activities to obtain drugs",
            "Had withdrawal symptoms when you stopped taking drugs",
            "Had medical problems as a result of drug use",
        ],
        start=1,
    )
)
CAGE_AID_ITEMS = tuple(
    Item(f"q{n}", text, YES_NO)
    for n, text in enumerate(
        [
            "Ever felt you ought to cut down on your drinking or drug use",
            "Have people annoyed you by criticising your drinking or drug use",
            "Ever felt bad or guilty about your drinking or drug use",
            "Ever used alcohol or drugs first thing in the morning to steady your nerves",
        ],
        start=1,
    )
)

AUDIT_C = Instrument(
    key="audit_c",
    title="AUDIT-C alcohol use",
    rule_kind="audit_c",
    domain="substance_use",
    items=AUDIT_C_ITEMS,
    to_rule_input=_audit_c,
    loinc_panel="72109-2",
    loinc_total="75626-2",
    reassess_days=365,
)
DAST10 = Instrument(
    key="dast10",
    title="DAST-10 drug use",
    rule_kind="dast10",
    domain="substance_use",
    items=DAST10_ITEMS,
    to_rule_input=ordered([i.key for i in DAST10_ITEMS], "answers"),
    band_key="level",
    reassess_days=365,
)
CAGE_AID = Instrument(
    key="cage_aid",
    title="CAGE-AID alcohol and drugs",
    rule_kind="cage_aid",
    domain="substance_use",
    items=CAGE_AID_ITEMS,
    to_rule_input=ordered([i.key for i in CAGE_AID_ITEMS], "answers"),
)
INSTRUMENTS = (AUDIT_C, DAST10, CAGE_AID)
