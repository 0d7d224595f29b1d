"""The threaded half of test_concurrent_edits, run in a process of its own.

``python -m tests.durability.concurrent_worker SCENARIO`` with ``DATABASE_URL`` set: on SQLite a
file of its own that this process migrates first (nothing to do on the test's copy of a migrated
one), on PostgreSQL the suite's (already migrated) test database. It seeds its own staff, client
and case, runs the scenario with one database connection per thread, and prints one JSON line
with what it saw; the test makes the assertions. A separate process because the suite's SQLite
test database lives in memory and cannot be shared between connections.

Django models are imported inside the functions: only ``main`` sets Django up.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

import django

CREATORS = 10  # DUR-05: one POST from this many threads with one Idempotency-Key
EDITORS = 20  # DUR-04: this many PATCHes of one version
INCREMENTERS = 12  # DUR-06: this many concurrent read-modify-writes
MAX_TRIES = 100  # a bound on one incrementer's retries; it needs at most INCREMENTERS
WAIT = 60  # seconds a barrier waits before the scenario is reported broken


class Seed:
    """A case manager, their API token, a program, a client and an open case."""

    def __init__(self) -> None:
        from casework.cases.models import Program
        from tests.conftest import CLIENT, api_for, make_staff

        self.user = make_staff("carla_cm")
        self.api = api_for(self.user)
        self.program = Program.objects.create(name="Concurrency", case_type="care transitions")
        registered = self.api.post("/clients", CLIENT)
        assert registered.status_code == 201, registered.content
        self.client_id = int(registered.json()["id"])
        opened = self.api.create("/cases", self.referral())
        assert opened.status_code == 201, opened.content
        self.case_id = int(opened.json()["id"])

    def referral(self) -> dict[str, Any]:
        return {
            "client": self.client_id,
            "program": self.program.pk,
            "primary_case_manager": self.user.staff.pk,
            "referral_source": "hospital",
            "referral_reason": "Discharged after a fall; lives alone.",
            "referred_on": "2024-03-01",
        }

    def session(self) -> Any:
        """The same user's token on an HTTP client of the calling thread's own."""
        from django.test import Client as HttpClient

        from tests.conftest import Api

        return Api(HttpClient(), self.api.token, self.user)


def in_threads(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[str]]:
    """``work(n)`` for n in range(count), each in its own thread with its own connection."""
    from django.db import connections

    results: list[Any] = [None] * count
    errors: list[str] = []

    def run(n: int) -> None:
        try:
            results[n] = work(n)
        except Exception as error:  # reported to the test, which fails on any
            errors.append(f"thread {n}: {error!r}")
        finally:
            connections.close_all()  # this thread's own connections

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def increments() -> dict[str, Any]:
    """DUR-06: each thread appends its marker to the case's referral reason through
    ``update_case`` (what PATCH /cases/{id} calls), reading the case afresh after each
    stale-version refusal. All first read the same version before any writes, so at least
    ``INCREMENTERS - 1`` refusals are certain."""
    from casework.cases.models import Case
    from casework.cases.services import update_case
    from casework.core.errors import PreconditionFailed

    seed = Seed()
    start = Case.objects.get(pk=seed.case_id).version
    all_read = threading.Barrier(INCREMENTERS, timeout=WAIT)

    def increment(n: int) -> int:
        for attempt in range(MAX_TRIES):
            case = Case.objects.get(pk=seed.case_id)
            if attempt == 0:
                all_read.wait()
            try:
                update_case(
                    actor=seed.user,
                    case=case,
                    changes={"referral_reason": f"{case.referral_reason} [{n}]"},
                    expected_version=case.version,
                )
                return attempt  # the stale-version refusals this thread had
            except PreconditionFailed:
                continue
        raise RuntimeError(f"still refused after {MAX_TRIES} tries")

    refusals, errors = in_threads(INCREMENTERS, increment)
    final = Case.objects.get(pk=seed.case_id)
    return {
        "threads": INCREMENTERS,
        "errors": errors,
        "markers": [final.referral_reason.count(f"[{n}]") for n in range(INCREMENTERS)],
        "versions_added": final.version - start,
        "refusals": sum(r or 0 for r in refusals),
    }


def same_version() -> dict[str, Any]:
    """DUR-04: every thread PATCHes the client with the ETag all of them read, each with a
    value of its own."""
    from casework.clients.models import Client
    from tests.api.test_bad_input import assert_problem

    seed = Seed()
    read = seed.api.get(f"/clients/{seed.client_id}")
    etag, start = read["ETag"], read.json()["version"]
    sessions = [seed.session() for _ in range(EDITORS)]
    all_ready = threading.Barrier(EDITORS, timeout=WAIT)

    def edit(n: int) -> int:
        all_ready.wait()
        answer = sessions[n].patch(
            f"/clients/{seed.client_id}", {"preferences": f"thread {n}"}, {"If-Match": etag}
        )
        if answer.status_code != 200:
            assert_problem(answer, 412, "If-Match")
        return int(answer.status_code)

    statuses, errors = in_threads(EDITORS, edit)
    final = Client.objects.get(pk=seed.client_id)
    return {
        "threads": EDITORS,
        "errors": errors,
        "statuses": statuses,
        "stored": final.preferences,
        "versions_added": final.version - start,
    }


def same_key() -> dict[str, Any]:
    """DUR-05: one referral POSTed from every thread at once with one Idempotency-Key, then
    sent again as many times in sequence."""
    from casework.cases.models import Case
    from casework.core.models import IdempotencyKey

    seed = Seed()
    body = {**seed.referral(), "referral_reason": "Sent once, retried from every thread."}
    sessions = [seed.session() for _ in range(CREATORS)]
    all_ready = threading.Barrier(CREATORS, timeout=WAIT)

    def send(session: Any) -> list[Any]:
        answer = session.create("/cases", body, key="referral-1")
        content = answer.json()
        return [answer.status_code, content.get("id"), content.get("detail")]

    def send_together(n: int) -> list[Any]:
        all_ready.wait()
        return send(sessions[n])

    together, errors = in_threads(CREATORS, send_together)
    in_sequence = [send(seed.api) for _ in range(CREATORS)]
    return {
        "threads": CREATORS,
        "errors": errors,
        "together": together,
        "in_sequence": in_sequence,
        "cases": list(
            Case.objects.filter(referral_reason=body["referral_reason"]).values_list(
                "id", flat=True
            )
        ),
        "keys": IdempotencyKey.objects.filter(key="referral-1").count(),
    }


SCENARIOS: dict[str, Callable[[], dict[str, Any]]] = {
    "migrate": lambda: {"errors": []},  # only the migration that every run starts with
    "increments": increments,
    "same_version": same_version,
    "same_key": same_key,
}


def main(scenario: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)  # a fresh file, or a copy of a migrated one
    print(json.dumps(SCENARIOS[scenario]()))


if __name__ == "__main__":
    main(sys.argv[1])
