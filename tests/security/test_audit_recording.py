"""AUDIT-01: one complete audit row per request touching client data, committed with the
change; denied requests recorded too; sign-ins, token and permission changes, exports."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client as HttpClient

from casework.accounts.permissions import matrix
from casework.accounts.tokens import issue_token, revoke_token
from casework.audit.middleware import API_PREFIX
from casework.clients.models import Client
from casework.clients.services import register_client
from tests.conftest import CLIENT, PASSWORD, Api, api_for
from tests.security.conftest import mark, rows_since, sign_in


def _one_row(start: int, **filters: Any) -> Any:
    rows = rows_since(start, **filters)
    assert len(rows) == 1, [(r.action, r.object_type, r.status) for r in rows]
    return rows[0]


def test_a_create_is_one_complete_row(api: Api) -> None:
    start = mark()
    response = api.post("/clients", CLIENT, headers={"X-Request-ID": "req-create-0001"})
    assert response.status_code == 201
    new_id = response.json()["id"]
    row = _one_row(start)
    assert (row.action, row.object_type, row.object_id) == ("create", "clients", str(new_id))
    assert (row.user_id, row.username) == (api.user.pk, api.user.username)
    assert row.client_id == new_id
    assert (row.outcome, row.status, row.ip) == ("success", 201, "127.0.0.1")
    assert row.request_id == "req-create-0001" == response["X-Request-ID"]
    assert row.at.utcoffset() is not None and row.at.utcoffset().total_seconds() == 0
    assert row.details["route"] == "clients" and row.details["method"] == "POST"
    assert "Gómez" not in str(row.details) and "María" not in str(row.details)


def test_reads_and_queries_name_the_client(api: Api, client_id: int, case_id: int) -> None:
    start = mark()
    assert api.get(f"/clients/{client_id}").status_code == 200
    assert api.get(f"/cases/{case_id}").status_code == 200
    assert api.get("/clients", q="Gómez").status_code == 200
    read_client, read_case, query = rows_since(start)
    assert (read_client.action, read_client.client_id) == ("read", client_id)
    assert (read_case.action, read_case.object_type, read_case.object_id) == (
        "read", "cases", str(case_id),
    )  # fmt: skip
    assert read_case.client_id == client_id
    assert query.action == "query" and query.details["params"] == ["q"]
    assert "Gómez" not in str(query.details)  # parameter names only, never values


def test_an_update_is_recorded(api: Api, client_id: int) -> None:
    etag = api.get(f"/clients/{client_id}")["ETag"]
    start = mark()
    response = api.patch(f"/clients/{client_id}", {"phone": "555-0100"}, {"If-Match": etag})
    assert response.status_code == 200
    row = _one_row(start)
    assert (row.action, row.client_id, row.object_id) == ("update", client_id, str(client_id))


def test_denied_and_not_found_requests_are_recorded(
    api: Api, outsider: Any, client_id: int
) -> None:
    outsiders_api = api_for(outsider)
    start = mark()
    assert HttpClient().get(f"/api/v1/clients/{client_id}").status_code == 401
    assert outsiders_api.get(f"/clients/{client_id}").status_code == 404
    unauthenticated, out_of_scope = rows_since(start)
    assert (unauthenticated.action, unauthenticated.outcome) == ("denied", "denied")
    assert unauthenticated.details["attempted"] == "read" and unauthenticated.user_id is None
    assert (out_of_scope.action, out_of_scope.outcome) == ("read", "not_found")
    assert out_of_scope.user_id == outsider.pk and out_of_scope.client_id == client_id


def test_a_refused_write_stores_nothing_but_its_audit_row(api: Api) -> None:
    start = mark()
    response = api.post("/clients", {**CLIENT, "birth_date": "nope"})
    assert response.status_code == 422
    assert Client.objects.count() == 0
    row = _one_row(start)
    assert (row.action, row.outcome, row.status) == ("create", "invalid", 422)


def test_a_failure_after_the_write_leaves_neither_row(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API route writes the client, then something fails: the client and its audit row
    go together (the answer is a 500 and only the error is recorded)."""
    from casework.clients import api as clients_api

    real = clients_api.services.register_client

    def write_then_fail(**kwargs: Any) -> Any:
        real(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(clients_api.services, "register_client", write_then_fail)
    start = mark()
    response = api.post("/clients", CLIENT)
    assert response.status_code == 500
    assert Client.objects.count() == 0
    row = _one_row(start)
    assert (row.action, row.outcome, row.status) == ("create", "error", 500)


def test_a_service_write_and_its_audit_row_share_the_transaction(case_manager: Any) -> None:
    from casework.audit.events import Action, record

    start = mark()
    with pytest.raises(RuntimeError), transaction.atomic():
        client = register_client(actor=case_manager, data=dict(CLIENT, birth_date="1948-05-17"),
                                 identifiers=[])  # fmt: skip
        record(Action.CREATE, user=case_manager, object_type="clients", object_id=client.pk)
        raise RuntimeError("failed before commit")
    assert Client.objects.count() == 0 and rows_since(start) == []


def test_the_schema_and_docs_are_not_audited(db: Any) -> None:
    start = mark()
    assert HttpClient().get(API_PREFIX + "openapi.json").status_code == 200
    assert rows_since(start) == []


def test_sign_in_failure_and_sign_out_are_recorded(case_manager: Any) -> None:
    http = HttpClient()
    start = mark()
    sign_in(http, "carla_cm", "wrong password")
    sign_in(http, "nobody_here", "wrong password")
    assert sign_in(http, "carla_cm").status_code == 302
    http.post("/accounts/logout/")
    rows = rows_since(start)
    assert [r.action for r in rows] == ["login_failed", "login_failed", "login", "logout"]
    assert rows[0].username == "carla_cm" and rows[1].username == "nobody_here"
    assert all(PASSWORD not in str(r.details) and "wrong" not in str(r.details) for r in rows)
    assert rows[2].user_id == case_manager.pk and rows[3].user_id == case_manager.pk


def test_tokens_and_permission_changes_are_recorded(case_manager: Any) -> None:
    start = mark()
    token, _ = issue_token(case_manager, scope="read")
    revoke_token(token)
    case_manager.is_superuser = True
    case_manager.save()
    group, _ = Group.objects.get_or_create(name="auditor")
    case_manager.groups.add(group)
    case_manager.groups.remove(group)
    changes = [r.details["change"] for r in rows_since(start, action="permission_change")]
    assert changes == [
        "token_issued", "token_revoked", "flags_changed", "groups_added", "groups_removed",
    ]  # fmt: skip
    flags = rows_since(start, action="permission_change")[2]
    assert flags.details["flags"] == {"is_superuser": [False, True]}


@pytest.mark.urls("tests.security.marked_urls")
def test_marked_web_pages_are_audited_others_not(
    api: Api, client_id: int, case_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("marked_case", "marked_client", "marked_plain"):
        monkeypatch.setitem(matrix().web, name, "signed_in")
    http = HttpClient()
    http.force_login(api.user)
    start = mark()
    assert http.get("/plain/").status_code == 200
    assert rows_since(start) == []
    assert http.get(f"/cases/{case_id}/").status_code == 200
    assert http.get(f"/clients/{client_id}/").status_code == 200  # kwarg not passed to view
    case_row, client_row = rows_since(start)
    assert (case_row.action, case_row.object_type, case_row.object_id) == (
        "read", "case", str(case_id),
    )  # fmt: skip
    assert case_row.client_id == client_id and client_row.client_id == client_id
    assert case_row.user_id == api.user.pk


def test_cli_data_commands_are_recorded(api: Api, client_id: int) -> None:
    from casework.cli import main

    start = mark()
    assert main(["clients", "show", str(client_id), "--as", "carla_cm"]) == 0
    assert main(["clients", "show", "999999", "--as", "carla_cm"]) == 1
    shown, missing = rows_since(start)
    assert (shown.action, shown.client_id, shown.username) == ("read", client_id, "carla_cm")
    assert (missing.outcome, missing.object_id) == ("not_found", "999999")
