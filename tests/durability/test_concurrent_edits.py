"""DUR-04, DUR-05 and DUR-06 on the engine under test: concurrent edits and creates.

Each scenario runs in ``tests/durability/concurrent_worker.py``, in a process of its own with one
database connection per thread: the suite's SQLite test database lives in memory and cannot be
shared, so on SQLite the worker gets a file of its own (WAL, ``BEGIN IMMEDIATE``, as deployed),
and on PostgreSQL the suite's test database. Not marked ``durability``: both CI passes run these.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
Runner = Callable[[str], dict[str, Any]]  # scenario name -> what the worker saw


def worker(scenario: str, database_url: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, "-m", "tests.durability.concurrent_worker", scenario]
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    result: dict[str, Any] = json.loads(run.stdout.splitlines()[-1])
    assert result["errors"] == [], result["errors"]  # no 500, no unexpected answer, no hang
    return result


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """On SQLite, one migrated database file for the tests to start from copies of."""
    if connection.vendor != "sqlite":
        return None
    template = tmp_path_factory.mktemp("concurrency") / "migrated.sqlite3"
    worker("migrate", f"sqlite:///{template}")
    return template


@pytest.fixture
def run_worker(migrated: Path | None, tmp_path: Path) -> Runner:
    """Runs a scenario on a database that another process can open: the suite's own on
    PostgreSQL, on SQLite a copy of the migrated file (the suite's is in memory)."""
    if migrated is None:
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
        url = f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    else:
        copy = tmp_path / "concurrent.sqlite3"
        with closing(sqlite3.connect(migrated)) as source, closing(sqlite3.connect(copy)) as to:
            source.backup(to)
        url = f"sqlite:///{copy}"
    return lambda scenario: worker(scenario, url)


def test_concurrent_read_modify_writes_lose_no_update(run_worker: Runner) -> None:
    """DUR-06: N threads each append a marker through the service's version-conditional UPDATE,
    retrying on 412: every marker is stored once and the version grew by exactly N."""
    seen = run_worker("increments")
    n = seen["threads"]
    assert seen["markers"] == [1] * n, seen
    assert seen["versions_added"] == n
    # All read one version before the first write, so all but one were refused at least once.
    assert seen["refusals"] >= n - 1


def test_twenty_patches_of_one_version_leave_exactly_one_winner(run_worker: Runner) -> None:
    """DUR-04: twenty threads PATCH with the same If-Match: one 200, the rest 412 (checked as
    problem documents naming If-Match), and the stored value is the winner's."""
    seen = run_worker("same_version")
    statuses = seen["statuses"]
    assert sorted(statuses) == [200] + [412] * (seen["threads"] - 1), statuses
    assert seen["stored"] == f"thread {statuses.index(200)}"
    assert seen["versions_added"] == 1


def test_one_referral_posted_from_ten_threads_with_one_key_is_one_case(run_worker: Runner) -> None:
    """DUR-05: every answer to the concurrent POSTs is the first one replayed (201, same id) or
    409 while it is still running; ten more in sequence replay it; one case, one stored key."""
    seen = run_worker("same_key")
    assert len(seen["cases"]) == 1, seen
    (case_id,) = seen["cases"]
    for status, answered_id, detail in seen["together"]:
        assert (status, answered_id) == (201, case_id) or (
            status == 409 and "still running" in detail
        ), seen["together"]
    assert [status for status, _, _ in seen["together"]].count(201) >= 1
    assert seen["in_sequence"] == [[201, case_id, None]] * seen["threads"]
    assert seen["keys"] == 1
