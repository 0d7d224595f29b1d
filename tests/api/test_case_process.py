"""A client taken from referral through all nine phases to closure, through HTTP."""

from __future__ import annotations

from typing import Any

from casework.core import clock
from tests.conftest import Api

TODAY = clock.today


def move(
    api: Api,
    case_id: int,
    to: str,
    reason: str = "",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Any:
    body = {"to": to, "reason": reason, **extra}
    return api.post(f"/cases/{case_id}/transitions", body, headers=headers)


def phase_of(api: Api, case_id: int) -> str:
    return str(api.get(f"/cases/{case_id}").json()["phase"])


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def test_a_new_case_starts_in_screening_with_its_history(api: Api, case_id: int) -> None:
    body = api.get(f"/cases/{case_id}").json()
    assert body["phase"] == "screening"
    assert body["history"][0]["from"] is None
    assert body["history"][0]["to"] == "screening"
    assert body["history"][0]["by"] == "carla_cm"
    assert set(body["missing"]) == {"assessment", "closed"}
    assert body["missing"]["assessment"] == [
        "no eligibility decision has been recorded at screening"
    ]


def test_a_refused_move_is_409_problem_naming_what_is_missing_and_stores_nothing(
    api: Api, case_id: int
) -> None:
    before = api.get(f"/cases/{case_id}")
    response = move(api, case_id, "assessment", "looks eligible")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 409
    assert problem["missing"] == ["no eligibility decision has been recorded at screening"]
    after = api.get(f"/cases/{case_id}")
    assert after.json()["history"] == before.json()["history"]
    assert after["ETag"] == before["ETag"]


def test_a_move_outside_the_process_is_refused(api: Api, case_id: int) -> None:
    response = move(api, case_id, "planning")
    assert response.status_code == 409
    assert "not part of the process" in response.json()["missing"][0]


def test_a_stale_etag_is_412_and_nothing_changes(api: Api, case_id: int) -> None:
    etag = api.get(f"/cases/{case_id}")["ETag"]
    created(
        api.post(
            f"/cases/{case_id}/screenings",
            {
                "decided_on": TODAY().isoformat(),
                "outcome": "accepted",
                "consent_to_case_management": True,
                "consent_recorded_on": TODAY().isoformat(),
            },
        )
    )
    assert move(api, case_id, "assessment", headers={"If-Match": etag}).status_code == 200
    stale = move(api, case_id, "closed", "moved", closure_reason="moved_away")
    assert stale.status_code == 200  # without If-Match the move goes ahead
    response = api.post(
        f"/cases/{case_id}/transitions",
        {"to": "assessment", "reason": "reopen"},
        headers={"If-Match": etag},
    )
    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    assert phase_of(api, case_id) == "closed"


def test_full_process_from_referral_to_closure(api: Api, case_id: int, case_manager: Any) -> None:
    today = TODAY().isoformat()
    created(
        api.post(
            f"/cases/{case_id}/screenings",
            {
                "decided_on": today,
                "outcome": "accepted",
                "eligibility_notes": "Medicare, recent admission",
                "consent_to_case_management": True,
                "consent_recorded_on": today,
            },
        )
    )
    assert move(api, case_id, "assessment", "eligible and consented").status_code == 200

    # Assessment: the refusal names the open domains in a case manager's words.
    created(
        api.post(
            f"/cases/{case_id}/findings",
            {
                "domain": "medical",
                "status": "addressed",
                "finding": "CHF, NYHA II",
                "assessed_on": today,
            },
        )
    )
    refused = move(api, case_id, "risk_stratification")
    assert refused.status_code == 409
    assert refused.json()["missing"] == [
        "a completed assessment: domains 'housing', 'caregiver' are not addressed",
        "at least one identified need or problem",
    ]
    created(
        api.post(
            f"/cases/{case_id}/findings",
            {
                "domain": "housing",
                "status": "addressed",
                "finding": "Second-floor walk-up",
                "assessed_on": today,
            },
        )
    )
    created(
        api.post(
            f"/cases/{case_id}/findings",
            {
                "domain": "caregiver",
                "status": "not_applicable",
                "not_applicable_reason": "Client has no caregiver and declines one",
                "assessed_on": today,
            },
        )
    )
    created(
        api.post(
            f"/cases/{case_id}/needs",
            {"domain": "medical", "description": "Daily weights not done", "identified_on": today},
        )
    )
    assert move(api, case_id, "risk_stratification").status_code == 200

    assert move(api, case_id, "planning").json()["missing"] == [
        "a risk tier (low, moderate, high or complex)"
    ]
    created(api.post(f"/cases/{case_id}/tiers", {"tier": "high", "basis": "LACE 12 >= 10"}))
    body = move(api, case_id, "planning").json()
    assert body["tier"] == "high"

    goal = created(
        api.post(
            f"/cases/{case_id}/goals",
            {
                "client_words": "I want to stay out of the hospital",
                "measurable_target": "No readmission for 90 days",
                "term": "long",
            },
        )
    )
    missing = move(api, case_id, "implementation").json()["missing"]
    assert "an intervention for goal 'I want to stay out of the hospital'" in missing
    assert "a target date for goal 'I want to stay out of the hospital'" in missing
    assert any("agreement" in m for m in missing)
    etag = api.get(f"/goals/{goal['id']}")["ETag"]
    patched = api.patch(
        f"/goals/{goal['id']}", {"target_date": "2030-01-01"}, headers={"If-Match": etag}
    )
    assert patched.status_code == 200, patched.content
    intervention = created(
        api.post(
            f"/goals/{goal['id']}/interventions",
            {
                "description": "Teach daily weights",
                "responsible": "Nurse CM",
                "frequency": "weekly",
                "start_due_on": today,
            },
        )
    )
    created(api.post(f"/cases/{case_id}/agreements", {"agreed": True, "recorded_on": today}))
    assert move(api, case_id, "implementation").status_code == 200

    refused = move(api, case_id, "monitoring").json()
    assert refused["missing"] == [
        f"intervention 'Teach daily weights' (due to start {today}) to be started"
    ]
    etag = api.get(f"/interventions/{intervention['id']}")["ETag"]
    assert (
        api.patch(
            f"/interventions/{intervention['id']}",
            {"started_on": today, "status": "started"},
            headers={"If-Match": etag},
        ).status_code
        == 200
    )
    assert move(api, case_id, "monitoring").status_code == 200

    # A hospital discharge: transitional care and post-transition contacts.
    assert move(api, case_id, "transitional_care").status_code == 409
    transition = created(
        api.post(
            f"/cases/{case_id}/care-transitions",
            {
                "from_setting": "inpatient_acute_care_hospital",
                "to_setting": "home",
                "admitted_on": today,
                "transition_on": today,
            },
        )
    )
    assert move(api, case_id, "transitional_care").status_code == 200
    items = api.get(f"/care-transitions/{transition['id']}/checklist").json()["items"]
    assert len(items) == 4
    assert len(move(api, case_id, "post_transition").json()["missing"]) == 4
    for item in items:
        etag = api.get(f"/checklist/{item['id']}")["ETag"]
        change = (
            {"completed": True, "completed_on": today}
            if item["item"] != "follow_up_appointment"
            else {"open_reason": "PCP booked out; client will call Monday"}
        )
        assert (
            api.patch(f"/checklist/{item['id']}", change, headers={"If-Match": etag}).status_code
            == 200
        )
    assert move(api, case_id, "post_transition").status_code == 200
    assert move(api, case_id, "monitoring").status_code == 409
    created(
        api.post(
            f"/care-transitions/{transition['id']}/contacts",
            {"kind": "interactive", "status": "made", "occurred_on": today, "mode": "phone"},
        )
    )
    created(
        api.post(
            f"/care-transitions/{transition['id']}/contacts",
            {
                "kind": "face_to_face",
                "status": "missed",
                "missed_reason": "Client readmitted before the visit",
            },
        )
    )
    assert move(api, case_id, "monitoring").status_code == 200

    missing = move(api, case_id, "evaluation").json()["missing"]
    assert missing == [
        "progress recorded for goal 'I want to stay out of the hospital' since monitoring began"
    ]
    created(
        api.post(
            f"/goals/{goal['id']}/progress",
            {"recorded_on": today, "direction": "improved", "measurement": "weights 6/7 days"},
        )
    )
    assert move(api, case_id, "evaluation").status_code == 200

    created(
        api.post(
            f"/goals/{goal['id']}/outcomes",
            {"evaluated_on": today, "outcome": "met", "attainment_score": 1},
        )
    )
    created(
        api.post(
            f"/cases/{case_id}/evaluations",
            {"decided_on": today, "decision": "close", "reason": "Goal met, no readmission"},
        )
    )
    assert move(api, case_id, "monitoring").status_code == 409  # the decision was to close
    closed = move(api, case_id, "closed", "Goals met; client self-managing")
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert body["phase"] == "closed"
    assert body["closure_reason"] == "completed"
    assert body["closed_on"] == today
    assert [h["to"] for h in body["history"]] == [
        "screening", "assessment", "risk_stratification", "planning", "implementation",
        "monitoring", "transitional_care", "post_transition", "monitoring", "evaluation",
        "closed",
    ]  # fmt: skip

    # A closed case's records are read-only until it is reopened.
    response = api.post(
        f"/cases/{case_id}/needs",
        {"domain": "food", "description": "late need", "identified_on": today},
    )
    assert response.status_code == 409
    reopened = move(api, case_id, "assessment", "Readmitted; new needs")
    assert reopened.status_code == 200
    assert reopened.json()["closed_on"] is None


def test_the_caseload_ranks_and_shows_what_is_due(api: Api, case_id: int, client_id: int) -> None:
    from casework.cases.models import Case, PhaseChange, Program

    other = Case.objects.create(
        client_id=client_id,
        program=Program.objects.get(),
        primary_case_manager=api.user.staff,
        referral_source="self",
        referral_reason="second case",
        referred_on=TODAY(),
        opened_on=TODAY(),
    )
    PhaseChange.objects.create(case=other, seq=1, to_phase="screening", at=clock.now())
    phq9 = {f"q{n}": 1 for n in range(1, 10)}
    given = {"instrument": "phq9", "answers": phq9, "administered_on": TODAY().isoformat()}
    api.post(f"/cases/{other.pk}/instruments", given)
    rows = api.get("/caseload").json()
    assert [r["id"] for r in rows] == [other.pk, case_id]  # the urgent alert first
    assert rows[0]["due"][0]["kind"] == "alert"
    detail = api.get(f"/cases/{other.pk}").json()
    assert detail["due"][0]["kind"] == "alert"
