"""Charlson comorbidity index from ICD-10 codes (spec section 8).

Owns the Quan 2005 enhanced ICD-10 coding algorithm (prefix table), both weightings
(Charlson 1987 and Quan 2011), the severity hierarchy and the age points. The tables and
``condition_for_code`` / ``score_conditions`` are public so a vectorised population scorer can
reuse exactly the same definitions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

from ._rule import Result, Rule
from ._validate import InvalidInput, array, child, integer, obj


def _range(letter: str, first: int, last: int) -> tuple[str, ...]:
    """Three-character categories ``letter+first`` .. ``letter+last`` (e.g. C00-C26)."""
    return tuple(f"{letter}{number:02d}" for number in range(first, last + 1))


# Quan et al. 2005 enhanced ICD-10 prefixes, dots removed. A code belongs to a condition when
# it starts with one of its prefixes. No prefix starts another condition's prefix (tested).
ICD10_PREFIXES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "mi": ("I21", "I22", "I252"),
    "chf": ("I099", "I110", "I130", "I132", "I255", "I420", "I425", "I426", "I427", "I428",
            "I429", "I43", "I50", "P290"),
    "pvd": ("I70", "I71", "I731", "I738", "I739", "I771", "I790", "I792", "K551", "K558",
            "K559", "Z958", "Z959"),
    "cevd": ("G45", "G46", "H340", *_range("I", 60, 69)),
    "dementia": ("F00", "F01", "F02", "F03", "F051", "G30", "G311"),
    "cpd": ("I278", "I279", *_range("J", 40, 47), *_range("J", 60, 67), "J684", "J701",
            "J703"),
    "rheumatic": ("M05", "M06", "M315", "M32", "M33", "M34", "M351", "M353", "M360"),
    "pud": ("K25", "K26", "K27", "K28"),
    "mild_liver": ("B18", "K700", "K701", "K702", "K703", "K709", "K713", "K714", "K715",
                   "K717", "K73", "K74", "K760", "K762", "K763", "K764", "K768", "K769",
                   "Z944"),
    "diabetes_uncomplicated": tuple(
        f"E1{kind}{sub}" for kind in "01234" for sub in "01689"
    ),
    "diabetes_complicated": tuple(
        f"E1{kind}{sub}" for kind in "01234" for sub in "23457"
    ),
    "hemiplegia_paraplegia": ("G041", "G114", "G801", "G802", "G81", "G82", "G830", "G831",
                              "G832", "G833", "G834", "G839"),
    "renal": ("I120", "I131", "N032", "N033", "N034", "N035", "N036", "N037", "N052", "N053",
              "N054", "N055", "N056", "N057", "N18", "N19", "N250", "Z490", "Z491", "Z492",
              "Z940", "Z992"),
    # Not C44 (other skin), C86, nor ICD-10-CM-only C4A/C7A/C7B; C77-C80 are metastatic.
    "malignancy": (*_range("C", 0, 26), *_range("C", 30, 34), *_range("C", 37, 41), "C43",
                   *_range("C", 45, 58), *_range("C", 60, 76), *_range("C", 81, 85), "C88",
                   *_range("C", 90, 97)),
    "moderate_severe_liver": ("I850", "I859", "I864", "I982", "K704", "K711", "K721", "K729",
                              "K765", "K766", "K767"),
    "metastatic_solid_tumor": ("C77", "C78", "C79", "C80"),
    "hiv_aids": ("B20", "B21", "B22", "B24"),
})  # fmt: skip

CONDITIONS: Final = tuple(ICD10_PREFIXES)

# Every prefix -> its condition; the inverse of ICD10_PREFIXES.
PREFIX_TO_CONDITION: Final[Mapping[str, str]] = MappingProxyType(
    {prefix: key for key, prefixes in ICD10_PREFIXES.items() for prefix in prefixes}
)
_PREFIX_LENGTHS: Final = tuple(sorted({len(prefix) for prefix in PREFIX_TO_CONDITION}))

WEIGHTS_CHARLSON_1987: Final[Mapping[str, int]] = MappingProxyType({
    "mi": 1, "chf": 1, "pvd": 1, "cevd": 1, "dementia": 1, "cpd": 1, "rheumatic": 1,
    "pud": 1, "mild_liver": 1, "diabetes_uncomplicated": 1, "diabetes_complicated": 2,
    "hemiplegia_paraplegia": 2, "renal": 2, "malignancy": 2, "moderate_severe_liver": 3,
    "metastatic_solid_tumor": 6, "hiv_aids": 6,
})  # fmt: skip
# AIDS/HIV is 4 (comorbidipy <= 0.8.0 and old R comorbidity use 2, a known error). Max 24.
WEIGHTS_QUAN_2011: Final[Mapping[str, int]] = MappingProxyType({
    "mi": 0, "chf": 2, "pvd": 0, "cevd": 0, "dementia": 2, "cpd": 1, "rheumatic": 1,
    "pud": 0, "mild_liver": 2, "diabetes_uncomplicated": 0, "diabetes_complicated": 1,
    "hemiplegia_paraplegia": 2, "renal": 1, "malignancy": 2, "moderate_severe_liver": 4,
    "metastatic_solid_tumor": 6, "hiv_aids": 4,
})  # fmt: skip
QUAN_2011_MAX: Final = 24

# (more severe, less severe): when both are present only the more severe one counts.
HIERARCHY: Final = (
    ("moderate_severe_liver", "mild_liver"),
    ("diabetes_complicated", "diabetes_uncomplicated"),
    ("metastatic_solid_tumor", "malignancy"),
)

# Charlson 1994 age points, one per decade over 40. Decision: capped at 4 (>= 80), as in
# comorbidipy, pycomorb and common calculators. Applies to the 1987 weighting only.
AGE_POINTS: Final = ((50, 1), (60, 2), (70, 3), (80, 4))
AGE_MAX: Final = 130

_CODE_SHAPE: Final = re.compile(r"[A-Z][0-9][0-9A-Z]{1,5}")


def normalize_code(raw: str) -> str | None:
    """Strip, upper-case and drop dots; ``None`` when the result is not an ICD-10 code shape.

    Non-ASCII input is refused before upper-casing, because ``str.upper`` maps some
    non-ASCII letters onto ASCII ones (e.g. dotless i -> I).
    """
    text = raw.strip()
    if not text.isascii():
        return None
    code = text.upper().replace(".", "")
    return code if _CODE_SHAPE.fullmatch(code) else None


def condition_for_code(code: str) -> str | None:
    """Charlson condition key of an ICD-10(-CM) code, or ``None`` if it maps to no condition.

    Raises ``ValueError`` if ``code`` is not a well-formed code (after normalisation).
    """
    normal = normalize_code(code)
    if normal is None:
        raise ValueError(f"not an ICD-10 code: {code!r}")
    return condition_for_normalized_code(normal)


def condition_for_normalized_code(code: str) -> str | None:
    """Like ``condition_for_code`` for a code already passed through ``normalize_code``."""
    for length in _PREFIX_LENGTHS:
        key = PREFIX_TO_CONDITION.get(code[:length])
        if key is not None:
            return key
    return None


def apply_hierarchy(present: Iterable[str]) -> list[str]:
    """Counted conditions (sorted): drop each milder member whose severe partner is present."""
    found = set(present)
    for severe, mild in HIERARCHY:
        if severe in found:
            found.discard(mild)
    return sorted(found)


def age_points(age: int) -> int:
    """Charlson 1994 age points (0-4)."""
    points = 0
    for lower, value in AGE_POINTS:
        if age >= lower:
            points = value
    return points


def score_conditions(counted: Iterable[str], weights: Mapping[str, int]) -> int:
    """Sum of ``weights`` over already-counted (post-hierarchy, distinct) conditions."""
    return sum(weights[key] for key in counted)


def _charlson(data: Mapping[str, Any]) -> Result:
    present: set[str] = set()
    codes: list[str] = data["codes"]
    for index, raw in enumerate(codes):
        normal = normalize_code(raw)
        if normal is None:
            raise InvalidInput(child("codes", index), f"{raw!r} is not a valid ICD-10 code")
        key = condition_for_normalized_code(normal)
        if key is not None:
            present.add(key)
    counted = apply_hierarchy(present)
    charlson_1987 = score_conditions(counted, WEIGHTS_CHARLSON_1987)
    age: int | None = data["age"]
    points = None if age is None else age_points(age)
    return {
        "conditions": counted,
        "charlson_1987": charlson_1987,
        "quan_2011": score_conditions(counted, WEIGHTS_QUAN_2011),
        "age_points": points,
        "charlson_1987_age_adjusted": None if points is None else charlson_1987 + points,
    }


RULES: Final = (
    Rule(
        kind="charlson_icd10",
        title="Charlson comorbidity index (ICD-10, Quan 2005 coding)",
        schema=obj(
            {
                "codes": array(
                    {"type": "string", "description": "ICD-10 or ICD-10-CM code, dot optional"},
                    description="diagnosis codes; may be empty; duplicates allowed",
                ),
                "age": {
                    **integer(0, AGE_MAX),
                    "type": ["integer", "null"],
                    "description": "age in years, or null (no age points)",
                },
            }
        ),
        output_keys=(
            "conditions",
            "charlson_1987",
            "quan_2011",
            "age_points",
            "charlson_1987_age_adjusted",
        ),
        compute=_charlson,
        source="Charlson 1987, 1994; Quan 2005 (ICD-10 coding), Quan 2011 (weights)",
        notes=(
            "Quan 2011 weights: AIDS/HIV = 4 (max 24); 1987 weights count tumours once.",
            "Decision: age points capped at 4 (>= 80); they apply to the 1987 weights only.",
            "ICD-10-CM-only categories that Quan does not list (E08, E09, C7A) map to nothing.",
        ),
    ),
)
