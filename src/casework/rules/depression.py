"""Depression and anxiety screeners: PHQ-9, PHQ-2, GAD-7, GAD-2 (spec section 2).

Every item uses the same 0-3 scale over the last two weeks (not at all .. nearly every day);
the total is the plain sum. No proration: all items are required (spec section 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ._rule import Result, Rule, band_for
from ._validate import array, integer, obj

ITEM_MIN: Final = 0
ITEM_MAX: Final = 3

# (inclusive lower bound, label); cut-points 5, 10, 15, 20 as published (Kroenke 2001).
PHQ9_SEVERITY_BANDS: Final = (
    (0, "minimal"),
    (5, "mild"),
    (10, "moderate"),
    (15, "moderately_severe"),
    (20, "severe"),
)
PHQ9_POSITIVE_AT: Final = 10  # the paper's operating point (sensitivity = specificity = 88 %)
PHQ9_SUICIDE_ITEM_INDEX: Final = 8  # item 9, 0-based
PHQ2_POSITIVE_AT: Final = 3

GAD7_SEVERITY_BANDS: Final = ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe"))
GAD7_POSITIVE_AT: Final = 10
GAD2_POSITIVE_AT: Final = 3


def _items_schema(count: int, what: str) -> dict[str, Any]:
    item = integer(ITEM_MIN, ITEM_MAX)
    return obj(
        {"items": array(item, count, description=f"{count} {what} item scores 0-3, in order")}
    )


def _total(data: Mapping[str, Any]) -> int:
    items: list[int] = data["items"]
    return sum(items)


def _phq9(data: Mapping[str, Any]) -> Result:
    items: list[int] = data["items"]
    total = sum(items)
    return {
        "total": total,
        "severity": band_for(total, PHQ9_SEVERITY_BANDS),
        "positive_screen": total >= PHQ9_POSITIVE_AT,
        # Independent of the total and band: any response above 0 on item 9 asks for prompt
        # clinician assessment of suicide risk (e.g. the C-SSRS screener).
        "item9_flag": items[PHQ9_SUICIDE_ITEM_INDEX] > 0,
    }


def _phq2(data: Mapping[str, Any]) -> Result:
    total = _total(data)
    return {"total": total, "positive_screen": total >= PHQ2_POSITIVE_AT}


def _gad7(data: Mapping[str, Any]) -> Result:
    total = _total(data)
    return {
        "total": total,
        "severity": band_for(total, GAD7_SEVERITY_BANDS),
        "positive_screen": total >= GAD7_POSITIVE_AT,
    }


def _gad2(data: Mapping[str, Any]) -> Result:
    total = _total(data)
    return {"total": total, "positive_screen": total >= GAD2_POSITIVE_AT}


RULES: Final = (
    Rule(
        kind="phq9",
        title="PHQ-9 depression severity",
        schema=_items_schema(9, "PHQ-9"),
        output_keys=("total", "severity", "positive_screen", "item9_flag"),
        compute=_phq9,
        source="Kroenke, Spitzer & Williams 2001",
        notes=(
            "Decision: no proration of missing items.",
            "The optional 10th (difficulty) question is never scored and is not an input.",
        ),
    ),
    Rule(
        kind="phq2",
        title="PHQ-2 depression screen",
        schema=_items_schema(2, "PHQ-2"),
        output_keys=("total", "positive_screen"),
        compute=_phq2,
        source="Kroenke, Spitzer & Williams 2003",
        notes=("A positive PHQ-2 should be followed by the full PHQ-9.",),
    ),
    Rule(
        kind="gad7",
        title="GAD-7 anxiety severity",
        schema=_items_schema(7, "GAD-7"),
        output_keys=("total", "severity", "positive_screen"),
        compute=_gad7,
        source="Spitzer, Kroenke, Williams & Loewe 2006",
    ),
    Rule(
        kind="gad2",
        title="GAD-2 anxiety screen",
        schema=_items_schema(2, "GAD-2"),
        output_keys=("total", "positive_screen"),
        compute=_gad2,
        source="Kroenke et al. 2007",
    ),
)
