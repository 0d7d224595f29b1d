"""LACE index and HOSPITAL score (spec section 7)."""

from __future__ import annotations

from typing import Any

import pytest

from casework.rules import InvalidInput, evaluate


def lace(los: int = 0, acute: bool = False, charlson: int = 0, ed: int = 0) -> dict[str, Any]:
    return evaluate(
        "lace",
        {
            "length_of_stay_days": los,
            "acute_admission": acute,
            "charlson_score": charlson,
            "ed_visits_6mo": ed,
        },
    )


@pytest.mark.parametrize(
    ("los", "points"),
    [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (6, 4), (7, 5), (13, 5), (14, 7), (15, 7),
     (365, 7)],
)  # fmt: skip
def test_lace_length_of_stay(los: int, points: int) -> None:
    assert lace(los=los)["l"] == points


def test_lace_acute() -> None:
    assert lace(acute=True)["a"] == 3
    assert lace(acute=False)["a"] == 0


@pytest.mark.parametrize(
    ("charlson", "points"), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 5), (5, 5), (29, 5)]
)
def test_lace_charlson(charlson: int, points: int) -> None:
    assert lace(charlson=charlson)["c"] == points


@pytest.mark.parametrize(("ed", "points"), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (10, 4)])
def test_lace_ed_visits(ed: int, points: int) -> None:
    assert lace(ed=ed)["e"] == points


@pytest.mark.parametrize(
    ("kwargs", "total", "risk"),
    [
        ({}, 0, "low"),
        ({"los": 4}, 4, "low"),
        ({"los": 4, "ed": 1}, 5, "moderate"),
        ({"los": 14, "charlson": 2}, 9, "moderate"),
        ({"los": 7, "acute": True, "charlson": 2}, 10, "high"),
        ({"los": 14, "acute": True, "charlson": 4, "ed": 4}, 19, "high"),
    ],
)
def test_lace_total_and_bands(kwargs: dict[str, Any], total: int, risk: str) -> None:
    result = lace(**kwargs)
    assert result["total"] == total
    assert result["total"] == result["l"] + result["a"] + result["c"] + result["e"]
    assert result["risk"] == risk


def test_lace_exact_output() -> None:
    assert lace(los=5, acute=True, charlson=2, ed=1) == {
        "l": 4, "a": 3, "c": 2, "e": 1, "total": 10, "risk": "high"
    }  # fmt: skip


def test_lace_maximum_is_19() -> None:
    assert lace(los=10**6, acute=True, charlson=10**6, ed=10**6)["total"] == 19


# --- HOSPITAL ------------------------------------------------------------------------------
BASE = {
    "hemoglobin_g_dl": 13.0,
    "oncology_discharge": False,
    "sodium_mmol_l": 140,
    "procedure": False,
    "urgent_admission": False,
    "admissions_prev_12mo": 0,
    "length_of_stay_days": 1,
}


def hospital(**changes: Any) -> dict[str, Any]:
    return evaluate("hospital_score", {**BASE, **changes})


@pytest.mark.parametrize(
    ("changes", "total"),
    [
        ({}, 0),
        ({"hemoglobin_g_dl": 12.0}, 0),
        ({"hemoglobin_g_dl": 12}, 0),
        ({"hemoglobin_g_dl": 11.99}, 1),
        ({"hemoglobin_g_dl": 11}, 1),
        ({"hemoglobin_g_dl": 0.1}, 1),
        ({"oncology_discharge": True}, 2),
        ({"sodium_mmol_l": 135}, 0),
        ({"sodium_mmol_l": 135.0}, 0),
        ({"sodium_mmol_l": 134.9}, 1),
        ({"sodium_mmol_l": 134}, 1),
        ({"procedure": True}, 1),
        ({"urgent_admission": True}, 1),
        ({"admissions_prev_12mo": 1}, 0),
        ({"admissions_prev_12mo": 2}, 2),
        ({"admissions_prev_12mo": 5}, 2),
        ({"admissions_prev_12mo": 6}, 5),
        ({"admissions_prev_12mo": 40}, 5),
        ({"length_of_stay_days": 0}, 0),
        ({"length_of_stay_days": 4}, 0),
        ({"length_of_stay_days": 5}, 2),
        ({"length_of_stay_days": 30}, 2),
    ],
)
def test_hospital_items_and_strict_cutoffs(changes: dict[str, Any], total: int) -> None:
    assert hospital(**changes)["total"] == total


@pytest.mark.parametrize(
    ("changes", "total", "risk"),
    [
        ({"oncology_discharge": True, "admissions_prev_12mo": 2}, 4, "low"),
        ({"oncology_discharge": True, "admissions_prev_12mo": 2, "procedure": True}, 5,
         "intermediate"),
        ({"admissions_prev_12mo": 6, "procedure": True}, 6, "intermediate"),
        ({"admissions_prev_12mo": 6, "length_of_stay_days": 5}, 7, "high"),
        ({"hemoglobin_g_dl": 9.5, "oncology_discharge": True, "sodium_mmol_l": 130,
          "procedure": True, "urgent_admission": True, "admissions_prev_12mo": 6,
          "length_of_stay_days": 9}, 13, "high"),
    ],
)  # fmt: skip
def test_hospital_risk_bands(changes: dict[str, Any], total: int, risk: str) -> None:
    assert hospital(**changes) == {"total": total, "risk": risk}


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("hemoglobin_g_dl", 0),
        ("hemoglobin_g_dl", 0.0),
        ("hemoglobin_g_dl", -1.5),
        ("hemoglobin_g_dl", "11.5"),
        ("hemoglobin_g_dl", True),
        ("hemoglobin_g_dl", float("nan")),
        ("sodium_mmol_l", 0),
        ("sodium_mmol_l", float("inf")),
        ("admissions_prev_12mo", 2.0),
        ("admissions_prev_12mo", -1),
        ("length_of_stay_days", 5.0),
        ("procedure", 1),
    ],
)
def test_hospital_rejections(field: str, bad: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        hospital(**{field: bad})
    assert caught.value.field == field


def test_lace_rejects_float_and_bool_counts() -> None:
    with pytest.raises(InvalidInput) as caught:
        lace(los=3.0)  # type: ignore[arg-type]
    assert caught.value.field == "length_of_stay_days"
    with pytest.raises(InvalidInput) as caught:
        lace(charlson=True)
    assert caught.value.field == "charlson_score"
