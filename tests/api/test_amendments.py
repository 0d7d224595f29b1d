"""PRIV-04: a client's requests to amend their record (HIPAA 164.526) through the API.

Tracked to a 60-day due date (+30 once); accepted -> the amendment linked and the original
record kept as it was; denied -> the request, the denial and the client's statement of
disagreement linked; overdue requests flagged (frozen clock) and shown as due work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from casework.audit.models import AuditEvent
from casework.core import clock
from casework.privacy.models import AmendmentEntry, AmendmentRequest
from casework.staff.services import create_user
from tests.api.test_bad_input import assert_problem
from tests.conftest import PASSWORD, Api, api_for

NOTE = {"occurred_at": "2026-01-05T15:00:00Z", "mode": "phone", "format": "dap",
        "data": "Client reports she stopped taking furosemide."}  # fmt: skip


def request_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "received_on": clock.today().isoformat(),
        "information": "Contact note of 5 January: medication adherence",
        "requested_change": "She did not stop furosemide; she takes it every other day.",
        "client_reason": "The note is wrong.",
    }
    body.update(changes)
    return body


def make_request(api: Api, client_id: int, **changes: Any) -> dict[str, Any]:
    response = api.create(f"/clients/{client_id}/amendments", request_body(**changes))
    assert response.status_code == 201, response.content
    return dict(response.json())


def later(days: int) -> Any:
    return clock.frozen_at(clock.now() + dt.timedelta(days=days))


def test_a_request_is_due_in_60_days(api: Api, client_id: int) -> None:
    made = make_request(api, client_id)
    received = dt.date.fromisoformat(made["received_on"])
    assert made["status"] == "pending" and made["overdue"] is False
    assert made["due_on"] == (received + dt.timedelta(days=60)).isoformat()
    assert made["recorded_by"] == "carla_cm"
    listed = api.get(f"/clients/{client_id}/amendments").json()
    assert [r["id"] for r in listed["items"]] == [made["id"]]
    read = api.get(f"/amendments/{made['id']}")
    assert read.status_code == 200 and read["ETag"] == f'"{made["id"]}-1"'


def test_the_original_is_retrievable_after_acceptance(
    api: Api, client_id: int, case_id: int
) -> None:
    note = api.create(f"/cases/{case_id}/notes", NOTE).json()
    original = api.get(f"/notes/{note['id']}").json()
    made = make_request(api, client_id, record_type="notes", record_id=note["id"])
    assert made["case"] == case_id and made["record"] == f"/notes/{note['id']}"
    accepted = api.post(
        f"/amendments/{made['id']}/accept",
        {"amendment": "Amended 5 Jan note: takes furosemide every other day, as prescribed."},
    )
    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["status"] == "accepted" and body["decided_by"] == "carla_cm"
    assert body["amendment"]["text"].startswith("Amended 5 Jan note")
    assert body["denial"] is None
    # The original record is unchanged and still read where the request points.
    assert api.get(body["record"]).json() == original
    assert "stopped taking furosemide" in api.get(f"/notes/{note['id']}").json()["data"]
    again = api.post(f"/amendments/{made['id']}/deny",
                     {"denial_basis": "accurate_and_complete", "explanation": "x"})  # fmt: skip
    assert_problem(again, 409, "status")
    assert AmendmentEntry.objects.count() == 1


def test_three_linked_artefacts_after_denial_and_disagreement(api: Api, client_id: int) -> None:
    made = make_request(api, client_id)
    early = api.post(f"/amendments/{made['id']}/disagreement", {"statement": "I disagree"})
    assert_problem(early, 409, "status")
    denied = api.post(
        f"/amendments/{made['id']}/deny",
        {"denial_basis": "accurate_and_complete",
         "explanation": "The note records what you told us on 5 January."},
    )  # fmt: skip
    assert denied.status_code == 200, denied.content
    disagreed = api.post(
        f"/amendments/{made['id']}/disagreement",
        {"statement": "I never said I stopped my water pill."},
    )
    assert disagreed.status_code == 200, disagreed.content
    read = api.get(f"/amendments/{made['id']}").json()
    assert read["status"] == "denied" and read["denial_basis"] == "accurate_and_complete"
    assert read["denial"]["text"].startswith("The note records")
    assert read["disagreement"]["text"] == "I never said I stopped my water pill."
    assert read["amendment"] is None and read["rebuttal"] is None
    kinds = set(AmendmentEntry.objects.filter(request_id=made["id"]).values_list("kind", flat=True))
    assert kinds == {"denial", "disagreement"}
    twice = api.post(f"/amendments/{made['id']}/disagreement", {"statement": "Again"})
    assert_problem(twice, 409, "statement")
    rebutted = api.post(f"/amendments/{made['id']}/rebuttal", {"rebuttal": "Staff recall."})
    assert rebutted.json()["rebuttal"]["text"] == "Staff recall."
    assert rebutted.json()["version"] == 4


def test_overdue_is_flagged_from_day_61_and_shown_as_due_work(
    api: Api, client_id: int, case_id: int
) -> None:
    made = make_request(api, client_id)
    with later(60):
        assert api.get(f"/amendments/{made['id']}").json()["overdue"] is False
        assert api.get(f"/clients/{client_id}/amendments", overdue=True).json()["count"] == 0
    with later(61):
        assert api.get(f"/amendments/{made['id']}").json()["overdue"] is True
        late = api.get(f"/clients/{client_id}/amendments", overdue=True).json()
        assert [r["id"] for r in late["items"]] == [made["id"]]
        due = api.get(f"/cases/{case_id}").json()["due"]
        item = next(d for d in due if d["kind"] == "amendment")
        assert item["label"] == f"answer amendment request #{made['id']}"
        assert item["overdue"] is True
        # Too late to extend: the extension must be made within the 60 days.
        refused = api.post(f"/amendments/{made['id']}/extend", {"extension_reason": "busy"})
        assert_problem(refused, 422, "extended_on")
        # Still answerable; once answered it is no longer overdue or due.
        api.post(f"/amendments/{made['id']}/accept", {"amendment": "Corrected."})
        assert api.get(f"/amendments/{made['id']}").json()["overdue"] is False
        assert all(d["kind"] != "amendment" for d in api.get(f"/cases/{case_id}").json()["due"])


def test_the_response_time_is_extended_once_by_30_days(api: Api, client_id: int) -> None:
    made = make_request(api, client_id)
    received = dt.date.fromisoformat(made["received_on"])
    with later(30):
        extended = api.post(
            f"/amendments/{made['id']}/extend",
            {"extension_reason": "The records are at the hospital; we asked for them."},
        )
        assert extended.status_code == 200, extended.content
        assert extended.json()["due_on"] == (received + dt.timedelta(days=90)).isoformat()
        twice = api.post(f"/amendments/{made['id']}/extend", {"extension_reason": "again"})
        assert_problem(twice, 409, "extended_on")
    with later(90):
        assert api.get(f"/amendments/{made['id']}").json()["overdue"] is False
    with later(91):
        assert api.get(f"/amendments/{made['id']}").json()["overdue"] is True


def test_bad_input_is_refused_naming_the_field_and_stores_nothing(
    api: Api, client_id: int, case_id: int
) -> None:
    url = f"/clients/{client_id}/amendments"
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    cases = [
        (request_body(received_on=tomorrow), 422, "received_on"),
        (request_body(received_on="05/01/2026"), 422, "received_on"),
        (request_body(colour="blue"), 422, "colour"),
        (request_body(record_type="notes"), 422, "record_id"),
        (request_body(record_type="notes", record_id=999_999), 422, "record_id"),
        (request_body(record_type="spreadsheet", record_id=1), 422, "record_type"),
        (request_body(record_id="5", record_type="notes"), 422, "record_id"),
        (request_body(case=999_999), 422, "case"),
        (request_body(information=""), 422, "information"),
    ]
    for body, status, field in cases:
        assert_problem(api.create(url, body), status, field)
    assert_problem(api.post(url, request_body()), 400, "Idempotency-Key")
    assert not AmendmentRequest.objects.exists()
    made = make_request(api, client_id)
    bad_basis = {"denial_basis": "we_said_so", "explanation": "no"}
    assert_problem(api.post(f"/amendments/{made['id']}/deny", bad_basis), 422, "denial_basis")
    before = (clock.today() - dt.timedelta(days=1)).isoformat()
    early = {"amendment": "x", "decided_on": before}
    assert_problem(api.post(f"/amendments/{made['id']}/accept", early), 422, "decided_on")
    assert api.get(f"/amendments/{made['id']}").json()["status"] == "pending"


def test_a_retried_create_does_not_duplicate(api: Api, client_id: int) -> None:
    url = f"/clients/{client_id}/amendments"
    first = api.create(url, request_body(), key="amend-1")
    again = api.create(url, request_body(), key="amend-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert AmendmentRequest.objects.count() == 1


def test_a_stale_if_match_is_412(api: Api, client_id: int) -> None:
    made = make_request(api, client_id)
    etag = api.get(f"/amendments/{made['id']}")["ETag"]
    api.post(f"/amendments/{made['id']}/extend", {"extension_reason": "records offsite"})
    stale = api.post(f"/amendments/{made['id']}/accept", {"amendment": "x"},
                     headers={"If-Match": etag})  # fmt: skip
    assert_problem(stale, 412, "If-Match")
    fresh = api.get(f"/amendments/{made['id']}")["ETag"]
    done = api.post(f"/amendments/{made['id']}/accept", {"amendment": "x"},
                    headers={"If-Match": fresh})  # fmt: skip
    assert done.status_code == 200


def test_scope_outsider_404_case_manager_yes_auditor_403(
    api: Api, client_id: int, case_id: int, outsider: Any, supervisor: Any
) -> None:
    made = make_request(api, client_id)
    other = api_for(outsider)
    assert_problem(other.get(f"/clients/{client_id}/amendments"), 404, "id")
    assert_problem(other.create(f"/clients/{client_id}/amendments", request_body()), 404, "id")
    assert_problem(other.get(f"/amendments/{made['id']}"), 404, "id")
    assert_problem(other.post(f"/amendments/{made['id']}/accept", {"amendment": "x"}), 404, "id")
    # The case manager's supervisor (scope "team") may decide it.
    boss = api_for(supervisor)
    assert boss.get(f"/amendments/{made['id']}").status_code == 200
    auditor = api_for(create_user(username="aud", password=PASSWORD, roles=("auditor",)))
    assert_problem(auditor.get(f"/clients/{client_id}/amendments"), 403)
    assert_problem(auditor.get(f"/amendments/{made['id']}"), 403)
    assert_problem(auditor.post(f"/amendments/{made['id']}/accept", {"amendment": "x"}), 403)
    assert AmendmentRequest.objects.get().status == "pending"
    done = boss.post(f"/amendments/{made['id']}/accept", {"amendment": "Corrected."})
    assert done.status_code == 200 and done.json()["decided_by"] == "sam_supervisor"


def test_every_write_is_audited_naming_the_client(api: Api, client_id: int) -> None:
    made = make_request(api, client_id)
    api.post(f"/amendments/{made['id']}/deny",
             {"denial_basis": "not_in_record_set", "explanation": "Billing records."})  # fmt: skip
    api.post(f"/amendments/{made['id']}/disagreement", {"statement": "They are mine."})
    writes = [
        e for e in AuditEvent.objects.filter(action="create") if "amendments" in e.details["route"]
    ]
    assert sorted(e.details["route"] for e in writes) == [
        "amendments/{amendment_id}/deny",
        "amendments/{amendment_id}/disagreement",
        "clients/{client_id}/amendments",
    ]
    assert {(e.client_id, e.username, e.outcome) for e in writes} == {
        (client_id, "carla_cm", "success")
    }
