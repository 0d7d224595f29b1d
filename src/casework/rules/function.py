"""Functional assessment: Katz ADL and Lawton IADL (spec section 4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ._rule import Result, Rule
from ._validate import boolean, enum, integer, obj

# --- Katz Index of Independence in ADL (Katz 1963; Hartford "Try This") --------------------
KATZ_FUNCTIONS: Final = (
    "bathing",
    "dressing",
    "toileting",
    "transferring",
    "continence",
    "feeding",
)
# Published interpretation anchors. Decision: totals 5 and 3 carry no label -> None.
KATZ_INTERPRETATION: Final[Mapping[int, str | None]] = {
    6: "full_function",
    5: None,
    4: "moderate_impairment",
    3: None,
    2: "severe_impairment",
    1: "severe_impairment",
    0: "severe_impairment",
}

# --- Lawton IADL (Lawton & Brody 1969; Graf 2008) ------------------------------------------
# Points per 1-based level, in the order of spec section 4.2; the tuple length is the number
# of levels, so it also fixes each domain's valid range.
LAWTON_LEVEL_POINTS: Final[Mapping[str, tuple[int, ...]]] = {
    "telephone": (1, 1, 1, 0),
    "shopping": (1, 0, 0, 0),
    "food_preparation": (1, 0, 0, 0),
    "housekeeping": (1, 1, 1, 1, 0),
    "laundry": (1, 1, 0),
    "transportation": (1, 1, 1, 0, 0),
    "medications": (1, 0, 0),
    "finances": (1, 1, 0),
}
# Decision: all 8 domains for everyone by default; "legacy_male" reproduces the historical
# 5-domain scoring of men (still requiring all 8 responses to be valid).
LAWTON_SCORING_DOMAINS: Final[Mapping[str, tuple[str, ...]]] = {
    "all_domains": tuple(LAWTON_LEVEL_POINTS),
    "legacy_male": ("telephone", "shopping", "transportation", "medications", "finances"),
}
LAWTON_DEFAULT_SCORING: Final = "all_domains"


def _katz(data: Mapping[str, Any]) -> Result:
    independent: Mapping[str, bool] = data["independent"]
    total = sum(independent[name] for name in KATZ_FUNCTIONS)
    return {"total": total, "interpretation": KATZ_INTERPRETATION[total]}


def _lawton(data: Mapping[str, Any]) -> Result:
    responses: Mapping[str, int] = data["responses"]
    scoring: str = data.get("scoring", LAWTON_DEFAULT_SCORING)
    domains = LAWTON_SCORING_DOMAINS[scoring]
    total = sum(LAWTON_LEVEL_POINTS[name][responses[name] - 1] for name in domains)
    return {"total": total, "max": len(domains), "scoring": scoring}


RULES: Final = (
    Rule(
        kind="katz_adl",
        title="Katz Index of Independence in ADL",
        schema=obj(
            {
                "independent": obj(
                    {name: boolean() for name in KATZ_FUNCTIONS},
                    description="true = independent (no supervision, direction or assistance)",
                )
            }
        ),
        output_keys=("total", "interpretation"),
        compute=_katz,
        source="Katz et al. 1963; Shelkey & Wallace, Try This issue 2",
        notes=("Decision: totals 5 and 3 have no published label; interpretation is null.",),
    ),
    Rule(
        kind="lawton_iadl",
        title="Lawton Instrumental Activities of Daily Living",
        schema=obj(
            {
                "responses": obj(
                    {
                        name: integer(1, len(points), description="1-based level number")
                        for name, points in LAWTON_LEVEL_POINTS.items()
                    }
                ),
                "scoring": enum(
                    tuple(LAWTON_SCORING_DOMAINS),
                    default=LAWTON_DEFAULT_SCORING,
                    description="legacy_male scores 5 domains only (max 5)",
                ),
            },
            optional=("scoring",),
        ),
        output_keys=("total", "max", "scoring"),
        compute=_lawton,
        source="Lawton & Brody 1969; Graf 2008",
        notes=(
            "Decision: default scoring uses all 8 domains for everyone.",
            "No published bands: the result is the total and the maximum.",
        ),
    ),
)
