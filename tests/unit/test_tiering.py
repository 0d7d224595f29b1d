"""Risk tiers from scores by a data-driven rule."""

from __future__ import annotations

from typing import Any

import pytest

from casework.risk.tiering import DEFAULT_RULE, InvalidRule, stratify


@pytest.mark.parametrize(
    ("scores", "tier", "explanation"),
    [
        ({"lace": 12, "charlson_1987": 1}, "high", "high: LACE 12 ≥ 10"),
        ({"lace": 10}, "high", "high: LACE 10 ≥ 10"),
        ({"lace": 9}, "moderate", "moderate: LACE 9 ≥ 5"),
        ({"lace": 5}, "moderate", "moderate: LACE 5 ≥ 5"),
        ({"lace": 4}, "low", "low: no higher tier's criteria met (LACE 4)"),
        ({"charlson_1987": 3}, "high", "high: Charlson (1987) 3 ≥ 3"),
        ({"charlson_1987": 2}, "moderate", "moderate: Charlson (1987) 2 ≥ 1"),
        ({"lace": 10, "charlson_1987": 3}, "complex",
         "complex: LACE 10 ≥ 10 and Charlson (1987) 3 ≥ 3"),
        ({"ahc_any_need": True, "phq9_positive": True}, "high",
         "high: a positive social-needs domain and positive PHQ-9"),
        ({"ahc_any_need": True, "phq9_positive": False}, "moderate",
         "moderate: a positive social-needs domain"),
        ({"cssrs_risk": "high"}, "complex", "complex: C-SSRS risk high"),
        ({}, "low", "low: no higher tier's criteria met (no scores)"),
    ],
)  # fmt: skip
def test_default_rule(scores: dict[str, Any], tier: str, explanation: str) -> None:
    result = stratify(scores)
    assert (result.tier, result.explanation) == (tier, explanation)


def test_unavailable_scores_are_reported_not_guessed() -> None:
    result = stratify({"lace": 3})
    assert "charlson_1987" in result.unavailable
    assert "lace" not in result.unavailable


def test_a_program_rule_is_data() -> None:
    rule = {"name": "juvenile", "tiers": {"high": [[{"score": "dast10", "op": ">=", "value": 6}]]}}
    assert stratify({"dast10": 6}, rule).tier == "high"
    assert stratify({"dast10": 5}, rule).tier == "low"


@pytest.mark.parametrize(
    "rule",
    [
        {"tiers": {"urgent": []}},
        {"tiers": {"high": [[]]}},
        {"tiers": {"high": [[{"score": "lace", "op": "~", "value": 1}]]}},
        {"tiers": {"high": [[{"score": "lace", "value": 1}]]}},
        {"tiers": []},
    ],
)
def test_malformed_rules_are_refused(rule: dict[str, Any]) -> None:
    with pytest.raises(InvalidRule):
        stratify({}, rule)


def test_default_rule_is_valid() -> None:
    assert stratify({"lace": 0}, DEFAULT_RULE).tier == "low"
