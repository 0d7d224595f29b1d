"""Instruments given in a case: scored by the rule library, trends, urgent alerts."""

from __future__ import annotations

from typing import Any

from casework.cases.models import Program
from casework.core import clock
from casework.instruments.models import InstrumentAdministration
from tests.api.test_bad_input import assert_problem
from tests.conftest import Api, api_for, make_staff

PHQ9 = {f"q{n}": 1 for n in range(1, 10)}


def give(api: Api, case_id: int, instrument: str, answers: dict[str, Any]) -> Any:
    return api.post(
        f"/cases/{case_id}/instruments",
        {"instrument": instrument, "answers": answers,
         "administered_on": clock.today().isoformat()},
    )  # fmt: skip


def test_every_instrument_is_listed_with_items_and_options(api: Api) -> None:
    listed = {i["key"]: i for i in api.get("/instruments").json()}
    assert {"phq9", "phq2", "gad7", "gad2", "audit_c", "dast10", "cage_aid", "katz_adl",
            "lawton_iadl", "ahc_hrsn_core", "cssrs_screener"} <= set(listed)  # fmt: skip
    phq9 = listed["phq9"]
    assert phq9["loinc_panel"] == "44249-1"
    assert len(phq9["items"]) == 9
    assert [o["value"] for o in phq9["items"][0]["options"]] == [0, 1, 2, 3]


def test_a_phq9_is_scored_and_kept_with_its_phase(api: Api, case_id: int) -> None:
    response = give(api, case_id, "phq9", {**PHQ9, "q9": 0, "q1": 3, "q2": 3})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total"] == 12
    assert body["band"] == "moderate"
    assert body["phase"] == "screening"
    assert body["result"]["positive_screen"] is True
    assert api.get(f"/cases/{case_id}/alerts").json() == []


def test_item_9_raises_an_alert_that_only_a_clinician_clears(
    api: Api, case_id: int, case_manager: Any
) -> None:
    body = give(api, case_id, "phq9", {**PHQ9, "q9": 1}).json()
    assert body["result"]["item9_flag"] is True
    alerts = api.get(f"/cases/{case_id}/alerts").json()
    assert len(alerts) == 1 and alerts[0]["resolved_at"] is None
    alert_id = alerts[0]["id"]
    lawyer = make_staff("lee_legal", discipline="legal", supervisor=case_manager.staff)
    from casework.cases.models import CareTeamMember

    CareTeamMember.objects.create(case_id=case_id, staff=lawyer.staff, role="advocate")
    refused = api_for(lawyer).post(f"/alerts/{alert_id}/follow-up", {"note": "called"})
    assert_problem(refused, 403)
    done = api.post(f"/alerts/{alert_id}/follow-up", {"note": "C-SSRS given: low risk"})
    assert done.status_code == 200
    assert done.json()["resolved_at"] is not None
    assert_problem(api.post(f"/alerts/{alert_id}/follow-up", {"note": "again"}), 409)


def test_cssrs_high_risk_raises_an_alert(api: Api, case_id: int) -> None:
    answers = {"q1": True, "q2": True, "q3": True, "q4": True, "q5": False, "q6": False}
    body = give(api, case_id, "cssrs_screener", answers).json()
    assert body["band"] == "high"
    assert body["answers"]["q6_past_3_months"] is None  # not asked: q6 was no
    assert len(api.get(f"/cases/{case_id}/alerts").json()) == 1


def test_bad_answers_name_the_item_and_store_nothing(api: Api, case_id: int) -> None:
    assert_problem(give(api, case_id, "phq9", {**PHQ9, "q4": 4}), 422, "answers.q4")
    assert_problem(give(api, case_id, "phq9", {**PHQ9, "q4": True}), 422, "answers.q4")
    missing = {k: v for k, v in PHQ9.items() if k != "q7"}
    assert_problem(give(api, case_id, "phq9", missing), 422, "answers.q7")
    assert_problem(give(api, case_id, "phq9", {**PHQ9, "q10": 1}), 422, "answers.q10")
    assert_problem(give(api, case_id, "phq11", PHQ9), 422, "instrument")
    assert InstrumentAdministration.objects.count() == 0


def test_the_trend_lists_results_over_time(api: Api, case_id: int, client_id: int) -> None:
    for worst in (3, 2, 1):
        assert give(api, case_id, "phq9", {**PHQ9, "q9": 0, "q1": worst}).status_code == 201
    trend = api.get(f"/clients/{client_id}/instrument-results", instrument="phq9").json()
    assert [r["total"] for r in trend["items"]] == [10, 9, 8]


def test_required_instruments_gate_the_assessment(api: Api, case_id: int, program: Program) -> None:
    program.required_domains = ["medical"]
    program.required_instruments = ["phq9"]
    program.save()
    today = clock.today().isoformat()
    api.post(f"/cases/{case_id}/screenings", {"decided_on": today, "outcome": "accepted",
             "consent_to_case_management": True, "consent_recorded_on": today})  # fmt: skip
    api.post(f"/cases/{case_id}/transitions", {"to": "assessment"})
    api.post(f"/cases/{case_id}/findings", {"domain": "medical", "status": "addressed",
             "finding": "ok", "assessed_on": today})  # fmt: skip
    api.post(f"/cases/{case_id}/needs", {"domain": "medical", "description": "x",
             "identified_on": today})  # fmt: skip
    refused = api.post(f"/cases/{case_id}/transitions", {"to": "risk_stratification"})
    assert refused.json()["missing"] == ["required instruments not completed: 'phq9'"]
    give(api, case_id, "phq9", PHQ9)
    moved = api.post(f"/cases/{case_id}/transitions", {"to": "risk_stratification"})
    assert moved.status_code == 200
