"""Readmission risk: LACE index and HOSPITAL score (spec section 7)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ._rule import Result, Rule, band_for
from ._validate import boolean, integer, number, obj

# --- LACE (van Walraven et al. 2010) -------------------------------------------------------
# (inclusive lower bound of the value, points). LOS >= 14 scores 7 in the original index (the
# modified UK LACE uses 6 - a different tool, not mixed in here).
LACE_LOS_POINTS: Final = ((0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (7, 5), (14, 7))
LACE_ACUTE_POINTS: Final = 3
LACE_CHARLSON_POINTS: Final = ((0, 0), (1, 1), (2, 2), (3, 3), (4, 5))
LACE_ED_POINTS: Final = ((0, 0), (1, 1), (2, 2), (3, 3), (4, 4))
# The paper publishes no bands; these are the widely used ones (e.g. Wang et al. 2014).
LACE_RISK_BANDS: Final = ((0, "low"), (5, "moderate"), (10, "high"))

# --- HOSPITAL (Donzé et al. 2013, 2016) ----------------------------------------------------
# Strict cut-offs: haemoglobin exactly 12.0 and sodium exactly 135 score 0.
HOSPITAL_HEMOGLOBIN_BELOW: Final = 12  # g/dL
HOSPITAL_SODIUM_BELOW: Final = 135  # mmol/L
HOSPITAL_ONCOLOGY_POINTS: Final = 2
# Previous-12-month admissions: 0-1 -> 0, 2-5 -> 2, > 5 -> 5 (not "1-5 -> 2").
HOSPITAL_ADMISSION_POINTS: Final = ((0, 0), (2, 2), (6, 5))
HOSPITAL_LOS_AT_LEAST: Final = 5  # days; LOS exactly 5 scores
HOSPITAL_LOS_POINTS: Final = 2
HOSPITAL_RISK_BANDS: Final = ((0, "low"), (5, "intermediate"), (7, "high"))


def _points(value: int, table: tuple[tuple[int, int], ...]) -> int:
    """Points of the last row whose inclusive lower bound ``value`` reaches."""
    points = table[0][1]
    for lower, row_points in table:
        if value >= lower:
            points = row_points
    return points


def _lace(data: Mapping[str, Any]) -> Result:
    parts = {
        "l": _points(data["length_of_stay_days"], LACE_LOS_POINTS),
        "a": LACE_ACUTE_POINTS if data["acute_admission"] else 0,
        "c": _points(data["charlson_score"], LACE_CHARLSON_POINTS),
        "e": _points(data["ed_visits_6mo"], LACE_ED_POINTS),
    }
    total = sum(parts.values())
    return {**parts, "total": total, "risk": band_for(total, LACE_RISK_BANDS)}


def _hospital(data: Mapping[str, Any]) -> Result:
    total = (
        (data["hemoglobin_g_dl"] < HOSPITAL_HEMOGLOBIN_BELOW)
        + (HOSPITAL_ONCOLOGY_POINTS if data["oncology_discharge"] else 0)
        + (data["sodium_mmol_l"] < HOSPITAL_SODIUM_BELOW)
        + bool(data["procedure"])
        + bool(data["urgent_admission"])
        + _points(data["admissions_prev_12mo"], HOSPITAL_ADMISSION_POINTS)
        + (HOSPITAL_LOS_POINTS if data["length_of_stay_days"] >= HOSPITAL_LOS_AT_LEAST else 0)
    )
    score = int(total)
    return {"total": score, "risk": band_for(score, HOSPITAL_RISK_BANDS)}


_COUNT = integer(0)

RULES: Final = (
    Rule(
        kind="lace",
        title="LACE index (30-day death or unplanned readmission)",
        schema=obj(
            {
                "length_of_stay_days": integer(
                    0, description="discharge date minus admission date (same day = 0)"
                ),
                "acute_admission": boolean(description="emergent, unplanned admission"),
                "charlson_score": integer(0, description="Charlson comorbidity index score"),
                "ed_visits_6mo": integer(
                    0, description="ED visits in the 6 months before admission, excl. index"
                ),
            }
        ),
        output_keys=("l", "a", "c", "e", "total", "risk"),
        compute=_lace,
        source="van Walraven et al. 2010; bands: Wang et al. 2014",
        notes=(
            "Decision: length of stay = discharge date - admission date (not inclusive).",
            "Decision: the caller may pass the Charlson 1987 score of charlson_icd10 as C.",
            "Unconfirmed: whether the LACE worksheet lists AIDS (at 4).",
            "Risk bands 0-4 low, 5-9 moderate, >= 10 high are common practice, not the paper's.",
        ),
    ),
    Rule(
        kind="hospital_score",
        title="HOSPITAL score (potentially avoidable 30-day readmission)",
        schema=obj(
            {
                "hemoglobin_g_dl": number(exclusiveMinimum=0, description="at discharge, g/dL"),
                "oncology_discharge": boolean(description="discharged from an oncology service"),
                "sodium_mmol_l": number(exclusiveMinimum=0, description="at discharge, mmol/L"),
                "procedure": boolean(description="any ICD-coded procedure during the stay"),
                "urgent_admission": boolean(description="urgent/emergent index admission"),
                "admissions_prev_12mo": _COUNT,
                "length_of_stay_days": _COUNT,
            }
        ),
        output_keys=("total", "risk"),
        compute=_hospital,
        source="Donzé et al. 2013; international validation 2016",
        notes=("Strict cut-offs: Hb < 12 g/dL, Na < 135 mmol/L, LOS >= 5 days.",),
    ),
)
