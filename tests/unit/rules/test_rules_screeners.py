"""PHQ-9/PHQ-2/GAD-7/GAD-2 (spec 2) and AUDIT-C/DAST-10/CAGE-AID (spec 3)."""

from __future__ import annotations

from typing import Any

import pytest

from casework.rules import InvalidInput, evaluate


def items_with_total(total: int, count: int, item_max: int) -> list[int]:
    """A response list of ``count`` items summing to ``total`` (filled from the front)."""
    out = []
    for _ in range(count):
        take = min(item_max, total)
        out.append(take)
        total -= take
    assert total == 0
    return out


# --- PHQ-9 ---------------------------------------------------------------------------------
PHQ9_BANDS = [
    (0, "minimal"),
    (4, "minimal"),
    (5, "mild"),
    (9, "mild"),
    (10, "moderate"),
    (14, "moderate"),
    (15, "moderately_severe"),
    (19, "moderately_severe"),
    (20, "severe"),
    (27, "severe"),
]


@pytest.mark.parametrize(("total", "severity"), PHQ9_BANDS)
def test_phq9_severity_edges(total: int, severity: str) -> None:
    # Keep item 9 at 0 so the flag is not involved (fill items 1-8 first, item 9 last).
    items = items_with_total(total, 9, 3)
    result = evaluate("phq9", {"items": items})
    assert result["total"] == total
    assert result["severity"] == severity


@pytest.mark.parametrize(("total", "positive"), [(9, False), (10, True), (0, False), (27, True)])
def test_phq9_positive_screen_at_10(total: int, positive: bool) -> None:
    assert evaluate("phq9", {"items": items_with_total(total, 9, 3)})["positive_screen"] is positive


@pytest.mark.parametrize(("item9", "flag"), [(0, False), (1, True), (2, True), (3, True)])
def test_phq9_item9_flag_regardless_of_total(item9: int, flag: bool) -> None:
    result = evaluate("phq9", {"items": [0] * 8 + [item9]})
    assert result["item9_flag"] is flag
    assert result["severity"] == "minimal"  # independent of the band
    assert result["positive_screen"] is False


def test_phq9_item9_flag_is_only_item_9() -> None:
    assert evaluate("phq9", {"items": [3] * 8 + [0]})["item9_flag"] is False
    assert evaluate("phq9", {"items": [0] * 7 + [3, 0]})["item9_flag"] is False


def test_phq9_exact_output() -> None:
    assert evaluate("phq9", {"items": [1, 2, 1, 2, 1, 0, 1, 1, 1]}) == {
        "total": 10,
        "severity": "moderate",
        "positive_screen": True,
        "item9_flag": True,
    }


@pytest.mark.parametrize("bad", [[0] * 10, [0] * 8, [None] * 9, [0] * 8 + [-1]])
def test_phq9_no_proration(bad: list[Any]) -> None:
    with pytest.raises(InvalidInput):
        evaluate("phq9", {"items": bad})


def test_phq9_rejects_difficulty_question_as_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate("phq9", {"items": [0] * 9, "difficulty": 2})
    assert caught.value.field == "difficulty"


# --- PHQ-2 / GAD-2 -------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["phq2", "gad2"])
@pytest.mark.parametrize(
    ("items", "total", "positive"),
    [([0, 0], 0, False), ([1, 1], 2, False), ([2, 0], 2, False), ([2, 1], 3, True),
     ([0, 3], 3, True), ([3, 3], 6, True)],
)  # fmt: skip
def test_two_item_screens(kind: str, items: list[int], total: int, positive: bool) -> None:
    assert evaluate(kind, {"items": items}) == {"total": total, "positive_screen": positive}


# --- GAD-7 ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("total", "severity", "positive"),
    [(0, "minimal", False), (4, "minimal", False), (5, "mild", False), (9, "mild", False),
     (10, "moderate", True), (14, "moderate", True), (15, "severe", True), (21, "severe", True)],
)  # fmt: skip
def test_gad7_edges(total: int, severity: str, positive: bool) -> None:
    result = evaluate("gad7", {"items": items_with_total(total, 7, 3)})
    assert result == {"total": total, "severity": severity, "positive_screen": positive}


# --- AUDIT-C -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("items", "sex", "positive"),
    [([1, 1, 1], "male", False), ([2, 1, 1], "male", True), ([1, 1, 0], "female", False),
     ([1, 1, 1], "female", True), ([4, 4, 4], "female", True), ([0, 0, 0], "male", False),
     ([3, 0, 0], "male", False), ([3, 0, 0], "female", True), ([4, 0, 0], "male", True)],
)  # fmt: skip
def test_audit_c_sex_specific_cutoffs(items: list[int], sex: str, positive: bool) -> None:
    result = evaluate("audit_c", {"items": items, "sex": sex})
    assert result["total"] == sum(items)
    assert result["positive_screen"] is positive


@pytest.mark.parametrize(
    ("items", "flag"),
    [([1, 0, 0], True), ([4, 0, 0], True), ([0, 0, 0], False), ([4, 1, 0], False),
     ([4, 0, 1], False), ([0, 1, 0], False)],
)  # fmt: skip
def test_audit_c_all_points_from_q1(items: list[int], flag: bool) -> None:
    result = evaluate("audit_c", {"items": items, "sex": "male"})
    assert result["all_points_from_q1"] is flag


def test_audit_c_q1_flag_does_not_change_result() -> None:
    result = evaluate("audit_c", {"items": [4, 0, 0], "sex": "male"})
    assert result == {"total": 4, "positive_screen": True, "all_points_from_q1": True}


@pytest.mark.parametrize("sex", ["other", "unknown", "Male", "F", "", None])
def test_audit_c_rejects_other_sex_values(sex: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate("audit_c", {"items": [1, 1, 1], "sex": sex})
    assert caught.value.field == "sex"


def test_audit_c_sex_is_required() -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate("audit_c", {"items": [1, 1, 1]})
    assert caught.value.field == "sex"


# --- DAST-10 -------------------------------------------------------------------------------
def dast_answers(yes_count: int) -> list[bool]:
    """Answers scoring ``yes_count``: Q3 answered "yes" (0 points) unless all 10 needed."""
    answers = [False] * 10
    answers[2] = True  # reverse-scored: "yes" scores 0
    others = [i for i in range(10) if i != 2]
    for i in others[:yes_count]:
        answers[i] = True
    if yes_count == 10:
        answers[2] = False
    return answers


@pytest.mark.parametrize(
    ("total", "level"),
    [(0, "none"), (1, "low"), (2, "low"), (3, "moderate"), (5, "moderate"), (6, "substantial"),
     (8, "substantial"), (9, "severe"), (10, "severe")],
)  # fmt: skip
def test_dast10_levels(total: int, level: str) -> None:
    result = evaluate("dast10", {"answers": dast_answers(total)})
    assert result["total"] == total
    assert result["level"] == level


def test_dast10_question_3_reverse_scored() -> None:
    all_no = evaluate("dast10", {"answers": [False] * 10})
    assert all_no["total"] == 1  # "no" to Q3 scores 1
    assert all_no["level"] == "low"
    all_yes = evaluate("dast10", {"answers": [True] * 10})
    assert all_yes["total"] == 9
    assert all_yes["level"] == "severe"
    only_q3_yes = evaluate("dast10", {"answers": [False, False, True] + [False] * 7})
    assert only_q3_yes == {"total": 0, "level": "none", "action": "none at this time"}


# --- CAGE-AID ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("answers", "total", "positive"),
    [([False] * 4, 0, False), ([True, False, False, False], 1, True),
     ([False, False, False, True], 1, True), ([True, True, False, False], 2, True),
     ([True] * 4, 4, True)],
)  # fmt: skip
def test_cage_aid(answers: list[bool], total: int, positive: bool) -> None:
    assert evaluate("cage_aid", {"answers": answers}) == {
        "total": total,
        "positive_screen": positive,
    }


@pytest.mark.parametrize("bad", [[1, 0, 0, 0], ["yes", False, False, False], [None] * 4])
def test_cage_aid_rejects_non_booleans(bad: list[Any]) -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate("cage_aid", {"answers": bad})
    assert caught.value.field == "answers[0]"
