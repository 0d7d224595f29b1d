"""Section 1 strict input and section 11 contract, for every kind."""

from __future__ import annotations

import json
from typing import Any

import pytest

from casework.rules import KINDS, InvalidInput, UnknownKind, evaluate

from .rules_spec_tables import OPTIONAL_INPUTS, SPEC_INPUTS, SPEC_OUTPUTS, VALID, rejections

ALL_KINDS = sorted(SPEC_INPUTS)

REJECTION_CASES = [
    pytest.param(kind, data, where, id=f"{kind}-{label}-{where}-{index}")
    for kind in ALL_KINDS
    for index, (label, data, where) in enumerate(rejections(kind))
]


def test_every_spec_kind_is_registered_and_nothing_else() -> None:
    assert sorted(KINDS) == ALL_KINDS
    assert len(ALL_KINDS) == 22


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_valid_example_returns_exactly_the_declared_output_keys(kind: str) -> None:
    result = evaluate(kind, VALID[kind])
    assert set(result) == set(KINDS[kind].output_keys)
    assert set(SPEC_OUTPUTS[kind]) <= set(result)
    json.dumps(result)  # plain JSON values only (dates as strings)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_schema_lists_exactly_the_spec_input_keys(kind: str) -> None:
    schema = KINDS[kind].schema
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(SPEC_INPUTS[kind])
    expected_required = set(SPEC_INPUTS[kind]) - OPTIONAL_INPUTS.get(kind, set())
    assert set(schema["required"]) == expected_required


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_descriptor_is_json_serialisable_and_not_aliased(kind: str) -> None:
    description = KINDS[kind].describe()
    json.dumps(description)
    assert description["kind"] == kind
    assert description["output_keys"] == list(KINDS[kind].output_keys)
    description["input_schema"]["properties"].clear()
    assert KINDS[kind].schema["properties"], "describe() must return a copy"


@pytest.mark.parametrize(("kind", "data", "where"), REJECTION_CASES)
def test_rejection_names_the_field(kind: str, data: dict[str, Any], where: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate(kind, data)
    assert caught.value.field == where
    assert where in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_rejection_classes_cover_section_1() -> None:
    labels = {label for kind in ALL_KINDS for label, _, _ in rejections(kind)}
    assert {
        "missing-key",
        "extra-key",
        "bool-for-int",
        "int-for-bool",
        "float-for-int",
        "string-for-number",
        "out-of-range",
        "wrong-list-length",
        "unknown-enum",
        "bad-date",
        "non-finite",
        "null-not-allowed",
    } <= labels


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("data", [None, [], "x", 1, True, ()])
def test_non_object_input_is_rejected(kind: str, data: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate(kind, data)
    assert caught.value.field == ""


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_non_string_key_is_an_unknown_field(kind: str) -> None:
    data: dict[Any, Any] = {**VALID[kind], 1: 1}
    with pytest.raises(InvalidInput) as caught:
        evaluate(kind, data)
    assert caught.value.field == "1"


@pytest.mark.parametrize("kind", ["nope", "PHQ9", "phq9 ", "", None, 3, ("phq9",)])
def test_unknown_kind(kind: Any) -> None:
    with pytest.raises(UnknownKind) as caught:
        evaluate(kind, {"items": [0] * 9})
    assert isinstance(caught.value, KeyError)
    assert isinstance(caught.value, LookupError)
    assert not isinstance(caught.value, InvalidInput)
    assert "unknown rule kind" in str(caught.value)


def test_invalid_input_message_and_field() -> None:
    with pytest.raises(InvalidInput, match=r"^items\[3\]: ") as caught:
        evaluate("phq9", {"items": [0, 0, 0, 4, 0, 0, 0, 0, 0]})
    assert caught.value.field == "items[3]"
    with pytest.raises(InvalidInput) as caught:
        evaluate(
            "lawton_iadl", {"responses": {**VALID["lawton_iadl"]["responses"], "telephone": 5}}
        )
    assert caught.value.field == "responses.telephone"


def test_input_is_not_mutated() -> None:
    data = {"items": [3] * 9}
    evaluate("phq9", data)
    assert data == {"items": [3] * 9}


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("phq9", {"items": (1,) * 9}),
        ("katz_adl", {"independent": dict.fromkeys(VALID["katz_adl"]["independent"], False)}),
    ],
)
def test_tuples_accepted_as_arrays(kind: str, data: dict[str, Any]) -> None:
    assert "total" in evaluate(kind, data)


def test_int_subclass_is_not_an_integer() -> None:
    class MyInt(int):
        pass

    with pytest.raises(InvalidInput):
        evaluate("phq2", {"items": [MyInt(1), 1]})
