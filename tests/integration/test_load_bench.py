"""DUR-08: the load benchmark's checks hold when it runs small (never its figures).

``bench/load/run.py`` starts a real ``casework serve`` on its own SQLite database, drives it
with concurrent API clients (reads, notes and referrals with an ``Idempotency-Key``, note
edits with ``If-Match``), logs every 2xx answer, then checks the database against that log and
walks the audit chain. Here it runs with 4 clients and a fixed number of operations each (so
the same requests every time, whatever the machine's speed) on the small agency instead of the
demo, and only what it found is asserted: no 5xx and no refused request, every acknowledged
create stored once with the id it was answered, each edit kept, every 2xx answer audited once,
the chain intact. Its times are for people to read (``-s``), never asserted.

On the PostgreSQL leg it serves a scratch database made next to the test database (as the
backup drill's), so the forked gunicorn workers meet PostgreSQL as in production: a connection
that ``casework serve`` left open before forking was once shared by both workers, whose queries
then interleaved on it (500s as soon as two requests ran at once).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.integration.test_backup import Scratch

BENCH = Path(__file__).resolve().parents[2] / "bench" / "load" / "run.py"
CLIENTS, OPS = 4, 15


@dataclass(frozen=True)
class Outcome:
    returncode: int
    output: str
    figures: dict[str, Any]


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """PostgreSQL: ``--database-url`` of a scratch database; SQLite: none (the bench's own)."""
    if connection.vendor != "postgresql":
        yield []
        return
    settings = connection.settings_dict
    postgres = {k.lower(): settings[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if settings[k]}
    scratch = Scratch(tmp_path_factory.mktemp("load-pg"), Path(os.devnull), postgres)
    try:
        yield ["--database-url", scratch.env("load")["DATABASE_URL"]]
    finally:
        scratch.drop_all()


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory, database_url: list[str]) -> Outcome:
    work = tmp_path_factory.mktemp("load")
    figures = work / "figures.json"
    command = [
        sys.executable, str(BENCH), *database_url, "--agency", "small", "--users", "2",
        "--clients", str(CLIENTS), "--ops", str(OPS), "--seed", "2", "--rounds", "1",
        "--floor-seconds", "0", "--single-seconds", "0", "--warmup-seconds", "0",
        "--workdir", str(work / "scratch"), "--json", str(figures),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    print(done.stdout[-2500:])
    found = json.loads(figures.read_text()) if figures.exists() else {}
    return Outcome(done.returncode, done.stdout[-3000:] + done.stderr[-3000:], found)


def test_the_bench_finds_no_problem(outcome: Outcome) -> None:
    assert outcome.figures, f"the bench wrote no figures:\n{outcome.output}"
    assert outcome.figures["problems"] == [], outcome.output
    assert outcome.returncode == 0, outcome.output


def test_every_request_answered_without_a_server_error_or_a_refusal(outcome: Outcome) -> None:
    """Only 2xx, and 503s that were retried: the mix holds no request the server may refuse."""
    statuses = outcome.figures["phases"]["load"]["statuses"]
    assert set(statuses) <= {"2xx", "503"}, statuses
    assert statuses["2xx"] >= CLIENTS * OPS
    assert outcome.figures["checks"]["audit rows with a 5xx"] == 0


def test_every_acknowledged_create_and_edit_is_stored_once(outcome: Outcome) -> None:
    checks = outcome.figures["checks"]
    assert checks["notes"] > 0 and checks["referrals"] > 0 and checks["acknowledged edits"] > 0
    assert checks["stored records"] == checks["acknowledged creates"]
    assert checks["2xx answers"] == checks["audit rows of the run"]
    assert outcome.figures["audit_verify"].startswith("audit chain intact")
