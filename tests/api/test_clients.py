"""Client search and the duplicate check at intake."""

from __future__ import annotations

from typing import Any

from casework.clients.models import Client
from tests.conftest import CLIENT, Api


def test_search_ignores_case_and_accents(api: Api, client_id: int) -> None:
    for q in ("maria", "GOMEZ", "marÍa gómez", "mar gom"):
        assert [c["id"] for c in api.get("/clients", q=q).json()["items"]] == [client_id], q
    assert api.get("/clients", q="maria lopez").json()["count"] == 0


def test_search_by_date_of_birth(api: Api, client_id: int) -> None:
    assert api.get("/clients", birth_date="1948-05-17").json()["count"] == 1
    assert api.get("/clients", birth_date="1948-05-18").json()["count"] == 0


def test_a_likely_duplicate_is_answered_with_the_matches(api: Api, client_id: int) -> None:
    response = api.post("/clients", {**CLIENT, "given_name": "Maria", "family_name": "Gomez"})
    assert response.status_code == 409
    body = response.json()
    assert body["field"] == "confirmed_new_person"
    assert body["matches"] == [
        {
            "id": client_id,
            "name": "María Gómez",
            "birth_date": "1948-05-17",
            "reasons": ["similar name and same date of birth"],
        }
    ]
    assert Client.objects.count() == 1
    confirmed = api.post("/clients", {**CLIENT, "confirmed_new_person": True})
    assert confirmed.status_code == 201
    assert Client.objects.count() == 2


def test_the_same_identifier_is_a_likely_duplicate(api: Api) -> None:
    first = {**CLIENT, "identifiers": [{"system": "medicaid", "value": "TX123"}]}
    assert api.post("/clients", first).status_code == 201
    other = {**first, "given_name": "Rosa", "birth_date": "1990-01-01"}
    response = api.post("/clients", other)
    assert response.status_code == 409
    assert response.json()["matches"][0]["reasons"] == ["same medicaid identifier"]


def test_the_match_check_on_its_own(api: Api, client_id: int) -> None:
    found = api.get(
        "/clients/matches", given_name="Maria", family_name="Gomes", birth_date="1948-05-17"
    ).json()
    assert [m["id"] for m in found] == [client_id]
    nobody = api.get(
        "/clients/matches", given_name="Maria", family_name="Gomez", birth_date="1950-01-01"
    ).json()
    assert nobody == []
    missing = api.get("/clients/matches", given_name="Maria")
    assert missing.status_code == 422


def test_support_people_belong_to_the_client(api: Api, client_id: int, outsider: Any) -> None:
    created = api.post(
        f"/clients/{client_id}/support-people",
        {"name": "Ana Gómez", "relationship": "daughter", "role": "primary caregiver",
         "consent_to_share": True},
    )  # fmt: skip
    assert created.status_code == 201, created.content
    listed = api.get(f"/clients/{client_id}/support-people").json()
    assert [p["name"] for p in listed["items"]] == ["Ana Gómez"]
