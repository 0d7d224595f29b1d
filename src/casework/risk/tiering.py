"""Risk tiers from scores, by a program's tiering rule. Pure: no Django, no database.

A tiering rule is data (so a program can store and change it): for each tier from the most
intense down, a list of alternatives, each a list of conditions that must all hold. The first
tier with a matching alternative wins; no match gives ``low``. The result explains itself in
words a case manager can check ("high: LACE 12 ≥ 10").

Scores are named facts: ``lace``, ``hospital``, ``charlson_1987``, ``quan_2011``, ``phq9``,
``phq9_positive``, ``gad7``, ``ahc_any_need``, ``cssrs_risk``, ... A condition on a score that
is not available does not hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

TIERS: tuple[str, ...] = ("complex", "high", "moderate", "low")
OPERATORS: dict[str, str] = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
SCORE_LABELS: dict[str, str] = {
    "lace": "LACE",
    "hospital": "HOSPITAL score",
    "charlson_1987": "Charlson (1987)",
    "charlson_1987_age_adjusted": "Charlson (1987, age-adjusted)",
    "quan_2011": "Charlson (Quan 2011)",
    "phq9": "PHQ-9",
    "phq9_positive": "positive PHQ-9",
    "gad7": "GAD-7",
    "ahc_any_need": "a positive social-needs domain",
    "cssrs_risk": "C-SSRS risk",
    "audit_c_positive": "positive AUDIT-C",
    "dast10": "DAST-10",
}

Condition = Mapping[str, Any]  # {"score": "lace", "op": ">=", "value": 10}
TierRule = Mapping[str, Any]  # {"name": ..., "tiers": {"high": [[cond, ...], ...], ...}}

DEFAULT_RULE: TierRule = {
    "name": "Casework default",
    "tiers": {
        "complex": [
            [{"score": "cssrs_risk", "op": "==", "value": "high"}],
            [
                {"score": "lace", "op": ">=", "value": 10},
                {"score": "charlson_1987", "op": ">=", "value": 3},
            ],
        ],
        "high": [
            [{"score": "lace", "op": ">=", "value": 10}],
            [{"score": "charlson_1987", "op": ">=", "value": 3}],
            [
                {"score": "ahc_any_need", "op": "==", "value": True},
                {"score": "phq9_positive", "op": "==", "value": True},
            ],
        ],
        "moderate": [
            [{"score": "lace", "op": ">=", "value": 5}],
            [{"score": "charlson_1987", "op": ">=", "value": 1}],
            [{"score": "ahc_any_need", "op": "==", "value": True}],
            [{"score": "phq9_positive", "op": "==", "value": True}],
            [{"score": "cssrs_risk", "op": "==", "value": "moderate"}],
        ],
    },
}


class InvalidRule(ValueError):
    """A tiering rule that is not well formed; the message names the place."""


@dataclass(frozen=True)
class TierResult:
    tier: str
    explanation: str
    # The scores the decision could not use because they were not available.
    unavailable: tuple[str, ...] = ()


def _holds(condition: Condition, scores: Mapping[str, Any]) -> bool:
    value = scores.get(condition["score"])
    if value is None:
        return False
    wanted, op = condition["value"], condition["op"]
    if op == "==":
        return bool(value == wanted)
    if op == "!=":
        return bool(value != wanted)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return {
        ">=": value >= wanted,
        ">": value > wanted,
        "<=": value <= wanted,
        "<": value < wanted,
    }[op]


def _describe(condition: Condition, scores: Mapping[str, Any]) -> str:
    name = str(SCORE_LABELS.get(condition["score"], condition["score"]))
    value, wanted = scores.get(condition["score"]), condition["value"]
    if isinstance(wanted, bool):
        return name if wanted else f"no {name}"
    if condition["op"] == "==" and isinstance(wanted, str):
        return f"{name} {value}"
    return f"{name} {value} {OPERATORS[condition['op']]} {wanted}"


def validate_rule(rule: TierRule) -> None:
    tiers = rule.get("tiers")
    if not isinstance(tiers, Mapping):
        raise InvalidRule("tiers: must be an object of tier -> alternatives")
    for tier, alternatives in tiers.items():
        if tier not in TIERS[:-1]:
            raise InvalidRule(f"tiers.{tier}: not a tier (complex, high or moderate)")
        if not isinstance(alternatives, Sequence) or isinstance(alternatives, str):
            raise InvalidRule(f"tiers.{tier}: must be a list of alternatives")
        for i, alternative in enumerate(alternatives):
            if not isinstance(alternative, Sequence) or not alternative:
                raise InvalidRule(f"tiers.{tier}[{i}]: must be a non-empty list of conditions")
            for j, condition in enumerate(alternative):
                where = f"tiers.{tier}[{i}][{j}]"
                if not isinstance(condition, Mapping) or set(condition) != {"score", "op", "value"}:
                    raise InvalidRule(f"{where}: needs exactly score, op and value")
                if condition["op"] not in OPERATORS:
                    raise InvalidRule(f"{where}.op: one of {', '.join(OPERATORS)}")


def stratify(scores: Mapping[str, Any], rule: TierRule = DEFAULT_RULE) -> TierResult:
    """The tier ``rule`` gives for ``scores``, with the reason in words."""
    validate_rule(rule)
    used = {c["score"] for alts in rule["tiers"].values() for alt in alts for c in alt}
    unavailable = tuple(sorted(s for s in used if scores.get(s) is None))
    for tier in TIERS[:-1]:
        for alternative in rule["tiers"].get(tier, []):
            if all(_holds(c, scores) for c in alternative):
                because = " and ".join(_describe(c, scores) for c in alternative)
                return TierResult(tier, f"{tier}: {because}", unavailable)
    known = [s for s in sorted(used) if scores.get(s) is not None]
    basis = ", ".join(f"{SCORE_LABELS.get(s, s)} {scores[s]}" for s in known) or "no scores"
    return TierResult("low", f"low: no higher tier's criteria met ({basis})", unavailable)
