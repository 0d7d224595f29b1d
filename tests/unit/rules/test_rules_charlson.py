"""Charlson comorbidity index from ICD-10 codes (spec section 8)."""

from __future__ import annotations

from typing import Any

import pytest

from casework.rules import InvalidInput, evaluate
from casework.rules.charlson import (
    ICD10_PREFIXES,
    PREFIX_TO_CONDITION,
    QUAN_2011_MAX,
    WEIGHTS_CHARLSON_1987,
    WEIGHTS_QUAN_2011,
    age_points,
    condition_for_code,
    normalize_code,
)


def expand(text: str) -> set[str]:
    """Expand the spec's 'C00–C26' range notation into 3-character categories."""
    out: set[str] = set()
    for part in text.split(", "):
        if "–" in part:
            first, last = part.split("–")
            out |= {f"{first[0]}{n:02d}" for n in range(int(first[1:]), int(last[1:]) + 1)}
        else:
            out.add(part)
    return out


# Verbatim from the spec table of section 8.4.
SPEC_PREFIXES = {
    "mi": "I21, I22, I252",
    "chf": "I099, I110, I130, I132, I255, I420, I425, I426, I427, I428, I429, I43, I50, P290",
    "pvd": "I70, I71, I731, I738, I739, I771, I790, I792, K551, K558, K559, Z958, Z959",
    "cevd": "G45, G46, H340, I60, I61, I62, I63, I64, I65, I66, I67, I68, I69",
    "dementia": "F00, F01, F02, F03, F051, G30, G311",
    "cpd": "I278, I279, J40, J41, J42, J43, J44, J45, J46, J47, J60, J61, J62, J63, J64, J65, "
    "J66, J67, J684, J701, J703",
    "rheumatic": "M05, M06, M315, M32, M33, M34, M351, M353, M360",
    "pud": "K25, K26, K27, K28",
    "mild_liver": "B18, K700, K701, K702, K703, K709, K713, K714, K715, K717, K73, K74, K760, "
    "K762, K763, K764, K768, K769, Z944",
    "diabetes_uncomplicated": "E100, E101, E106, E108, E109, E110, E111, E116, E118, E119, "
    "E120, E121, E126, E128, E129, E130, E131, E136, E138, E139, E140, E141, E146, E148, E149",
    "diabetes_complicated": "E102, E103, E104, E105, E107, E112, E113, E114, E115, E117, E122, "
    "E123, E124, E125, E127, E132, E133, E134, E135, E137, E142, E143, E144, E145, E147",
    "hemiplegia_paraplegia": "G041, G114, G801, G802, G81, G82, G830, G831, G832, G833, G834, G839",
    "renal": "I120, I131, N032, N033, N034, N035, N036, N037, N052, N053, N054, N055, N056, "
    "N057, N18, N19, N250, Z490, Z491, Z492, Z940, Z992",
    "malignancy": "C00–C26, C30–C34, C37–C41, C43, C45–C58, C60–C76, C81–C85, C88, C90–C97",
    "moderate_severe_liver": "I850, I859, I864, I982, K704, K711, K721, K729, K765, K766, K767",
    "metastatic_solid_tumor": "C77, C78, C79, C80",
    "hiv_aids": "B20, B21, B22, B24",
}
SPEC_WEIGHTS = {  # key: (Charlson 1987, Quan 2011)
    "mi": (1, 0), "chf": (1, 2), "pvd": (1, 0), "cevd": (1, 0), "dementia": (1, 2),
    "cpd": (1, 1), "rheumatic": (1, 1), "pud": (1, 0), "mild_liver": (1, 2),
    "diabetes_uncomplicated": (1, 0), "diabetes_complicated": (2, 1),
    "hemiplegia_paraplegia": (2, 2), "renal": (2, 1), "malignancy": (2, 2),
    "moderate_severe_liver": (3, 4), "metastatic_solid_tumor": (6, 6), "hiv_aids": (6, 4),
}  # fmt: skip


def charlson(codes: list[Any], age: int | None = None) -> dict[str, Any]:
    return evaluate("charlson_icd10", {"codes": codes, "age": age})


def test_prefix_table_matches_spec_exactly() -> None:
    assert {key: set(prefixes) for key, prefixes in ICD10_PREFIXES.items()} == {
        key: expand(text) for key, text in SPEC_PREFIXES.items()
    }
    assert sum(len(p) for p in ICD10_PREFIXES.values()) == len(PREFIX_TO_CONDITION)


def test_weights_match_spec() -> None:
    assert {k: (WEIGHTS_CHARLSON_1987[k], WEIGHTS_QUAN_2011[k]) for k in SPEC_WEIGHTS} == (
        SPEC_WEIGHTS
    )
    assert set(WEIGHTS_CHARLSON_1987) == set(WEIGHTS_QUAN_2011) == set(ICD10_PREFIXES)
    assert sum(1 for w in WEIGHTS_QUAN_2011.values() if w) == 12


def test_no_prefix_is_a_prefix_of_another_conditions_prefix() -> None:
    for a, key_a in PREFIX_TO_CONDITION.items():
        for b, key_b in PREFIX_TO_CONDITION.items():
            if a != b and b.startswith(a):
                assert key_a == key_b, (a, b)


@pytest.mark.parametrize(("prefix", "key"), sorted(PREFIX_TO_CONDITION.items()))
def test_every_prefix_and_a_subcode_map_to_their_condition(key: str, prefix: str) -> None:
    assert condition_for_code(prefix) == key
    assert condition_for_code(prefix + "9") == key
    dotted = f"{prefix[:3]}.{prefix[3:]}9".lower()
    assert charlson([dotted])["conditions"] == [key]


@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("E11.40", "diabetes_complicated"),
        ("e11.40", "diabetes_complicated"),
        ("  E1140 ", "diabetes_complicated"),
        ("E11.9", "diabetes_uncomplicated"),
        ("E11.65", "diabetes_uncomplicated"),  # E116 prefix
        ("I21.4", "mi"),
        ("I25.2", "mi"),
        ("I25.5", "chf"),
        ("I25.10", None),
        ("I13.0", "chf"),
        ("I13.1", "renal"),
        ("I13.2", "chf"),
        ("K70.3", "mild_liver"),
        ("K70.4", "moderate_severe_liver"),
        ("C50.911", "malignancy"),
        ("C43.9", "malignancy"),
        ("C44.91", None),
        ("C4A.9", None),
        ("C7A.00", None),
        ("C7B.00", None),
        ("C86.0", None),
        ("C35", None),
        ("C59", None),
        ("C89", None),
        ("C98", None),
        ("C77.0", "metastatic_solid_tumor"),
        ("C80.1", "metastatic_solid_tumor"),
        ("E08.40", None),
        ("E09.9", None),
        ("B20", "hiv_aids"),
        ("B23.0", None),
        ("N18.6", "renal"),
        ("Z99.2", "renal"),
        ("J44.9", "cpd"),
        ("G81.90", "hemiplegia_paraplegia"),
        ("F03.90", "dementia"),
        ("R69", None),
    ],
)
def test_code_mapping(code: str, key: str | None) -> None:
    assert condition_for_code(code) == key


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("e11.40", "E1140"), (" I21.4\t", "I214"), ("Z99.2\n", "Z992"), ("c4a.9", "C4A9"),
     ("I21", "I21"), ("I2", None), ("I21.00000", None), ("121", None), ("II21", None),
     ("", None), ("  ", None), ("I-21", None), ("I 21", None), ("ı21", None), ("Ｉ21", None),
     (".", None), ("E11.4.0", "E1140")],
)  # fmt: skip
def test_normalize_code(raw: str, normal: str | None) -> None:
    assert normalize_code(raw) == normal


@pytest.mark.parametrize("bad", ["I2", "I21.000000", "1E11", "I 21", "", "ı21", "E11,40"])
def test_invalid_code_rejected_naming_the_code(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        charlson(["I21.4", "E11.9", bad])
    assert caught.value.field == "codes[2]"
    assert repr(bad) in str(caught.value)
    with pytest.raises(ValueError):
        condition_for_code(bad)


@pytest.mark.parametrize("bad", [None, 121, ["I21"], True])
def test_non_string_code_rejected(bad: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        charlson(["I21", bad])
    assert caught.value.field == "codes[1]"


def test_empty_list_scores_zero() -> None:
    assert charlson([], None) == {
        "conditions": [],
        "charlson_1987": 0,
        "quan_2011": 0,
        "age_points": None,
        "charlson_1987_age_adjusted": None,
    }


def test_duplicates_count_once() -> None:
    result = charlson(["I50.9", "I50.9", "i50.1", "I42.0"], 45)
    assert result["conditions"] == ["chf"]
    assert (result["charlson_1987"], result["quan_2011"]) == (1, 2)
    assert (result["age_points"], result["charlson_1987_age_adjusted"]) == (0, 1)


@pytest.mark.parametrize(
    ("codes", "conditions", "c1987", "quan"),
    [
        (["K70.3", "K70.4"], ["moderate_severe_liver"], 3, 4),
        (["K70.3"], ["mild_liver"], 1, 2),
        (["E11.9", "E11.40"], ["diabetes_complicated"], 2, 1),
        (["E11.9"], ["diabetes_uncomplicated"], 1, 0),
        (["C50.9", "C78.0"], ["metastatic_solid_tumor"], 6, 6),
        (["C50.9", "C91.00", "C83.3"], ["malignancy"], 2, 2),  # tumour/leukaemia/lymphoma once
        (["C44.9", "C4A.9"], [], 0, 0),
    ],
)
def test_hierarchies(codes: list[str], conditions: list[str], c1987: int, quan: int) -> None:
    result = charlson(codes)
    assert result["conditions"] == conditions
    assert (result["charlson_1987"], result["quan_2011"]) == (c1987, quan)


def test_hierarchies_are_independent_of_order() -> None:
    assert charlson(["K70.4", "K70.3"]) == charlson(["K70.3", "K70.4"])


def test_maximum_quan_is_24_and_1987_is_29() -> None:
    one_per_condition = [prefixes[0] for prefixes in ICD10_PREFIXES.values()]
    result = charlson(one_per_condition, 85)
    assert result["quan_2011"] == QUAN_2011_MAX == 24
    assert result["charlson_1987"] == 29
    assert result["age_points"] == 4
    assert result["charlson_1987_age_adjusted"] == 33
    assert "mild_liver" not in result["conditions"]
    assert result["conditions"] == sorted(result["conditions"])
    assert len(result["conditions"]) == 14


def test_hiv_quan_weight_is_4() -> None:
    assert charlson(["B20"])["quan_2011"] == 4
    assert charlson(["B24"])["charlson_1987"] == 6


@pytest.mark.parametrize(
    ("age", "points"),
    [(0, 0), (40, 0), (49, 0), (50, 1), (59, 1), (60, 2), (69, 2), (70, 3), (79, 3), (80, 4),
     (99, 4), (130, 4)],
)  # fmt: skip
def test_age_points(age: int, points: int) -> None:
    assert age_points(age) == points
    result = charlson(["I21"], age)
    assert result["age_points"] == points
    assert result["charlson_1987_age_adjusted"] == 1 + points
    assert result["quan_2011"] == 0  # Quan 2011 has no age component


@pytest.mark.parametrize("age", [-1, 131, 65.0, True, "65"])
def test_age_rejections(age: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        charlson([], age)
    assert caught.value.field == "age"


def test_age_is_required_even_if_null() -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate("charlson_icd10", {"codes": []})
    assert caught.value.field == "age"
