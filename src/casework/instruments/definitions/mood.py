"""Depression and anxiety screens: PHQ-9, PHQ-2, GAD-7, GAD-2 (rules: clinical-rules §2)."""

from __future__ import annotations

from casework.instruments.definitions.base import (
    SEVERAL_DAYS_SCALE,
    Instrument,
    ordered,
    scaled,
)

PHQ9_ITEMS = scaled(
    [
        ("q1", "Little interest or pleasure in doing things"),
        ("q2", "Feeling down, depressed or hopeless"),
        ("q3", "Trouble with sleep: falling or staying asleep, or sleeping too much"),
        ("q4", "Feeling tired or having little energy"),
        ("q5", "Poor appetite or overeating"),
        ("q6", "Feeling bad about yourself, or that you have let yourself or others down"),
        ("q7", "Trouble concentrating, e.g. reading or watching television"),
        ("q8", "Moving or speaking noticeably slowly, or being unusually restless"),
        ("q9", "Thoughts that you would be better off dead, or of hurting yourself"),
    ],
    SEVERAL_DAYS_SCALE,
)
GAD7_ITEMS = scaled(
    [
        ("q1", "Feeling nervous, anxious or on edge"),
        ("q2", "Not being able to stop or control worrying"),
        ("q3", "Worrying too much about different things"),
        ("q4", "Trouble relaxing"),
        ("q5", "Being so restless that it is hard to sit still"),
        ("q6", "Becoming easily annoyed or irritable"),
        ("q7", "Feeling afraid as if something awful might happen"),
    ],
    SEVERAL_DAYS_SCALE,
)

PHQ9 = Instrument(
    key="phq9",
    title="PHQ-9 depression",
    rule_kind="phq9",
    domain="behavioral_health",
    items=PHQ9_ITEMS,
    to_rule_input=ordered([i.key for i in PHQ9_ITEMS]),
    loinc_panel="44249-1",
    loinc_total="44261-6",
    reassess_days=28,  # every 4 weeks while depressed (case-process.md, "What is due")
    band_key="severity",
    notes=("Any answer above 0 on item 9 raises an urgent alert for a clinician's follow-up.",),
)
PHQ2 = Instrument(
    key="phq2",
    title="PHQ-2 depression screen",
    rule_kind="phq2",
    domain="behavioral_health",
    items=PHQ9_ITEMS[:2],
    to_rule_input=ordered(["q1", "q2"]),
    loinc_panel="55757-9",
    loinc_total="55758-7",
    notes=("A positive PHQ-2 (3 or more) should be followed by the full PHQ-9.",),
)
GAD7 = Instrument(
    key="gad7",
    title="GAD-7 anxiety",
    rule_kind="gad7",
    domain="behavioral_health",
    items=GAD7_ITEMS,
    to_rule_input=ordered([i.key for i in GAD7_ITEMS]),
    loinc_panel="69737-5",
    loinc_total="70274-6",
    reassess_days=28,
    band_key="severity",
)
GAD2 = Instrument(
    key="gad2",
    title="GAD-2 anxiety screen",
    rule_kind="gad2",
    domain="behavioral_health",
    items=GAD7_ITEMS[:2],
    to_rule_input=ordered(["q1", "q2"]),
)
INSTRUMENTS = (PHQ9, PHQ2, GAD7, GAD2)
