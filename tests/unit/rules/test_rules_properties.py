"""Property tests: ranges, monotone bands, and evaluate's error behaviour on arbitrary input."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.rules import KINDS, InvalidInput, add_business_days, evaluate, is_business_day
from casework.rules.charlson import ICD10_PREFIXES

from .rules_spec_tables import VALID

# database=None: these pure-function properties need no example database on disk.
_COMMON: dict[str, Any] = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow],
}
SETTINGS = settings(max_examples=100, **_COMMON)
# Per-kind property tests run 22 times; fewer examples each keeps the suite fast.
PER_KIND = settings(max_examples=40, **_COMMON)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["2024-03-01", "2024-02-30", "male", "high", "none", "I21.4", "RN"])
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=12) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


def value_for(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Well-typed values for a schema: the right types and shapes, sometimes out of range."""
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    options: list[st.SearchStrategy[Any]] = []
    for name in types:
        if name == "null":
            options.append(st.none())
        elif name == "boolean":
            options.append(st.booleans())
        elif "enum" in schema and name == "string":
            options.append(st.sampled_from([v for v in schema["enum"] if v is not None]))
        elif name == "string" and schema.get("format") == "date":
            options.append(st.dates().map(date.isoformat))
        elif name == "string":
            prefixes = [p for ps in ICD10_PREFIXES.values() for p in ps]
            options.append(st.sampled_from(prefixes) | st.text(max_size=8))
        elif name == "integer":
            low = schema.get("minimum", -5)
            high = schema.get("maximum", low + 400)
            options.append(st.integers(min_value=low - 1, max_value=high + 1))
        elif name == "number":
            options.append(st.floats(min_value=-1, max_value=500) | st.integers(-1, 500))
        elif name == "array":
            low, high = schema.get("minItems", 0), schema.get("maxItems", 6)
            options.append(st.lists(value_for(schema["items"]), min_size=low, max_size=high))
        elif name == "object":
            options.append(
                st.fixed_dictionaries(
                    {key: value_for(sub) for key, sub in schema["properties"].items()}
                )
            )
    return st.one_of(options)


@pytest.mark.parametrize("kind", sorted(KINDS))
@PER_KIND
@given(data=st.data())
def test_well_typed_input_scores_or_is_rejected_cleanly(kind: str, data: st.DataObject) -> None:
    value = data.draw(value_for(dict(KINDS[kind].schema)))
    try:
        result = evaluate(kind, value)
    except InvalidInput as error:
        assert error.field.split(".")[0].split("[")[0] in KINDS[kind].schema["properties"]
        return
    assert set(result) == set(KINDS[kind].output_keys)


@pytest.mark.parametrize("kind", sorted(KINDS))
@PER_KIND
@given(data=st.data())
def test_arbitrary_json_only_raises_invalid_input(kind: str, data: st.DataObject) -> None:
    # Either any JSON value, or an object using the kind's own keys (plus strays) with
    # arbitrary JSON values, so the per-field checks are exercised too.
    keys = st.sampled_from(sorted(KINDS[kind].schema["properties"])) | st.text(max_size=4)
    payload: Any = data.draw(json_values | st.dictionaries(keys, json_values, max_size=8))
    try:
        evaluate(kind, payload)
    except InvalidInput:
        pass


@pytest.mark.parametrize("kind", sorted(KINDS))
@PER_KIND
@given(data=st.data())
def test_valid_example_with_random_field_values(kind: str, data: st.DataObject) -> None:
    base = dict(VALID[kind])
    key = data.draw(st.sampled_from(sorted(base)))
    base[key] = data.draw(json_values)
    try:
        evaluate(kind, base)
    except InvalidInput as error:
        # The changed field, or one whose validity depends on it (skip logic, part <= whole).
        assert error.field.split(".")[0].split("[")[0] in KINDS[kind].schema["properties"]


# --- ranges and monotone bands -------------------------------------------------------------
SEVERITY_ORDER = {
    "phq9": ["minimal", "mild", "moderate", "moderately_severe", "severe"],
    "gad7": ["minimal", "mild", "moderate", "severe"],
}


@pytest.mark.parametrize(("kind", "count", "top"), [("phq9", 9, 27), ("gad7", 7, 21)])
@SETTINGS
@given(data=st.data())
def test_severity_monotone_in_total(kind: str, count: int, top: int, data: st.DataObject) -> None:
    strategy = st.lists(st.integers(0, 3), min_size=count, max_size=count)
    first, second = data.draw(strategy), data.draw(strategy)
    a, b = evaluate(kind, {"items": first}), evaluate(kind, {"items": second})
    assert 0 <= a["total"] <= top
    order = SEVERITY_ORDER[kind]
    if a["total"] <= b["total"]:
        assert order.index(a["severity"]) <= order.index(b["severity"])
        assert a["positive_screen"] <= b["positive_screen"]
    if a["total"] == b["total"]:
        assert a["severity"] == b["severity"]


@SETTINGS
@given(st.lists(st.booleans(), min_size=10, max_size=10), st.integers(0, 9))
def test_dast10_level_monotone(answers: list[bool], index: int) -> None:
    order = ["none", "low", "moderate", "substantial", "severe"]
    before = evaluate("dast10", {"answers": answers})
    changed = list(answers)
    changed[index] = index != 2  # the answer that scores a point
    after = evaluate("dast10", {"answers": changed})
    assert 0 <= before["total"] <= after["total"] <= 10
    assert order.index(before["level"]) <= order.index(after["level"])


@SETTINGS
@given(st.integers(0, 60), st.booleans(), st.integers(0, 40), st.integers(0, 20), st.integers(0, 3))
def test_lace_monotone(los: int, acute: bool, charlson: int, ed: int, bump: int) -> None:
    order = ["low", "moderate", "high"]

    def run(l_: int, c: int, e: int) -> dict[str, Any]:
        return evaluate(
            "lace",
            {"length_of_stay_days": l_, "acute_admission": acute, "charlson_score": c,
             "ed_visits_6mo": e},
        )  # fmt: skip

    base, more = run(los, charlson, ed), run(los + bump, charlson + bump, ed + bump)
    assert 0 <= base["total"] <= more["total"] <= 19
    assert order.index(base["risk"]) <= order.index(more["risk"])


@SETTINGS
@given(
    st.floats(0.1, 25),
    st.floats(100, 170),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.integers(0, 20),
    st.integers(0, 60),
)
def test_hospital_range_and_band(
    hb: float, na: float, onc: bool, proc: bool, urgent: bool, adm: int, los: int
) -> None:
    result = evaluate(
        "hospital_score",
        {"hemoglobin_g_dl": hb, "oncology_discharge": onc, "sodium_mmol_l": na,
         "procedure": proc, "urgent_admission": urgent, "admissions_prev_12mo": adm,
         "length_of_stay_days": los},
    )  # fmt: skip
    total = result["total"]
    assert 0 <= total <= 13
    expected = "low" if total <= 4 else "intermediate" if total <= 6 else "high"
    assert result["risk"] == expected


all_prefixes = st.sampled_from([p for ps in ICD10_PREFIXES.values() for p in ps])


@SETTINGS
@given(st.lists(all_prefixes, max_size=15), all_prefixes, st.none() | st.integers(0, 130))
def test_charlson_monotone_and_bounded(codes: list[str], extra: str, age: int | None) -> None:
    before = evaluate("charlson_icd10", {"codes": codes, "age": age})
    after = evaluate("charlson_icd10", {"codes": [*codes, extra], "age": age})
    for key, top in (("charlson_1987", 29), ("quan_2011", 24)):
        assert 0 <= before[key] <= after[key] <= top
    assert before["conditions"] == sorted(set(before["conditions"]))
    if age is not None:
        assert after["charlson_1987_age_adjusted"] == after["charlson_1987"] + after["age_points"]


@SETTINGS
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 1)), st.integers(0, 30))
def test_add_business_days_properties(start: date, n: int) -> None:
    end = add_business_days(start, n)
    assert end >= start
    days = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(map(is_business_day, days)) == n
    if n:
        assert is_business_day(end)
        back = add_business_days(end, -n)  # the last business day on or before start
        assert back == start if is_business_day(start) else back < start


@SETTINGS
@given(st.dates(max_value=date(9999, 11, 1)))
def test_tcm_deadline_ordering(discharge: date) -> None:
    result = evaluate(
        "tcm_deadlines",
        {"discharge_date": discharge.isoformat(), "discharge_setting": "other",
         "discharged_to": "home"},
    )  # fmt: skip
    contact = date.fromisoformat(result["interactive_contact_deadline"])
    assert discharge + timedelta(days=2) <= contact <= discharge + timedelta(days=8)
    assert result["face_to_face_deadline_99496"] < result["face_to_face_deadline_99495"]
    assert result["face_to_face_deadline_99495"] < result["service_period_end"]
