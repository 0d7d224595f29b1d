"""Test-side transcription of spec section 11 (independent of the library's own schemas).

``SPEC_INPUTS`` describes each kind's input fields as written in the spec; ``VALID`` holds one
valid input per kind; ``SPEC_OUTPUTS`` the output keys the spec lists. ``rejections`` derives,
from the spec description alone, every section-1 rejection class that applies to a kind
(missing key, extra key, bool-for-int, int-for-bool, float-for-int, string-for-number, out of
range, wrong list length, unknown enum, bad date, null where not allowed) with the field path
the error must name.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Int:
    lo: int
    hi: int | None = None
    nullable: bool = False


@dataclass(frozen=True)
class Bool:
    nullable: bool = False


@dataclass(frozen=True)
class Num:
    lo: float
    exclusive: bool = False


@dataclass(frozen=True)
class Enum:
    values: tuple[str, ...]
    nullable: bool = False


@dataclass(frozen=True)
class Date:
    nullable: bool = False


@dataclass(frozen=True)
class Str:
    pass


@dataclass(frozen=True)
class List:
    item: Any
    length: int | None = None  # None: variable length


@dataclass(frozen=True)
class Obj:
    fields: dict[str, Any] = field(default_factory=dict)


I03 = Int(0, 3)
SETTINGS = (
    "inpatient_acute_care_hospital",
    "inpatient_psychiatric_hospital",
    "long_term_care_hospital",
    "skilled_nursing_facility",
    "inpatient_rehabilitation_facility",
    "hospital_outpatient_observation",
    "partial_hospitalization",
    "cmhc_partial_hospitalization",
    "emergency_department",
    "nursing_facility_long_term",
    "other",
)
DESTINATIONS = (
    "home",
    "domiciliary",
    "rest_home",
    "assisted_living",
    "skilled_nursing_facility",
    "inpatient_hospital",
    "hospice_facility",
    "other",
)
FOOD = ("often_true", "sometimes_true", "never_true")
LAWTON_LEVELS = {
    "telephone": 4,
    "shopping": 4,
    "food_preparation": 4,
    "housekeeping": 5,
    "laundry": 3,
    "transportation": 5,
    "medications": 3,
    "finances": 3,
}
KATZ = ("bathing", "dressing", "toileting", "transferring", "continence", "feeding")
TCM = {
    "discharge_date": Date(),
    "discharge_setting": Enum(SETTINGS),
    "discharged_to": Enum(DESTINATIONS),
}

# Nullable fields whose null-ness is conditional (skip logic etc.) are described by the type
# they must have in the matching VALID example, so "null" is a rejection there too.
SPEC_INPUTS: dict[str, dict[str, Any]] = {
    "phq9": {"items": List(I03, 9)},
    "phq2": {"items": List(I03, 2)},
    "gad7": {"items": List(I03, 7)},
    "gad2": {"items": List(I03, 2)},
    "audit_c": {"items": List(Int(0, 4), 3), "sex": Enum(("male", "female"))},
    "dast10": {"answers": List(Bool(), 10)},
    "cage_aid": {"answers": List(Bool(), 4)},
    "katz_adl": {"independent": Obj({name: Bool() for name in KATZ})},
    "lawton_iadl": {
        "responses": Obj({name: Int(1, top) for name, top in LAWTON_LEVELS.items()}),
        "scoring": Enum(("all_domains", "legacy_male")),
    },
    "ahc_hrsn_core": {
        "living_situation": Enum(("steady", "worried_about_losing", "not_steady")),
        "housing_problems": List(
            Enum(
                (
                    "pests",
                    "mold",
                    "lead_paint_or_pipes",
                    "lack_of_heat",
                    "oven_or_stove_not_working",
                    "smoke_detectors_missing_or_not_working",
                    "water_leaks",
                    "none",
                )
            )
        ),
        "food_worry": Enum(FOOD),
        "food_didnt_last": Enum(FOOD),
        "transportation": Enum(("yes", "no")),
        "utilities": Enum(("yes", "no", "already_shut_off")),
        "safety": List(Int(1, 5), 4),
    },
    "cssrs_screener": {
        **{f"q{n}": Bool() for n in range(1, 7)},
        "q6_past_3_months": Bool(),
    },
    "lace": {
        "length_of_stay_days": Int(0),
        "acute_admission": Bool(),
        "charlson_score": Int(0),
        "ed_visits_6mo": Int(0),
    },
    "hospital_score": {
        "hemoglobin_g_dl": Num(0, exclusive=True),
        "oncology_discharge": Bool(),
        "sodium_mmol_l": Num(0, exclusive=True),
        "procedure": Bool(),
        "urgent_admission": Bool(),
        "admissions_prev_12mo": Int(0),
        "length_of_stay_days": Int(0),
    },
    "charlson_icd10": {"codes": List(Str()), "age": Int(0, 130, nullable=True)},
    "tcm_deadlines": dict(TCM),
    "tcm_billing": {
        **TCM,
        "mdm": Enum(("straightforward", "low", "moderate", "high")),
        "contact_date": Date(nullable=True),
        "unsuccessful_attempt_dates": List(Date()),
        "face_to_face_date": Date(nullable=True),
    },
    "hedis_mrp": {"discharge_date": Date(), "reconciliation_date": Date()},
    "ccm_eligibility": {
        "license_independent_practice": Bool(),
        "degree_health_human_services": Enum(("none", "bachelor", "master", "doctorate")),
        "supervised_field_experience": Bool(),
        "months_cm_full_time": Int(0),
        "supervised_by_ccm": Bool(),
        "months_supervising_cm": Int(0),
    },
    "ccm_renewal": {"ce_hours": Num(0), "ethics_hours": Num(0)},
    "acm_eligibility": {
        "discipline": Enum(("RN", "SW")),
        "rn_license_active": Bool(),  # RN example: must be a boolean
        "sw_degree": Enum(("BSW", "MSW", "none"), nullable=True),  # RN example: must be null
        "months_health_system_cm_full_time_supervised": Int(0),
    },
    "acm_renewal": {"ce_hours": Num(0), "cm_specific_hours": Num(0)},
    "nasw_cm_eligibility": {
        "credential": Enum(("C-SWCM", "C-ASWCM")),
        "degree": Enum(("BSW", "MSW")),
        "cswe_accredited": Bool(),
        "post_degree_supervised_paid_cm_hours": Int(0),
        "license_or_aswb_exam_at_level": Bool(),
        "ce_contact_hours": Num(0),
    },
}

OPTIONAL_INPUTS = {"lawton_iadl": {"scoring"}}

SPEC_OUTPUTS: dict[str, tuple[str, ...]] = {
    "phq9": ("total", "severity", "positive_screen", "item9_flag"),
    "phq2": ("total", "positive_screen"),
    "gad7": ("total", "severity", "positive_screen"),
    "gad2": ("total", "positive_screen"),
    "audit_c": ("total", "positive_screen", "all_points_from_q1"),
    "dast10": ("total", "level"),
    "cage_aid": ("total", "positive_screen"),
    "katz_adl": ("total", "interpretation"),
    "lawton_iadl": ("total", "max"),
    "ahc_hrsn_core": (
        "living_situation",
        "food_insecurity",
        "transportation",
        "utilities",
        "interpersonal_safety",
        "safety_score",
        "any_need",
    ),
    "cssrs_screener": ("risk",),
    "lace": ("l", "a", "c", "e", "total", "risk"),
    "hospital_score": ("total", "risk"),
    "charlson_icd10": (
        "conditions",
        "charlson_1987",
        "quan_2011",
        "age_points",
        "charlson_1987_age_adjusted",
    ),
    "tcm_deadlines": (
        "eligible",
        "interactive_contact_deadline",
        "face_to_face_deadline_99496",
        "face_to_face_deadline_99495",
        "service_period_end",
    ),
    "tcm_billing": ("billable_code", "contact_requirement_met"),
    "hedis_mrp": ("compliant", "window_end"),
    "ccm_eligibility": ("eligible", "education_basis", "employment_categories"),
    "ccm_renewal": ("meets_ce_requirement", "cycle_years"),
    "acm_eligibility": ("eligible", "credential"),
    "acm_renewal": ("meets_ce_requirement", "cycle_years"),
    "nasw_cm_eligibility": ("eligible",),
}

TCM_VALID = {
    "discharge_date": "2024-03-01",
    "discharge_setting": "inpatient_acute_care_hospital",
    "discharged_to": "home",
}

VALID: dict[str, dict[str, Any]] = {
    "phq9": {"items": [1] * 9},
    "phq2": {"items": [1, 1]},
    "gad7": {"items": [1] * 7},
    "gad2": {"items": [1, 1]},
    "audit_c": {"items": [1, 1, 1], "sex": "male"},
    "dast10": {"answers": [False] * 10},
    "cage_aid": {"answers": [False] * 4},
    "katz_adl": {"independent": dict.fromkeys(KATZ, True)},
    "lawton_iadl": {"responses": dict.fromkeys(LAWTON_LEVELS, 1), "scoring": "all_domains"},
    "ahc_hrsn_core": {
        "living_situation": "steady",
        "housing_problems": ["none"],
        "food_worry": "never_true",
        "food_didnt_last": "never_true",
        "transportation": "no",
        "utilities": "no",
        "safety": [1, 1, 1, 1],
    },
    "cssrs_screener": {
        "q1": True,
        "q2": True,
        "q3": False,
        "q4": False,
        "q5": False,
        "q6": True,
        "q6_past_3_months": False,
    },
    "lace": {
        "length_of_stay_days": 5,
        "acute_admission": True,
        "charlson_score": 2,
        "ed_visits_6mo": 1,
    },
    "hospital_score": {
        "hemoglobin_g_dl": 11.5,
        "oncology_discharge": False,
        "sodium_mmol_l": 140,
        "procedure": True,
        "urgent_admission": True,
        "admissions_prev_12mo": 1,
        "length_of_stay_days": 3,
    },
    "charlson_icd10": {"codes": ["I21.0", "E11.9"], "age": 65},
    "tcm_deadlines": dict(TCM_VALID),
    "tcm_billing": {
        **TCM_VALID,
        "mdm": "high",
        "contact_date": "2024-03-04",
        "unsuccessful_attempt_dates": ["2024-03-02"],
        "face_to_face_date": "2024-03-05",
    },
    "hedis_mrp": {"discharge_date": "2024-03-01", "reconciliation_date": "2024-03-10"},
    "ccm_eligibility": {
        "license_independent_practice": True,
        "degree_health_human_services": "bachelor",
        "supervised_field_experience": True,
        "months_cm_full_time": 30,
        "supervised_by_ccm": True,
        "months_supervising_cm": 0,
    },
    "ccm_renewal": {"ce_hours": 80, "ethics_hours": 8},
    "acm_eligibility": {
        "discipline": "RN",
        "rn_license_active": True,
        "sw_degree": None,
        "months_health_system_cm_full_time_supervised": 12,
    },
    "acm_renewal": {"ce_hours": 40, "cm_specific_hours": 30},
    "nasw_cm_eligibility": {
        "credential": "C-SWCM",
        "degree": "BSW",
        "cswe_accredited": True,
        "post_degree_supervised_paid_cm_hours": 4500,
        "license_or_aswb_exam_at_level": True,
        "ce_contact_hours": 20,
    },
}


def _bad_values(spec: Any, valid: Any) -> Iterator[tuple[str, Any]]:
    """(rejection class, bad value) pairs for a scalar field, from the spec description."""
    nullable = getattr(spec, "nullable", False)
    if not nullable:
        yield "null-not-allowed", None
    if isinstance(spec, Int):
        base = valid if isinstance(valid, int) else spec.lo
        yield "bool-for-int", True
        yield "bool-for-int", False
        yield "float-for-int", float(base)
        yield "string-for-number", str(base)
        yield "out-of-range", spec.lo - 1
        if spec.hi is not None:
            yield "out-of-range", spec.hi + 1
    elif isinstance(spec, Bool):
        yield "int-for-bool", 1
        yield "int-for-bool", 0
        yield "string-for-bool", "true"
    elif isinstance(spec, Num):
        yield "bool-for-int", True
        yield "string-for-number", "1"
        yield "non-finite", math.nan
        yield "non-finite", math.inf
        yield "non-finite", -math.inf
        yield "out-of-range", spec.lo - 1
        yield "out-of-range", spec.lo - 0.5
        if spec.exclusive:
            yield "out-of-range", spec.lo
    elif isinstance(spec, Enum):
        yield "unknown-enum", "unknown_value"
        yield "unknown-enum", spec.values[0].upper() if spec.values[0].islower() else "x"
        yield "unknown-enum", spec.values[0] + " "
        yield "wrong-type", 1
    elif isinstance(spec, Date):
        for bad in (
            "2024-1-05",
            "20240105",
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "2024-01-05T00:00",
            "2024-01-05 ",
            "05/01/2024",
            "",
            "２０２４-０１-０５",
        ):
            yield "bad-date", bad
        yield "bad-date", 20240105
    elif isinstance(spec, Str):
        yield "wrong-type", 1
        yield "wrong-type", ["I21"]


def _field_rejections(spec: Any, valid: Any, path: str) -> Iterator[tuple[str, Any, str]]:
    """(rejection class, bad value, expected field path) for one field of any shape."""
    if isinstance(spec, List):
        yield "not-a-list", "1,2", path
        yield "not-a-list", {"0": valid[0]}, path
        yield "null-not-allowed", None, path
        if spec.length is not None:
            yield "wrong-list-length", valid + [valid[0]], path
            yield "wrong-list-length", valid[:-1], path
            yield "wrong-list-length", [], path
        index = len(valid) - 1  # mutate the last element so the path names a real index
        for label, bad, where in _field_rejections(spec.item, valid[index], f"{path}[{index}]"):
            yield label, valid[:index] + [bad], where
    elif isinstance(spec, Obj):
        yield "not-an-object", [], path
        yield "null-not-allowed", None, path
        for key in spec.fields:
            missing = {k: v for k, v in valid.items() if k != key}
            yield "missing-key", missing, f"{path}.{key}"
        yield "extra-key", {**valid, "zz_extra": 1}, f"{path}.zz_extra"
        for key, sub in spec.fields.items():
            for label, bad, where in _field_rejections(sub, valid[key], f"{path}.{key}"):
                yield label, {**valid, key: bad}, where
    else:
        for label, bad in _bad_values(spec, valid):
            yield label, bad, path


def rejections(kind: str) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Every (rejection class, invalid input, field named) derived for ``kind``."""
    valid = VALID[kind]
    optional = OPTIONAL_INPUTS.get(kind, set())
    for key in SPEC_INPUTS[kind]:
        if key not in optional:
            yield "missing-key", {k: v for k, v in valid.items() if k != key}, key
    yield "extra-key", {**valid, "unexpected": 1}, "unexpected"
    for key, spec in SPEC_INPUTS[kind].items():
        for label, bad, where in _field_rejections(spec, valid[key], key):
            data = copy.deepcopy(valid)
            data[key] = bad
            yield label, data, where
