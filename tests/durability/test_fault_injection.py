"""DUR-01 and INPUT-03: an operation that fails part-way, or is refused, stores nothing.

DUR-01: each multi-step operation is driven through the real API while a statement wrapper
fails the k-th SQL statement of the request, for k = 1, 2, ... until the request completes
without reaching k. Every failed attempt must answer the generic 500 problem, leave every table
(bar the audit log) and the mail as they were, and add exactly one audit row (the error's),
with the chain intact; the last attempt must succeed and change the snapshot, which shows the
comparison can see a write. The fault fires once, then lets statements through, so that the
failure's own audit row can be written after the rollback.

The test runs inside pytest-django's transaction, so the request's own transaction is a
savepoint: its SAVEPOINT and RELEASE stand for the BEGIN (IMMEDIATE, on SQLite) and COMMIT of a
deployed server, and failing them is failing those. Also here: a database still locked at that
BEGIN is a 503, and a page whose audit row cannot be written is a 500; both are recorded.

INPUT-03: refused requests (bad types, unknown fields, stale If-Match, no Idempotency-Key, a
disclosure without consent, a phase move the process does not allow) store nothing either, and
in particular consume no idempotency key.

Not marked ``durability``: both CI passes (SQLite and PostgreSQL) run these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client as HttpClient

from casework.audit import chain
from casework.audit.events import outcome_of
from casework.cases.models import Program
from casework.core import clock
from casework.core.models import IdempotencyKey
from tests.api.test_amendments import request_body
from tests.api.test_case_process import move
from tests.api.test_instruments import PHQ9, give
from tests.api.test_privacy import NOTE, consent_body
from tests.api.test_releases import CLINIC
from tests.conftest import CLIENT, Api, api_for, make_staff
from tests.security.conftest import mark, rows_since
from tests.snapshots import AUDIT_TABLE, Snapshot, diff, table_snapshot

# More statements than any operation here takes; reaching it means the loop never ended.
MAX_STATEMENTS = 80
KEYS_TABLE = IdempotencyKey._meta.db_table
PROBLEM_500_FIELDS = {"type", "title", "status", "detail", "instance", "request_id"}
TODAY = clock.today


class InjectedFault(OperationalError):
    """A statement the database failed: a DatabaseError, so Django's atomic blocks treat it as
    they would a real one (savepoint rolled back, error re-raised)."""


@dataclass
class FailStatement:
    """An execute wrapper that fails the ``at``-th statement it sees (of those starting with
    ``matching``), once, with ``message``."""

    at: int
    matching: str = ""
    message: str = "injected fault"
    seen: int = 0
    fired: bool = False
    failed_sql: str = ""

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith(self.matching):
            self.seen += 1
            if not self.fired and self.seen == self.at:
                self.fired, self.failed_sql = True, sql
                raise InjectedFault(self.message)
        return execute(sql, params, many, context)


@dataclass
class World:
    """What the operations act on: a client with an open case, held by the case manager."""

    api: Api
    client_id: int
    case_id: int
    case_manager: Any
    program: Program


Request = Callable[[], Any]


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.content
    body: dict[str, Any] = response.json()
    return body


def _screened(world: World) -> None:
    screening = {
        "decided_on": TODAY().isoformat(),
        "outcome": "accepted",
        "consent_to_case_management": True,
        "consent_recorded_on": TODAY().isoformat(),
    }
    _created(world.api.post(f"/cases/{world.case_id}/screenings", screening))


def _consent(world: World) -> int:
    return int(
        _created(world.api.create(f"/clients/{world.client_id}/consents", consent_body()))["id"]
    )


# The operations: each prepares what it needs, then returns the one request under test.


def register_client(world: World) -> Request:
    body = {**CLIENT, "given_name": "Rosa", "birth_date": "1951-02-03",
            "identifiers": [{"system": "medicaid", "value": "TX9001"},
                            {"system": "mrn", "value": "H-77"}]}  # fmt: skip
    return lambda: world.api.create("/clients", body)


def refer(world: World) -> Request:
    body = {
        "client": world.client_id,
        "program": world.program.pk,
        "primary_case_manager": world.case_manager.staff.pk,
        "referral_source": "physician",
        "referral_reason": "Second referral: falls at home.",
        "referred_on": TODAY().isoformat(),
    }
    return lambda: world.api.create("/cases", body)


def move_to_assessment(world: World) -> Request:
    _screened(world)
    etag = world.api.get(f"/cases/{world.case_id}")["ETag"]
    return lambda: move(world.api, world.case_id, "assessment", "eligible", {"If-Match": etag})


def administer_phq9(world: World) -> Request:
    return lambda: give(world.api, world.case_id, "phq9", {**PHQ9, "q9": 2})


def release_records(world: World) -> Request:
    _created(
        world.api.create(f"/cases/{world.case_id}/notes", {**NOTE, "sensitivity": "part2_sud"})
    )
    _consent(world)
    body = {**CLINIC, "categories": ["general", "part2_sud"]}
    return lambda: world.api.create(f"/clients/{world.client_id}/releases", body)


def request_amendment(world: World) -> Request:
    note = _created(world.api.create(f"/cases/{world.case_id}/notes", NOTE))
    body = request_body(record_type="notes", record_id=note["id"])
    return lambda: world.api.create(f"/clients/{world.client_id}/amendments", body)


def accept_amendment(world: World) -> Request:
    made = _created(request_amendment(world)())
    body = {"amendment": "Amended: takes furosemide every other day, as prescribed."}
    return lambda: world.api.post(f"/amendments/{made['id']}/accept", body)


def break_glass(world: World) -> Request:
    responder = make_staff("erin_er", supervisor=world.case_manager.staff.supervisor)
    responder.staff.may_break_glass = True
    responder.staff.save()
    other = api_for(responder)
    body = {"reason": "Found unresponsive; ED needs the medication list"}
    return lambda: other.post(f"/clients/{world.client_id}/break-glass", body)


def revoke_consent(world: World) -> Request:
    consent_id = _consent(world)
    body = {"revoked_on": TODAY().isoformat(), "note": "client asked"}
    return lambda: world.api.post(f"/consents/{consent_id}/revoke", body)


OPERATIONS: list[Callable[[World], Request]] = [
    register_client,
    refer,
    move_to_assessment,
    administer_phq9,
    release_records,
    request_amendment,
    accept_amendment,
    break_glass,
    revoke_consent,
]


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    # Everyone here signs in with a token: Argon2 would take most of the setup.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(api: Api, client_id: int, case_id: int, case_manager: Any, program: Program) -> World:
    return World(api, client_id, case_id, case_manager, program)


@pytest.fixture
def officer_mail(settings: Any) -> None:
    # Break-glass tells the privacy officer after commit: with an address, the mail is a write
    # a failed attempt must not make.
    settings.CASEWORK_PRIVACY_OFFICER_EMAILS = ["privacy@agency.example"]


def _snapshot() -> Snapshot:
    return table_snapshot(exclude=[AUDIT_TABLE])


def assert_generic_500(response: Any) -> None:
    assert response.status_code == 500, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_500_FIELDS, body
    assert body["status"] == 500 and body["request_id"] == response["X-Request-ID"]
    text = response.content.decode()
    assert "Traceback" not in text and "InjectedFault" not in text and "injected fault" not in text


def _problems_after_fault(
    k: int, fault: FailStatement, response: Any, changed: list[str], start: int
) -> list[str]:
    """What is wrong with the outcome of a request whose ``k``-th statement failed."""
    where = f"statement {k} ({fault.failed_sql[:60]!r})"
    problems = []
    if response is None:
        problems.append(f"{where}: the fault escaped the API (no problem answer)")
    else:
        try:
            assert_generic_500(response)
        except AssertionError as refused:
            problems.append(f"{where}: not the generic 500 problem: {refused}")
    if changed:
        problems.append(f"{where}: left {changed} changed")
    rows = [(r.status, r.outcome) for r in rows_since(start)]
    if rows != [(500, "error")]:
        problems.append(f"{where}: audit rows {rows}, not one error row")
    verdict = chain.verify()
    if not verdict.ok:
        problems.append(f"{where}: audit chain broken: {verdict}")
    return problems


@pytest.mark.usefixtures("officer_mail")
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.__name__)
def test_a_fault_before_any_statement_leaves_nothing_behind(
    operation: Callable[[World], Request],
    world: World,
    django_capture_on_commit_callbacks: Any,
    record_property: Callable[[str, object], None],
) -> None:
    send = operation(world)
    before = _snapshot()
    problems: list[str] = []
    for k in range(1, MAX_STATEMENTS + 1):
        start = mark()
        fault = FailStatement(at=k)
        # Runs what the request left to do on commit (the officer's mail), as a commit would.
        with django_capture_on_commit_callbacks(execute=True), connection.execute_wrapper(fault):
            try:
                response = send()
            except InjectedFault:
                response = None
        changed = diff(before, _snapshot())
        if not fault.fired:
            assert response is not None and response.status_code in (200, 201), response
            assert changed, "the completed request changed nothing the snapshot sees"
            record_property("statements", fault.seen)
            assert problems == [], "\n".join(problems)
            return
        problems += _problems_after_fault(k, fault, response, changed, start)
    pytest.fail(f"{operation.__name__} did not complete within {MAX_STATEMENTS} statements")


def test_a_database_still_locked_at_begin_is_a_recorded_503(world: World) -> None:
    """On SQLite the request's transaction opens with BEGIN IMMEDIATE, where a writer still
    locked out after the busy timeout fails: retryable, so 503, and still audited."""
    before = _snapshot()
    start = mark()
    with connection.execute_wrapper(FailStatement(at=1, message="database is locked")):
        response = register_client(world)()
    assert response.status_code == 503 and response["Retry-After"] == "2"
    assert response["Content-Type"] == "application/problem+json"
    assert diff(before, _snapshot()) == []
    assert [(r.status, r.outcome) for r in rows_since(start)] == [(503, "error")]


def test_a_page_whose_audit_row_cannot_be_written_is_a_recorded_500(
    world: World, settings: Any
) -> None:
    """The page's view succeeded, then its audit row failed: nothing it did stays, and the
    failure is recorded in its place."""
    # Pages link their CSS through the manifest, which only exists after collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    web = HttpClient(raise_request_exception=False)
    web.force_login(world.case_manager)
    page = f"/cases/{world.case_id}/"
    assert web.get(page).status_code == 200
    # The session's last-activity stamp is saved after the audited part, on every request.
    before = table_snapshot(exclude=[AUDIT_TABLE, "django_session"])
    start = mark()
    fault = FailStatement(at=1, matching=f'INSERT INTO "{AUDIT_TABLE}"')
    with connection.execute_wrapper(fault):
        response = web.get(page)
    assert fault.fired and response.status_code == 500
    assert diff(before, table_snapshot(exclude=[AUDIT_TABLE, "django_session"])) == []
    assert [(r.status, r.outcome) for r in rows_since(start)] == [(500, "error")]


# INPUT-03 -------------------------------------------------------------------------------------


def _bad_type(world: World) -> Request:
    return lambda: world.api.create("/clients", {**CLIENT, "birth_date": 19480517})


def _unknown_field(world: World) -> Request:
    return lambda: world.api.create("/clients", {**CLIENT, "is_admin": True})


def _stale_if_match(world: World) -> Request:
    path = f"/clients/{world.client_id}"
    etag = world.api.get(path)["ETag"]
    _created(world.api.patch(path, {"phone": "555-0100"}, {"If-Match": etag}))
    return lambda: world.api.patch(path, {"phone": "555-0199"}, {"If-Match": etag})


def _no_idempotency_key(world: World) -> Request:
    return lambda: world.api.post(f"/clients/{world.client_id}/consents", consent_body())


def _disclosure_without_consent(world: World) -> Request:
    share = {**CLINIC, "categories": ["part2_sud"]}
    return lambda: world.api.create(f"/clients/{world.client_id}/disclosures", share)


def _release_without_consent(world: World) -> Request:
    share = {**CLINIC, "categories": ["part2_sud"]}
    return lambda: world.api.create(f"/clients/{world.client_id}/releases", share)


def _move_refused(world: World) -> Request:
    return lambda: move(world.api, world.case_id, "assessment", "looks eligible")


def _consent_missing_an_element(world: World) -> Request:
    body = consent_body(right_to_revoke_explained=False)
    return lambda: world.api.create(f"/clients/{world.client_id}/consents", body)


def _revoked_before_signed(world: World) -> Request:
    consent_id = _consent(world)
    early = {"revoked_on": (TODAY() - dt.timedelta(days=30)).isoformat()}
    return lambda: world.api.post(f"/consents/{consent_id}/revoke", early)


REFUSED: dict[str, tuple[Callable[[World], Request], int]] = {
    "bad field type": (_bad_type, 422),
    "unknown field": (_unknown_field, 422),
    "stale If-Match": (_stale_if_match, 412),
    "missing Idempotency-Key": (_no_idempotency_key, 400),
    "disclosure without consent": (_disclosure_without_consent, 409),
    "release without consent": (_release_without_consent, 409),
    "phase move refused": (_move_refused, 409),
    "consent missing an element": (_consent_missing_an_element, 422),
    "revoked before signed": (_revoked_before_signed, 422),
}


@pytest.mark.parametrize("name", REFUSED)
def test_a_refused_request_stores_nothing_but_its_audit_row(name: str, world: World) -> None:
    prepare, status = REFUSED[name]
    send = prepare(world)
    before = _snapshot()
    start = mark()
    response = send()
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    after = _snapshot()
    assert diff(before, after) == []
    assert after[KEYS_TABLE] == before[KEYS_TABLE]  # no idempotency key used up
    rows = rows_since(start)
    assert [(r.status, r.outcome) for r in rows] == [(status, outcome_of(status))]
