"""Risk stratification in a case: scores from the client's record, the program's rule,
the computed tier with its explanation, and an override with a reason, all kept."""

from __future__ import annotations

import datetime as dt

from casework.core import clock
from tests.api.test_bad_input import assert_problem
from tests.conftest import Api


def days_ago(n: int) -> str:
    return (clock.today() - dt.timedelta(days=n)).isoformat()


def test_the_tier_is_computed_with_its_explanation(api: Api, case_id: int, client_id: int) -> None:
    for code in ("I50.9", "E11.40", "J44.9"):  # CHF 1 + complicated diabetes 2 + COPD 1
        created = api.post(f"/clients/{client_id}/conditions", {"icd10_code": code})
        assert created.status_code == 201, created.content
    abated = {"icd10_code": "C34.90", "onset_date": days_ago(900), "abatement_date": days_ago(400)}
    api.post(f"/clients/{client_id}/conditions", abated)
    for n in (40, 20):
        api.post(f"/clients/{client_id}/encounters", {"kind": "ed", "started_on": days_ago(n)})
    stay = {"kind": "inpatient", "started_on": days_ago(10), "discharged_on": days_ago(5),
            "acute": True}  # fmt: skip
    assert api.post(f"/clients/{client_id}/encounters", stay).status_code == 201

    scores = api.get(f"/cases/{case_id}/risk-scores").json()
    assert scores["charlson_1987"] == 4  # the abated cancer does not count
    assert scores["charlson_conditions"] == ["chf", "cpd", "diabetes_complicated"]
    # L: 5 days -> 4; A: acute -> 3; C: 4 -> 5; E: 2 visits -> 2
    assert scores["lace"] == 14

    computed = api.post(f"/cases/{case_id}/tiers/compute")
    assert computed.status_code == 201, computed.content
    body = computed.json()
    assert body["tier"] == "complex"
    assert body["computed_tier"] == "complex"
    assert body["basis"].startswith("complex: LACE 14 ≥ 10 and Charlson (1987) 4 ≥ 3")
    assert api.get(f"/cases/{case_id}").json()["tier"] == "complex"


def test_an_override_needs_a_reason_and_both_are_kept(api: Api, case_id: int) -> None:
    computed = api.post(f"/cases/{case_id}/tiers/compute").json()
    assert computed["tier"] == "low"
    refused = api.post(f"/cases/{case_id}/tiers", {"tier": "high"})
    assert_problem(refused, 422, "override_reason")
    override = api.post(
        f"/cases/{case_id}/tiers",
        {"tier": "high", "override_reason": "Lives alone, new oxygen, two falls this month"},
    )
    assert override.status_code == 201, override.content
    assert override.json()["computed_tier"] == "low"
    history = api.get(f"/cases/{case_id}/tiers").json()["items"]
    assert [(t["tier"], t["computed_tier"]) for t in history] == [("low", "low"), ("high", "low")]
    assert api.get(f"/cases/{case_id}").json()["tier"] == "high"


def test_a_tier_by_hand_without_a_computed_one_needs_a_basis(api: Api, case_id: int) -> None:
    assert_problem(api.post(f"/cases/{case_id}/tiers", {"tier": "moderate"}), 422, "basis")
    ok = api.post(f"/cases/{case_id}/tiers", {"tier": "moderate", "basis": "clinical judgement"})
    assert ok.status_code == 201


def test_social_needs_with_a_positive_phq9_give_high(api: Api, case_id: int) -> None:
    today = clock.today().isoformat()
    phq9 = {f"q{n}": 2 for n in range(1, 9)} | {"q9": 0}
    api.post(f"/cases/{case_id}/instruments",
             {"instrument": "phq9", "answers": phq9, "administered_on": today})  # fmt: skip
    ahc = {"living_situation": "worried_about_losing", "housing_problems": ["none"],
           "food_worry": "never_true", "food_didnt_last": "never_true", "transportation": "no",
           "utilities": "no", "safety_hurt": 1, "safety_insult": 1, "safety_threaten": 1,
           "safety_scream": 1}  # fmt: skip
    body = {"instrument": "ahc_hrsn_core", "answers": ahc, "administered_on": today}
    given = api.post(f"/cases/{case_id}/instruments", body)
    assert given.status_code == 201, given.content
    body = api.post(f"/cases/{case_id}/tiers/compute").json()
    assert body["tier"] == "high"
    assert body["basis"].startswith("high: a positive social-needs domain and positive PHQ-9")


def test_bad_conditions_and_encounters_are_refused(api: Api, client_id: int) -> None:
    assert_problem(api.post(f"/clients/{client_id}/conditions", {"icd10_code": "hello"}), 422,
                   "icd10_code")  # fmt: skip
    bad_stay = {"kind": "inpatient", "started_on": days_ago(1), "discharged_on": days_ago(3)}
    assert_problem(api.post(f"/clients/{client_id}/encounters", bad_stay), 422, "discharged_on")


def test_a_program_rule_that_is_malformed_is_refused(admin_api: Api) -> None:
    body = {"name": "Bad", "case_type": "x", "required_domains": [],
            "tier_rule": {"tiers": {"urgent": []}}}  # fmt: skip
    assert_problem(admin_api.post("/programs", body), 422, "tier_rule")
