"""Katz ADL and Lawton IADL (spec 4), AHC HRSN core (spec 5), C-SSRS screener (spec 6)."""

from __future__ import annotations

from typing import Any

import pytest

from casework.rules import InvalidInput, evaluate

from .rules_spec_tables import KATZ, LAWTON_LEVELS, VALID


# --- Katz ADL ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("independent_count", "interpretation"),
    [(6, "full_function"), (5, None), (4, "moderate_impairment"), (3, None),
     (2, "severe_impairment"), (1, "severe_impairment"), (0, "severe_impairment")],
)  # fmt: skip
def test_katz_interpretation(independent_count: int, interpretation: str | None) -> None:
    independent = {name: index < independent_count for index, name in enumerate(KATZ)}
    assert evaluate("katz_adl", {"independent": independent}) == {
        "total": independent_count,
        "interpretation": interpretation,
    }


def test_katz_each_function_counts_once() -> None:
    for name in KATZ:
        independent = dict.fromkeys(KATZ, False)
        independent[name] = True
        assert evaluate("katz_adl", {"independent": independent})["total"] == 1


# --- Lawton IADL ---------------------------------------------------------------------------
LAWTON_POINTS = {  # transcribed from the spec table, level -> points
    "telephone": {1: 1, 2: 1, 3: 1, 4: 0},
    "shopping": {1: 1, 2: 0, 3: 0, 4: 0},
    "food_preparation": {1: 1, 2: 0, 3: 0, 4: 0},
    "housekeeping": {1: 1, 2: 1, 3: 1, 4: 1, 5: 0},
    "laundry": {1: 1, 2: 1, 3: 0},
    "transportation": {1: 1, 2: 1, 3: 1, 4: 0, 5: 0},
    "medications": {1: 1, 2: 0, 3: 0},
    "finances": {1: 1, 2: 1, 3: 0},
}
LEGACY_MALE = {"telephone", "shopping", "transportation", "medications", "finances"}


def lowest_levels() -> dict[str, int]:
    return {name: top for name, top in LAWTON_LEVELS.items()}


@pytest.mark.parametrize(
    ("domain", "level", "points"),
    [(d, lvl, p) for d, table in LAWTON_POINTS.items() for lvl, p in table.items()],
)
def test_lawton_every_level(domain: str, level: int, points: int) -> None:
    responses = lowest_levels()  # every domain at its 0-point level
    responses[domain] = level
    result = evaluate("lawton_iadl", {"responses": responses})
    assert result["total"] == points
    assert result["max"] == 8


def test_lawton_default_is_all_domains() -> None:
    assert evaluate("lawton_iadl", {"responses": dict.fromkeys(LAWTON_LEVELS, 1)}) == {
        "total": 8,
        "max": 8,
        "scoring": "all_domains",
    }


@pytest.mark.parametrize("domain", sorted(LAWTON_LEVELS))
def test_lawton_legacy_male_scores_five_domains(domain: str) -> None:
    responses = lowest_levels()
    responses[domain] = 1
    result = evaluate("lawton_iadl", {"responses": responses, "scoring": "legacy_male"})
    assert result["max"] == 5
    assert result["total"] == (1 if domain in LEGACY_MALE else 0)


def test_lawton_legacy_male_max_and_still_validates_all_eight() -> None:
    full = evaluate(
        "lawton_iadl",
        {"responses": dict.fromkeys(LAWTON_LEVELS, 1), "scoring": "legacy_male"},
    )
    assert (full["total"], full["max"]) == (5, 5)
    responses = dict.fromkeys(LAWTON_LEVELS, 1)
    responses["laundry"] = 4  # not scored under legacy_male, still must be valid
    with pytest.raises(InvalidInput) as caught:
        evaluate("lawton_iadl", {"responses": responses, "scoring": "legacy_male"})
    assert caught.value.field == "responses.laundry"
    del responses["laundry"]
    with pytest.raises(InvalidInput) as caught:
        evaluate("lawton_iadl", {"responses": responses, "scoring": "legacy_male"})
    assert caught.value.field == "responses.laundry"


@pytest.mark.parametrize(("domain", "top"), sorted(LAWTON_LEVELS.items()))
def test_lawton_level_range(domain: str, top: int) -> None:
    for bad in (0, top + 1):
        responses = {**VALID["lawton_iadl"]["responses"], domain: bad}
        with pytest.raises(InvalidInput) as caught:
            evaluate("lawton_iadl", {"responses": responses})
        assert caught.value.field == f"responses.{domain}"


# --- AHC HRSN core -------------------------------------------------------------------------
NO_NEEDS = VALID["ahc_hrsn_core"]


def ahc(**changes: Any) -> dict[str, Any]:
    return evaluate("ahc_hrsn_core", {**NO_NEEDS, **changes})


def test_ahc_no_needs() -> None:
    assert ahc() == {
        "living_situation": False,
        "food_insecurity": False,
        "transportation": False,
        "utilities": False,
        "interpersonal_safety": False,
        "safety_score": 4,
        "any_need": False,
    }


@pytest.mark.parametrize(
    ("changes", "domain"),
    [
        ({"living_situation": "worried_about_losing"}, "living_situation"),
        ({"living_situation": "not_steady"}, "living_situation"),
        ({"housing_problems": ["mold"]}, "living_situation"),
        ({"housing_problems": ["pests", "water_leaks"]}, "living_situation"),
        ({"food_worry": "often_true"}, "food_insecurity"),
        ({"food_worry": "sometimes_true"}, "food_insecurity"),
        ({"food_didnt_last": "often_true"}, "food_insecurity"),
        ({"food_didnt_last": "sometimes_true"}, "food_insecurity"),
        ({"transportation": "yes"}, "transportation"),
        ({"utilities": "yes"}, "utilities"),
        ({"utilities": "already_shut_off"}, "utilities"),
        ({"safety": [3, 3, 3, 2]}, "interpersonal_safety"),
        ({"safety": [5, 5, 5, 5]}, "interpersonal_safety"),
    ],
)
def test_ahc_each_positive_answer(changes: dict[str, Any], domain: str) -> None:
    result = ahc(**changes)
    positives = {key for key, value in result.items() if value is True}
    assert positives == {domain, "any_need"}


@pytest.mark.parametrize(
    ("safety", "score", "positive"),
    [([1, 1, 1, 1], 4, False), ([3, 3, 2, 2], 10, False), ([3, 3, 3, 2], 11, True),
     ([5, 5, 5, 5], 20, True), ([5, 5, 1, 1], 12, True)],
)  # fmt: skip
def test_ahc_safety_threshold_above_10(safety: list[int], score: int, positive: bool) -> None:
    result = ahc(safety=safety)
    assert result["safety_score"] == score
    assert result["interpersonal_safety"] is positive


@pytest.mark.parametrize(
    ("housing", "where"),
    [
        ([], "housing_problems"),
        (["none", "mold"], "housing_problems[0]"),
        (["mold", "none"], "housing_problems[1]"),
        (["mold", "mold"], "housing_problems[1]"),
        (["none", "none"], "housing_problems[1]"),
        (["asbestos"], "housing_problems[0]"),
        ("none", "housing_problems"),
    ],
)
def test_ahc_housing_problem_validation(housing: Any, where: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        ahc(housing_problems=housing)
    assert caught.value.field == where


@pytest.mark.parametrize("bad", [[0, 1, 1, 1], [1, 1, 1, 6], [1, 1, 1], [1, 1, 1, 1, 1]])
def test_ahc_safety_validation(bad: list[int]) -> None:
    with pytest.raises(InvalidInput) as caught:
        ahc(safety=bad)
    assert caught.value.field.startswith("safety")


# --- C-SSRS screener -----------------------------------------------------------------------
def cssrs(
    q1: bool, q2: bool, q3: bool | None = None, q4: bool | None = None, q5: bool | None = None,
    q6: bool = False, recent: bool | None = None,
) -> str:  # fmt: skip
    data = {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6, "q6_past_3_months": recent}
    risk: str = evaluate("cssrs_screener", data)["risk"]
    return risk


def test_cssrs_none() -> None:
    assert cssrs(False, False) == "none"
    assert cssrs(False, False, q6=False, recent=None) == "none"


def test_cssrs_low_is_q1_or_q2_only() -> None:
    assert cssrs(True, False) == "low"
    assert cssrs(False, True, False, False, False) == "low"
    assert cssrs(True, True, False, False, False, False) == "low"


def test_cssrs_moderate() -> None:
    assert cssrs(True, True, True, False, False) == "moderate"
    assert cssrs(False, False, q6=True, recent=False) == "moderate"
    assert cssrs(True, True, True, False, False, True, False) == "moderate"


@pytest.mark.parametrize(
    "answers",
    [
        (True, True, False, True, False, False, None),
        (True, True, False, False, True, False, None),
        (False, False, None, None, None, True, True),
        (True, True, True, True, True, True, True),
        (False, True, False, False, False, True, True),
    ],
)
def test_cssrs_high(answers: tuple[Any, ...]) -> None:
    assert cssrs(*answers) == "high"


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"q2": False, "q3": False}, "q3"),
        ({"q2": False, "q4": True}, "q4"),
        ({"q2": False, "q5": False}, "q5"),
        ({"q2": True, "q3": None, "q4": False, "q5": False}, "q3"),
        ({"q2": True, "q3": False, "q4": False, "q5": None}, "q5"),
        ({"q6": True, "q6_past_3_months": None}, "q6_past_3_months"),
        ({"q6": False, "q6_past_3_months": False}, "q6_past_3_months"),
        ({"q6": None}, "q6"),
        ({"q1": None}, "q1"),
        ({"q2": None}, "q2"),
    ],
)
def test_cssrs_skip_logic_is_enforced(data: dict[str, Any], where: str) -> None:
    base = {"q1": False, "q2": False, "q3": None, "q4": None, "q5": None, "q6": False,
            "q6_past_3_months": None}  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        evaluate("cssrs_screener", {**base, **data})
    assert caught.value.field == where


def test_cssrs_unasked_questions_must_still_be_present_as_null() -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate("cssrs_screener", {"q1": False, "q2": False, "q6": False})
    assert caught.value.field == "q3"
