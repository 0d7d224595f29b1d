"""Suicide risk: C-SSRS screener triage (Columbia Lighthouse Project; spec section 6).

Screen version: ideation since last contact / past month, behavior lifetime with a
past-3-months follow-up. Skip logic is part of the input contract (**Decision**): a question
that was not asked must be ``null`` and a question that was asked must be a boolean.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ._rule import Result, Rule
from ._validate import InvalidInput, boolean, obj

# Q3-Q5 are asked only when Q2 (non-specific active suicidal thoughts) is "yes".
FOLLOW_UP_QUESTIONS: Final = ("q3", "q4", "q5")
RISK_LEVELS: Final = ("none", "low", "moderate", "high")  # ascending; highest that applies


def _check_skip_logic(data: Mapping[str, Any]) -> None:
    for key in FOLLOW_UP_QUESTIONS:
        if data["q2"] and data[key] is None:
            raise InvalidInput(key, "required (boolean) because q2 is true")
        if not data["q2"] and data[key] is not None:
            raise InvalidInput(key, "must be null (not asked) because q2 is false")
    if data["q6"] and data["q6_past_3_months"] is None:
        raise InvalidInput("q6_past_3_months", "required (boolean) because q6 is true")
    if not data["q6"] and data["q6_past_3_months"] is not None:
        raise InvalidInput("q6_past_3_months", "must be null (not asked) because q6 is false")


def _cssrs(data: Mapping[str, Any]) -> Result:
    _check_skip_logic(data)
    behavior = bool(data["q6"])
    recent = behavior and bool(data["q6_past_3_months"])
    # ``is True`` because unasked follow-up questions are None.
    if data["q4"] is True or data["q5"] is True or recent:
        # Columbia's operational threshold for imminent risk in every setting.
        risk = "high"
    elif data["q3"] is True or behavior:
        risk = "moderate"
    elif data["q1"] or data["q2"]:
        risk = "low"
    else:
        risk = "none"
    return {"risk": risk}


RULES: Final = (
    Rule(
        kind="cssrs_screener",
        title="C-SSRS screener triage",
        schema=obj(
            {
                "q1": boolean(description="wish to be dead"),
                "q2": boolean(description="non-specific active suicidal thoughts"),
                "q3": boolean(True, description="thoughts with a method; null unless q2"),
                "q4": boolean(True, description="intent without specific plan; null unless q2"),
                "q5": boolean(True, description="intent with specific plan; null unless q2"),
                "q6": boolean(description="any suicidal behavior ever"),
                "q6_past_3_months": boolean(
                    True, description="behavior within past 3 months; null unless q6"
                ),
            }
        ),
        output_keys=("risk",),
        compute=_cssrs,
        source="Posner et al. 2011; Columbia C-SSRS Screen Version and triage guidelines",
        notes=(
            "high: yes to Q4 or Q5, or behavior in the past 3 months (Columbia's threshold).",
            "moderate/low split follows Columbia's colour-coded screener forms; next steps "
            "are setting-specific.",
            "Decision: every key is required; unasked questions are null.",
        ),
    ),
)
