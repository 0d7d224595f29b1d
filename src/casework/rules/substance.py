"""Substance-use screeners: AUDIT-C, DAST-10, CAGE-AID (spec section 3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ._rule import Result, Rule, band_for
from ._validate import array, boolean, enum, integer, obj

# --- AUDIT-C (Bush 1998; Bradley 2003, 2007) -----------------------------------------------
AUDIT_C_ITEM_MAX: Final = 4
# Sex-specific cut-offs; only the two published ones exist, so no other value is accepted.
AUDIT_C_POSITIVE_AT: Final = {"male": 4, "female": 3}

# --- DAST-10 (Skinner 1982; DAST-10 scoring guideline) ------------------------------------
DAST10_REVERSED_INDEX: Final = 2  # question 3 ("always able to stop"): "no" scores 1
DAST10_LEVELS: Final = (
    (0, "none"),
    (1, "low"),
    (3, "moderate"),
    (6, "substantial"),
    (9, "severe"),
)
# Suggested action per level (published alongside the levels); extra output for help text.
DAST10_ACTIONS: Final = {
    "none": "none at this time",
    "low": "monitor, reassess at a later date",
    "moderate": "further investigation",
    "substantial": "intensive assessment",
    "severe": "intensive assessment",
}

# --- CAGE-AID (Brown & Rounds 1995) --------------------------------------------------------
# Decision: one "yes" is positive (the authors also report >= 2, which is more specific).
CAGE_AID_POSITIVE_AT: Final = 1


def _audit_c(data: Mapping[str, Any]) -> Result:
    items: list[int] = data["items"]
    q1, q2, q3 = items
    total = q1 + q2 + q3
    return {
        "total": total,
        "positive_screen": total >= AUDIT_C_POSITIVE_AT[data["sex"]],
        # Probably drinking below recommended limits; review intake. Never changes the result.
        "all_points_from_q1": q1 > 0 and q2 == 0 and q3 == 0,
    }


def _dast10(data: Mapping[str, Any]) -> Result:
    answers: list[bool] = data["answers"]
    total = sum(
        (not yes) if index == DAST10_REVERSED_INDEX else yes for index, yes in enumerate(answers)
    )
    level = band_for(total, DAST10_LEVELS)
    return {"total": total, "level": level, "action": DAST10_ACTIONS[level]}


def _cage_aid(data: Mapping[str, Any]) -> Result:
    answers: list[bool] = data["answers"]
    total = sum(answers)
    return {"total": total, "positive_screen": total >= CAGE_AID_POSITIVE_AT}


RULES: Final = (
    Rule(
        kind="audit_c",
        title="AUDIT-C alcohol misuse screen",
        schema=obj(
            {
                "items": array(
                    integer(0, AUDIT_C_ITEM_MAX),
                    3,
                    description="Q1 frequency, Q2 typical quantity, Q3 six or more; each 0-4",
                ),
                "sex": enum(tuple(AUDIT_C_POSITIVE_AT), description="sex whose cut-off applies"),
            }
        ),
        output_keys=("total", "positive_screen", "all_points_from_q1"),
        compute=_audit_c,
        source="Bush et al. 1998; Bradley et al. 2003, 2007",
        notes=(
            "Positive: men >= 4, women >= 3.",
            "Decision: sex must be male or female; the published cut-offs exist for these only.",
        ),
    ),
    Rule(
        kind="dast10",
        title="DAST-10 drug use screen",
        schema=obj(
            {
                "answers": array(
                    boolean(), 10, description='10 answers in question order; true = "yes"'
                )
            }
        ),
        output_keys=("total", "level", "action"),
        compute=_dast10,
        source="Skinner 1982; DAST-10 scoring guideline",
        notes=('Question 3 is reverse-scored: "no" scores 1.',),
    ),
    Rule(
        kind="cage_aid",
        title="CAGE-AID alcohol and drug screen",
        schema=obj(
            {"answers": array(boolean(), 4, description='4 answers in order; true = "yes"')}
        ),
        output_keys=("total", "positive_screen"),
        compute=_cage_aid,
        source="Brown & Rounds 1995, adapted from Ewing 1984",
        notes=("Decision: positive_screen uses >= 1 (>= 2 is more specific).",),
    ),
)
