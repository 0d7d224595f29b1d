"""DUR-03 on PostgreSQL: acknowledged writes survive ``kill -9`` of the database server.

A throwaway PostgreSQL 15 cluster (``pgcluster``; ``fsync``, ``synchronous_commit`` and
``full_page_writes`` on, as Casework requires) serves a real ``casework serve`` started as in
``test_kill9`` (gunicorn, its own process group, a free localhost port). The same client threads
register clients and open referrals, each request with a unique ``Idempotency-Key`` (also the
``X-Request-ID``, so that its audit row names it), logging every key answered 2xx.

At a random moment of each round the postmaster and every process under it get SIGKILL at once,
while requests are in flight; PostgreSQL is started again (crash recovery from the WAL), and the
web server, never restarted, carries on with new connections. Checked, after each restart:
every key acknowledged so far is stored exactly once with the id its answer gave, and the server
answers each of them sent again with its first answer. At the end, every request that got no
2xx (no answer, or a 5xx while the database was down) is sent again with its key and body and
is then stored once (DUR-05 across a database crash); every record has its audit ``create``
row and its stored answer; ``casework audit verify`` exits 0 and ``pg_amcheck`` finds the
tables and their indexes sound.

The seed and rounds come from ``CASEWORK_DURABILITY_SEED`` and ``CASEWORK_DURABILITY_ROUNDS``
(default 3), as in ``test_kill9``. Needs root (the server binaries run as ``postgres``) and the
binaries; skipped otherwise. Marked ``durability``: CI runs it once, in the SQLite pass.

Not covered: a kill -9 leaves the operating system's page cache intact, so this shows that an
acknowledged commit was in the WAL the kernel holds, not on the platter; the power-loss case
(LazyFS) is the nightly of DUR-03.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.durability import pgcluster
from tests.durability.test_kill9 import (
    AUDITED_CREATES,
    GIVEN_NAME,
    ROUNDS,
    SETUP,
    THREADS,
    Agency,
    Answer,
    Create,
    Ledger,
    Scenario,
    Server,
    _casework,
    _environment,
    _not_stored_once,
    _replay,
    _writer,
    check_stored,
)

pytestmark = pytest.mark.durability

DATABASE = "casework"
# Longer than test_kill9's: the restarts are cheap here, and each round should end with many
# acknowledged writes and some in flight.
LOAD_SECONDS = (1.0, 2.5)


@dataclass
class Rig:
    """The cluster, the prepared agency in it, and where the web server keeps its files."""

    cluster: pgcluster.Cluster
    agency: Agency
    env: dict[str, str]
    root: Path


@pytest.fixture(scope="module")
def rig() -> Iterator[Rig]:
    reason = pgcluster.unavailable()
    pgcluster.skip_unless_possible(reason)
    root = pgcluster.scratch_root("casework-pg-kill9-")
    cluster = pgcluster.Cluster.create(
        root / "pgdata", {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}
    )
    try:
        cluster.start()
        cluster.sql(f"CREATE DATABASE {DATABASE}")
        data = root / "casework"
        data.mkdir()
        env = {**_environment(data), "DATABASE_URL": cluster.url(DATABASE)}
        done = subprocess.run(
            [sys.executable, "-c", SETUP],
            env={**env, "DJANGO_SETTINGS_MODULE": "casework.settings"},
            capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        last_line = done.stdout.strip().splitlines()[-1]
        token, user_id, staff_id, program_id, client_id = json.loads(last_line)
        agency = Agency(data, token, user_id, staff_id, program_id, client_id)
        yield Rig(cluster, agency, env, root)
    finally:
        cluster.kill()  # the files are thrown away next
        pgcluster.remove(root)


@dataclass
class OutageLedger(Ledger):
    """A 5xx is no acknowledgement: while the database is down, requests fail, and a failed
    request is one the client sends again (kept with the unanswered ones)."""

    failed: Counter[int] = field(default_factory=Counter)

    def note(self, create: Create, answer: Answer | None) -> None:
        if answer is not None and answer[0] >= 500:
            with self.lock:
                self.failed[answer[0]] += 1
            answer = None
        super().note(create, answer)


def _stored(rig: Rig) -> tuple[dict[str, list[tuple[str, int]]], dict[str, Any], set[Any]]:
    """The test's records by key, the stored Idempotency-Key answers, the audit create rows."""
    with rig.cluster.connect(DATABASE) as db:
        records: dict[str, list[tuple[str, int]]] = {}
        rows = db.execute(
            "SELECT family_name, 'clients', id FROM clients_client WHERE given_name = %s "
            "UNION ALL SELECT referral_reason, 'cases', id FROM cases_case",
            (GIVEN_NAME,),
        )
        for key, object_type, pk in rows:
            records.setdefault(key, []).append((object_type, pk))
        stored = {
            key: (status, response)  # jsonb: psycopg gives the parsed answer
            for key, status, response in db.execute(
                "SELECT key, status, response FROM core_idempotencykey WHERE user_id = %s",
                (rig.agency.user_id,),
            )
        }
        audited = {tuple(row) for row in db.execute(AUDITED_CREATES.encode())}
    return records, stored, audited


def _amcheck(rig: Rig) -> subprocess.CompletedProcess[str]:
    """Heap pages and every B-tree index checked (each index against its table's rows)."""
    return subprocess.run(
        [str(pgcluster.PG_BIN / "pg_amcheck"), "--install-missing", "--heapallindexed",
         "--host=127.0.0.1", f"--port={rig.cluster.port}", f"--username={pgcluster.SERVER_USER}",
         DATABASE],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture
def scenario(rig: Rig, tmp_path: Path) -> Iterator[Scenario]:
    """``casework serve`` on the cluster, killed at the end whatever happened."""
    seed = int(os.environ.get("CASEWORK_DURABILITY_SEED") or time.time_ns() % 2**32)
    server = Server(rig.env, tmp_path / "serve.log")
    built = Scenario(rig.agency, rig.agency.template, rig.env, server, seed)
    server.start()
    try:
        yield built
    finally:
        server.kill()


def test_acknowledged_creates_survive_kill9_of_postgres(rig: Rig, scenario: Scenario) -> None:
    started = time.monotonic()
    server, seed = scenario.server, scenario.seed
    ledger = OutageLedger()
    running, stop = threading.Event(), threading.Event()
    writers = [
        threading.Thread(
            target=_writer, args=(scenario, ledger, i, running, stop, False), daemon=True
        )
        for i in range(THREADS)
    ]
    killed: list[int] = []
    recovery: list[float] = []
    replayed: set[str] = set()
    try:
        for thread in writers:
            thread.start()
        for round_ in range(ROUNDS):
            before = len(ledger.snapshot())
            running.set()
            time.sleep(scenario.rng.uniform(*LOAD_SECONDS))
            killed.append(rig.cluster.kill())
            running.clear()
            restarted = time.monotonic()
            rig.cluster.start()
            recovery.append(time.monotonic() - restarted)

            acked = ledger.snapshot()
            assert len(acked) > before, f"round {round_}: nothing was acknowledged (seed {seed})"
            lost = _not_stored_once(ledger, acked, _stored(rig)[0])
            assert not lost, f"round {round_}: acknowledged but not stored once (seed {seed})"
            keys = sorted(set(acked) - replayed)
            failed = _replay(scenario, ledger, keys)
            assert not failed, f"after a crash, a key lost its first answer: {failed[:10]}"
            replayed.update(keys)
    finally:
        stop.set()
        for thread in writers:
            thread.join(timeout=60)

    counts = {"sent": len(ledger.sent), "acknowledged": len(ledger.acked)}
    counts["stored, answer lost"] = len(set(_stored(rig)[0]) - set(ledger.acked))
    for create in list(ledger.unanswered.values()):
        for _ in range(3):
            answer = scenario.post(create)
            if answer is not None:
                break
        ledger.note(create, answer)
    server.stop()
    assert not ledger.unanswered, "requests sent again after the crashes were not answered 2xx"
    assert not ledger.problems, ledger.problems[:20]
    check_stored(ledger, seed, *_stored(rig), retry=True)

    verify = _casework(rig.env, "audit", "verify")
    assert verify.returncode == 0 and "audit chain intact" in verify.stdout, verify.stderr
    amcheck = _amcheck(rig)
    assert amcheck.returncode == 0, amcheck.stdout + amcheck.stderr
    print(
        f"\nPostgreSQL kill -9 x{ROUNDS}, seed {seed}: {counts}, 5xx while down "
        f"{dict(ledger.failed)}; processes killed {killed}; restart with crash recovery "
        + ", ".join(f"{s:.1f}" for s in recovery)
        + f" s; {time.monotonic() - started:.1f} s in all"
    )
