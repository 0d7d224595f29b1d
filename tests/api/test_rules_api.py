"""The rule library through the API: every kind listed and reachable, strict errors."""

from __future__ import annotations

from casework import rules
from tests.api.test_bad_input import assert_problem
from tests.conftest import Api


def test_every_kind_is_listed_with_its_input_schema(api: Api) -> None:
    listed = api.get("/rules").json()
    assert {r["kind"] for r in listed} == set(rules.KINDS)
    phq9 = next(r for r in listed if r["kind"] == "phq9")
    assert "items" in phq9["input_schema"]["properties"]
    assert phq9["output_keys"][:2] == ["total", "severity"]


def test_a_rule_is_evaluated_exactly(api: Api) -> None:
    response = api.post("/rules/phq9", {"items": [0, 0, 0, 0, 0, 0, 0, 0, 1]})
    assert response.status_code == 200
    assert response.json() == {
        "total": 1, "severity": "minimal", "positive_screen": False, "item9_flag": True,
    }  # fmt: skip
    deadlines = api.post(
        "/rules/tcm_deadlines",
        {"discharge_date": "2026-11-25", "discharge_setting": "inpatient_acute_care_hospital",
         "discharged_to": "home"},
    ).json()  # fmt: skip
    assert deadlines["interactive_contact_deadline"] == "2026-11-30"  # Thanksgiving skipped


def test_invalid_input_is_422_naming_the_field(api: Api) -> None:
    body = assert_problem(api.post("/rules/phq9", {"items": [0, 0, 0, 0, True, 0, 0, 0, 0]}), 422)
    assert body["field"] == "items[4]"
    assert_problem(api.post("/rules/lace", {"length_of_stay_days": 3}), 422)
    assert_problem(api.post("/rules/phq9", [1, 2]), 422)


def test_an_unknown_kind_is_404(api: Api) -> None:
    assert_problem(api.post("/rules/phq10", {"items": []}), 404, "kind")
