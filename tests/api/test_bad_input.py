"""Bad input gets a clear problem document naming the field, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient

from casework.cases.models import AssessmentFinding, Case, PhaseChange
from casework.clients.models import Client
from tests.conftest import CLIENT, Api, api_for


def assert_problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    if field is not None:
        assert body["field"] == field, body
    return body


def test_no_credentials_is_401(db: Any) -> None:
    response = HttpClient().get("/api/v1/cases")
    assert_problem(response, 401, "Authorization")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_401(db: Any) -> None:
    response = HttpClient().get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer cw_nope")
    assert_problem(response, 401)


def test_a_session_works_as_well_as_a_token(case_manager: Any) -> None:
    http = HttpClient()
    http.force_login(case_manager)
    assert http.get("/api/v1/cases").status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"given_name": 5}, "given_name"),
        ({"interpreter_needed": "yes"}, "interpreter_needed"),
        ({"interpreter_needed": 1}, "interpreter_needed"),
        ({"birth_date": "17/05/1948"}, "birth_date"),
        ({"birth_date": "1948-02-30"}, "birth_date"),
        ({"state": "XX"}, "state"),
        ({"given_name": "x" * 101}, "given_name"),
        ({"preferences": "x" * 20_001}, "preferences"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
        ({"identifiers": [{"system": "passport", "value": "1"}]}, "identifiers[0].system"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_client_fields_are_422_naming_the_field_and_store_nothing(
    api: Api, change: dict[str, Any], field: str
) -> None:
    response = api.post("/clients", {**CLIENT, **change})
    assert_problem(response, 422, field)
    assert Client.objects.count() == 0


def test_a_missing_required_field_is_named(api: Api) -> None:
    body = {k: v for k, v in CLIENT.items() if k != "birth_date"}
    assert_problem(api.post("/clients", body), 422, "birth_date")


def test_malformed_json_is_400(api: Api) -> None:
    assert_problem(api.post("/clients", "{not json"), 400)


def test_unknown_ids_are_404(api: Api, case_id: int) -> None:
    assert_problem(api.get("/cases/999999"), 404, "id")
    assert_problem(api.get("/clients/999999"), 404, "id")
    need = {"domain": "food", "description": "no food", "identified_on": "2026-01-02"}
    assert_problem(api.post("/cases/999999/needs", need), 404)
    assert_problem(api.get("/goals/999999"), 404)
    assert_problem(api.post("/cases/999999/transitions", {"to": "assessment"}), 404)


def test_a_case_outside_ones_caseload_is_404(case_id: int, outsider: Any) -> None:
    other = api_for(outsider)
    assert_problem(other.get(f"/cases/{case_id}"), 404)
    assert_problem(other.post(f"/cases/{case_id}/transitions", {"to": "closed"}), 404)
    assert other.get("/cases").json()["count"] == 0
    assert other.get("/clients").json()["count"] == 0


def test_the_supervisor_sees_the_supervisees_cases(case_id: int, supervisor: Any) -> None:
    boss = api_for(supervisor)
    assert boss.get(f"/cases/{case_id}").status_code == 200
    assert boss.get("/cases").json()["count"] == 1


def test_an_unknown_phase_is_422_naming_to(api: Api, case_id: int) -> None:
    assert_problem(api.post(f"/cases/{case_id}/transitions", {"to": "limbo"}), 422, "to")
    assert PhaseChange.objects.filter(case_id=case_id).count() == 1


def test_a_domain_rule_is_422_naming_the_field(api: Api, case_id: int) -> None:
    response = api.post(
        f"/cases/{case_id}/findings",
        {"domain": "legal", "status": "not_applicable", "assessed_on": "2026-01-02"},
    )
    assert_problem(response, 422, "not_applicable_reason")
    assert AssessmentFinding.objects.count() == 0


def test_an_edit_without_if_match_is_428_and_a_stale_one_412(api: Api, client_id: int) -> None:
    assert_problem(api.patch(f"/clients/{client_id}", {"phone": "555-0100"}), 428, "If-Match")
    etag = api.get(f"/clients/{client_id}")["ETag"]
    first = api.patch(f"/clients/{client_id}", {"phone": "555-0101"}, headers={"If-Match": etag})
    assert first.status_code == 200
    assert first["ETag"] != etag
    stale = api.patch(f"/clients/{client_id}", {"phone": "555-0199"}, headers={"If-Match": etag})
    assert_problem(stale, 412, "If-Match")
    assert Client.objects.get(pk=client_id).phone == "555-0101"


def test_an_edit_that_breaks_a_rule_stores_nothing(api: Api, client_id: int) -> None:
    etag = api.get(f"/clients/{client_id}")["ETag"]
    response = api.patch(f"/clients/{client_id}", {"given_name": None}, headers={"If-Match": etag})
    assert_problem(response, 422, "given_name")
    assert api.get(f"/clients/{client_id}")["ETag"] == etag


def test_pagination_limits_are_checked(api: Api, case_id: int) -> None:
    assert_problem(api.get("/cases", limit=0), 422, "limit")
    assert_problem(api.get("/cases", offset=-1), 422, "offset")
    assert_problem(api.get("/cases", limit=201), 422, "limit")
    page = api.get("/cases", limit=1, offset=0).json()
    assert page["count"] == 1 and len(page["items"]) == 1


def test_a_case_for_an_unknown_client_is_422_and_stores_nothing(
    api: Api, program: Any, case_manager: Any
) -> None:
    response = api.post(
        "/cases",
        {
            "client": 424242,
            "program": program.pk,
            "primary_case_manager": case_manager.staff.pk,
            "referral_source": "self",
            "referral_reason": "help",
            "referred_on": "2026-01-01",
        },
    )
    assert_problem(response, 422, "client")
    assert Case.objects.count() == 0
