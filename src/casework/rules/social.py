"""Health-related social needs: CMS AHC HRSN Screening Tool, core domains (spec section 5).

Only the updated (2018) wording of the 10 core questions is supported; supplemental domains
and PRAPARE are out of scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ._rule import Result, Rule
from ._validate import InvalidInput, array, child, enum, integer, obj

LIVING_SITUATIONS: Final = ("steady", "worried_about_losing", "not_steady")
LIVING_SITUATION_POSITIVE: Final = frozenset({"worried_about_losing", "not_steady"})

HOUSING_PROBLEMS: Final = (
    "pests",
    "mold",
    "lead_paint_or_pipes",
    "lack_of_heat",
    "oven_or_stove_not_working",
    "smoke_detectors_missing_or_not_working",
    "water_leaks",
)
HOUSING_NONE: Final = "none"  # "none of the above": only valid as the single answer

FOOD_ANSWERS: Final = ("often_true", "sometimes_true", "never_true")
FOOD_POSITIVE: Final = frozenset({"often_true", "sometimes_true"})

TRANSPORTATION_ANSWERS: Final = ("yes", "no")
UTILITIES_ANSWERS: Final = ("yes", "no", "already_shut_off")
UTILITIES_POSITIVE: Final = frozenset({"yes", "already_shut_off"})

# Q7-Q10 frequency scale: never 1, rarely 2, sometimes 3, fairly often 4, frequently 5.
SAFETY_ITEM_MIN: Final = 1
SAFETY_ITEM_MAX: Final = 5
SAFETY_POSITIVE_ABOVE: Final = 10  # positive when the sum is greater than 10 (11-20)


def _ahc(data: Mapping[str, Any]) -> Result:
    problems: list[str] = data["housing_problems"]
    if HOUSING_NONE in problems and len(problems) > 1:
        raise InvalidInput(
            child("housing_problems", problems.index(HOUSING_NONE)),
            '"none" cannot be combined with a housing problem',
        )
    safety: list[int] = data["safety"]
    safety_score = sum(safety)
    domains = {
        "living_situation": data["living_situation"] in LIVING_SITUATION_POSITIVE
        or any(problem != HOUSING_NONE for problem in problems),
        "food_insecurity": data["food_worry"] in FOOD_POSITIVE
        or data["food_didnt_last"] in FOOD_POSITIVE,
        "transportation": data["transportation"] == "yes",
        "utilities": data["utilities"] in UTILITIES_POSITIVE,
        "interpersonal_safety": safety_score > SAFETY_POSITIVE_ABOVE,
    }
    return {**domains, "safety_score": safety_score, "any_need": any(domains.values())}


RULES: Final = (
    Rule(
        kind="ahc_hrsn_core",
        title="AHC Health-Related Social Needs screening (core domains)",
        schema=obj(
            {
                "living_situation": enum(LIVING_SITUATIONS, description="Q1 living situation"),
                "housing_problems": array(
                    enum((*HOUSING_PROBLEMS, HOUSING_NONE)),
                    minItems=1,
                    uniqueItems=True,
                    description='Q2 problems with the place you live, or exactly ["none"]',
                ),
                "food_worry": enum(FOOD_ANSWERS, description="Q3 worried food would run out"),
                "food_didnt_last": enum(FOOD_ANSWERS, description="Q4 food didn't last"),
                "transportation": enum(TRANSPORTATION_ANSWERS, description="Q5"),
                "utilities": enum(UTILITIES_ANSWERS, description="Q6 utility shut-off threat"),
                "safety": array(
                    integer(SAFETY_ITEM_MIN, SAFETY_ITEM_MAX),
                    4,
                    description="Q7-Q10 frequency, never 1 .. frequently 5",
                ),
            }
        ),
        output_keys=(
            "living_situation",
            "food_insecurity",
            "transportation",
            "utilities",
            "interpersonal_safety",
            "safety_score",
            "any_need",
        ),
        compute=_ahc,
        source="CMS AHC HRSN Screening Tool (2018); CMS guide (2021); Billioux et al. 2017",
        notes=("Only the 2018 wording is supported; supplemental domains are out of scope.",),
    ),
)
