"""Suicide risk: the C-SSRS screener with its skip logic (rules: clinical-rules §6)."""

from __future__ import annotations

from casework.instruments.definitions.base import YES_NO, Instrument, Item, passthrough

CSSRS_ITEMS = (
    Item("q1", "Wished you were dead or could go to sleep and not wake up (past month)", YES_NO),
    Item("q2", "Had any thoughts of killing yourself (past month)", YES_NO),
    Item("q3", "Thought about how you might do this", YES_NO, asked_if=("q2", True)),
    Item("q4", "Had these thoughts with some intention of acting on them", YES_NO,
         asked_if=("q2", True)),
    Item("q5", "Started to work out or worked out the details; intend to carry it out",
         YES_NO, asked_if=("q2", True)),
    Item("q6", "Ever done, started or prepared to do anything to end your life", YES_NO),
    Item("q6_past_3_months", "Was that within the past 3 months?", YES_NO,
         asked_if=("q6", True)),
)  # fmt: skip

CSSRS = Instrument(
    key="cssrs_screener",
    title="C-SSRS screener (suicide risk)",
    rule_kind="cssrs_screener",
    domain="behavioral_health",
    items=CSSRS_ITEMS,
    to_rule_input=passthrough,
    total_key=None,
    band_key="risk",
    notes=("High risk raises an urgent alert until a clinician's follow-up is recorded.",),
)
INSTRUMENTS = (CSSRS,)
