"""DUR-03 and DUR-05: acknowledged writes survive ``kill -9`` of the server.

A real ``casework serve`` (gunicorn, two sync workers) runs in a subprocess, in its own process
group, on a free localhost port, with its own data directory and its own SQLite database. The
subprocess environment has no ``DATABASE_URL``: this module always tests the embedded SQLite
configuration (WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE``), whichever engine the rest of the
suite runs on (on the PostgreSQL leg of CI it runs on SQLite again). It never kills PostgreSQL.

Client threads register clients (``POST /api/v1/clients``) and open referrals
(``POST /api/v1/cases``), each request with a unique ``Idempotency-Key`` (also sent as
``X-Request-ID``, so that its audit row names it), and log every key answered with a 2xx. The
whole process group is killed with SIGKILL at a random moment, the server is restarted, and so
on for a few rounds. Checked:

- every acknowledged key's record is in the database exactly once, with the id its answer gave,
  on a copy of the files as each kill left them (with ``PRAGMA integrity_check``), and at the end;
- each restarted server answers every key acknowledged before the kill, sent again with the same
  body, with the first answer (the same id), and creates nothing;
- no key has two records, and every record has its audit ``create`` row and its stored
  ``Idempotency-Key`` answer (all three are written in one transaction);
- at the end, ``PRAGMA integrity_check`` is ``ok``, no foreign key dangles, and
  ``casework audit verify`` exits 0.

The retry variant (DUR-05, "after a kill before the answer: one record") also resends every
unanswered request with its key and body after each restart, and ends each round with a referral
that the test sees committed in the database but whose answer it never reads, killing the server
at that moment: in the end exactly one record per key, with the id the retry was answered.

The kill schedule comes from a seed printed with the summary (``-s``); set
``CASEWORK_DURABILITY_SEED`` to replay it, and ``CASEWORK_DURABILITY_ROUNDS`` (default 3) for a
longer run. Most of the time goes into restarts (``casework serve`` migrates and collects the
static files each time).

Not covered here: a kill -9 leaves the operating system's page cache intact, so writes that were
never fsynced survive it too. Losing those (power loss; the LazyFS nightly of DUR-03) needs a
file system that drops them.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.durability

USERNAME = "durability_cm"
PASSWORD = "durability test password"
THREADS = 4
ROUNDS = int(os.environ.get("CASEWORK_DURABILITY_ROUNDS") or 3)
LOAD_SECONDS = (0.4, 1.6)  # how long the clients write before each kill
START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 30.0
CLIENTS, CASES = "/api/v1/clients", "/api/v1/cases"
GIVEN_NAME = "Durability"  # every client the test registers; the key is the family name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        CASEWORK_DATA_DIR=str(data), CASEWORK_DEBUG="0", CASEWORK_HTTPS="0", PYTHONUNBUFFERED="1"
    )
    return env


def _casework(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casework.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _group_alive(pgid: int) -> bool:
    """Whether a process of the group is still running (zombies do not count)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return False
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


class Server:
    """``casework serve`` in its own process group, restarted on the same port."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        assert self.process is None
        with self.log.open("ab") as log:
            log.write(f"\n== start {self.starts}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "casework.cli", "serve", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: master and workers die together
            )
        self.starts += 1
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                url = f"http://127.0.0.1:{self.port}/accounts/login/"
                with urllib.request.urlopen(url, timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (OSError, http.client.HTTPException):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"casework serve did not start:\n{self.tail()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the master and its workers at once."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)
        self._wait_gone()

    def stop(self) -> None:
        """A clean stop (SIGTERM: gunicorn lets its workers finish their requests)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
            return
        self._wait_gone()

    def _wait_gone(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + 10
        while _group_alive(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        self.process = None

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@dataclass(frozen=True)
class Create:
    """One create request: its key (also the record's marker), route and exact body."""

    key: str
    path: str
    body: bytes

    @property
    def object_type(self) -> str:
        return "clients" if self.path == CLIENTS else "cases"


Answer = tuple[int, Any]


def _headers(token: str, key: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": key,
        "X-Request-ID": key,
    }


def _post(port: int, token: str, create: Create) -> Answer | None:
    """Send one create: its status and JSON answer, or None when no answer came back."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(
            "POST", create.path, body=create.body, headers=_headers(token, create.key)
        )
        response = connection.getresponse()
        raw = response.read()
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()
    try:
        body: Any = json.loads(raw)
    except ValueError:
        body = raw[:300].decode(errors="replace")
    return response.status, body


@dataclass
class Ledger:
    """What the clients were told: every key sent, and the id of each one answered 2xx."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: dict[str, Create] = field(default_factory=dict)
    acked: dict[str, int] = field(default_factory=dict)
    unanswered: dict[str, Create] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # answers that must never happen

    def note(self, create: Create, answer: Answer | None) -> None:
        with self.lock:
            self.sent[create.key] = create
            if answer is None:
                if create.key not in self.acked:
                    self.unanswered[create.key] = create
                return
            status, body = answer
            found = body.get("id") if isinstance(body, dict) else None
            if 200 <= status < 300 and isinstance(found, int):
                first = self.acked.setdefault(create.key, found)
                if first != found:
                    self.problems.append(f"{create.key}: answered id {first}, later id {found}")
                self.unanswered.pop(create.key, None)
            else:
                self.problems.append(f"{create.key}: answered {status} {str(body)[:300]}")

    def snapshot(self) -> dict[str, int]:
        with self.lock:
            return dict(self.acked)


@dataclass(frozen=True)
class Agency:
    """A prepared data directory (copied for each test) and what the requests refer to."""

    template: Path
    token: str
    user_id: int
    staff_id: int
    program_id: int
    client_id: int


@dataclass
class Scenario:
    """One test's copy of the agency, its server and its kill schedule."""

    agency: Agency
    data: Path
    env: dict[str, str]
    server: Server
    seed: int
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    @property
    def token(self) -> str:
        return self.agency.token

    @property
    def user_id(self) -> int:
        return self.agency.user_id

    @property
    def database(self) -> Path:
        return self.data / "casework.sqlite3"

    def connect(self, *, read_only: bool = False) -> sqlite3.Connection:
        mode = "ro" if read_only else "rw"
        return sqlite3.connect(f"file:{self.database}?mode={mode}", uri=True, timeout=30)

    def post(self, create: Create) -> Answer | None:
        return _post(self.server.port, self.token, create)

    def new_create(self, writer: int, n: int) -> Create:
        key = f"dur-{writer}-{n}-{uuid.uuid4().hex[:12]}"
        if n % 2:
            path = CLIENTS
            data: dict[str, Any] = {
                "given_name": GIVEN_NAME,
                "family_name": key,
                "birth_date": "1950-01-01",
                "confirmed_new_person": True,
            }
        else:
            path = CASES
            data = {
                "client": self.agency.client_id,
                "program": self.agency.program_id,
                "primary_case_manager": self.agency.staff_id,
                "referral_source": "hospital",
                "referral_reason": key,
                "referred_on": "2025-01-02",
            }
        return Create(key, path, json.dumps(data).encode())


# Run in the scratch agency: ``casework migrate``, then, through the services the tests' own
# personas use, a case manager (a role is a Django group named in the access matrix) with a
# write token, the program and the client that the referrals are for.
SETUP = f"""
import datetime as dt, json
from casework.cli import main
assert main(["migrate"]) == 0
from django.contrib.auth.models import Group
from casework.accounts.tokens import issue_token
from casework.cases.models import Program
from casework.clients.services import register_client
from casework.staff.models import StaffMember
from casework.staff.services import create_user
user = create_user(username={USERNAME!r}, password={PASSWORD!r})
user.groups.add(Group.objects.get_or_create(name="case_manager")[0])
staff = StaffMember.objects.create(user=user, discipline="nurse")
_, token = issue_token(user, name="durability")
program = Program.objects.create(name="Durability", case_type="care transitions")
client = register_client(
    actor=user,
    data={{"given_name": "Referred", "family_name": "Client", "birth_date": dt.date(1940, 3, 4)}},
    identifiers=[],
    confirmed_new_person=True,
)
print(json.dumps([token, user.pk, staff.pk, program.pk, client.pk]))
"""


@pytest.fixture(scope="module")
def agency(tmp_path_factory: pytest.TempPathFactory) -> Agency:
    """Migrated once for the module (it takes seconds): a case manager with a token."""
    data = tmp_path_factory.mktemp("durability") / "template"
    data.mkdir()
    env = _environment(data)
    done = subprocess.run(
        [sys.executable, "-c", SETUP],
        env={**env, "DJANGO_SETTINGS_MODULE": "casework.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    last_line = done.stdout.strip().splitlines()[-1]
    token, user_id, staff_id, program_id, client_id = json.loads(last_line)
    return Agency(data, token, user_id, staff_id, program_id, client_id)


@pytest.fixture
def scenario(agency: Agency, tmp_path: Path) -> Iterator[Scenario]:
    data = tmp_path / "data"
    shutil.copytree(agency.template, data)  # no process has the database open now
    env = _environment(data)
    seed = int(os.environ.get("CASEWORK_DURABILITY_SEED") or time.time_ns() % 2**32)
    built = Scenario(agency, data, env, Server(env, tmp_path / "serve.log"), seed)
    built.server.start()
    try:
        yield built
    finally:
        built.server.kill()


def _writer(
    scenario: Scenario,
    ledger: Ledger,
    writer: int,
    running: threading.Event,
    stop: threading.Event,
    retry: bool,
) -> None:
    """Create records while the server runs; with ``retry``, resend unanswered ones first."""
    n = 0
    pending: list[Create] = []
    while not stop.is_set():
        if not running.wait(0.05):
            continue
        if retry and pending:
            create = pending.pop(0)
        else:
            n += 1
            create = scenario.new_create(writer, n)
        answer = scenario.post(create)
        ledger.note(create, answer)
        if answer is None and retry:
            pending.append(create)


def _commit_then_kill(scenario: Scenario, create: Create, running: threading.Event) -> None:
    """Send a referral, wait until it is committed, then SIGKILL the server; its answer, if one
    was sent at all, is never read, so to this client the request went unanswered."""
    body = create.body
    head = [f"POST {create.path} HTTP/1.1", f"Host: 127.0.0.1:{scenario.server.port}"]
    head += [f"{k}: {v}" for k, v in _headers(scenario.token, create.key).items()]
    head += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
    with socket.create_connection(("127.0.0.1", scenario.server.port), timeout=10) as sock:
        sock.sendall("\r\n".join(head).encode() + body)
        deadline = time.monotonic() + 20
        with closing(scenario.connect(read_only=True)) as db:
            query = "SELECT 1 FROM cases_case WHERE referral_reason = ?"
            while not db.execute(query, (create.key,)).fetchone():
                assert time.monotonic() < deadline, f"{create.key} was never committed"
                time.sleep(0.002)
        running.clear()
        scenario.server.kill()


def _records(db: sqlite3.Connection) -> dict[str, list[tuple[str, int]]]:
    """The test's records by key: (object type, id) of each."""
    found: dict[str, list[tuple[str, int]]] = {}
    rows = db.execute(
        "SELECT family_name, 'clients', id FROM clients_client WHERE given_name = ? "
        "UNION ALL SELECT referral_reason, 'cases', id FROM cases_case",
        (GIVEN_NAME,),
    )
    for key, object_type, pk in rows:
        found.setdefault(key, []).append((object_type, pk))
    return found


def _integrity(db: sqlite3.Connection) -> list[str]:
    problems = [row[0] for row in db.execute("PRAGMA integrity_check") if row[0] != "ok"]
    problems += [f"dangling foreign key {row}" for row in db.execute("PRAGMA foreign_key_check")]
    return problems


def _not_stored_once(
    ledger: Ledger, acked: dict[str, int], records: dict[str, list[tuple[str, int]]]
) -> dict[str, Any]:
    """Acknowledged keys whose record is missing, doubled, or not the one acknowledged."""
    return {
        key: (pk, records.get(key))
        for key, pk in acked.items()
        if records.get(key) != [(ledger.sent[key].object_type, pk)]
    }


def _check_after_kill(scenario: Scenario, ledger: Ledger, round_: int) -> None:
    """Straight after a kill, before anything restarts: acknowledged records are all there.

    Checked on a copy of the files as the kill left them (database and write-ahead log), so
    that the restarted server, not this check, is what recovers the original."""
    acked = ledger.snapshot()
    crashed = scenario.data.parent / f"after-kill-{round_}"
    crashed.mkdir()
    for suffix in ("", "-wal"):
        source = scenario.database.with_name(scenario.database.name + suffix)
        if source.exists():
            shutil.copyfile(source, crashed / source.name)
    with closing(sqlite3.connect(crashed / scenario.database.name)) as db:
        assert _integrity(db) == [], f"round {round_}"
        records = _records(db)
    lost = _not_stored_once(ledger, acked, records)
    assert not lost, f"round {round_}: acknowledged but not stored once (seed {scenario.seed})"


def _replay(scenario: Scenario, ledger: Ledger, keys: list[str]) -> list[str]:
    """Send acknowledged requests again: each must replay its first answer (the same id)."""
    acked = ledger.snapshot()

    def replay(key: str) -> str | None:
        answer = scenario.post(ledger.sent[key])
        if answer is None:
            return f"{key}: no answer"
        status, body = answer
        if status != 201 or not isinstance(body, dict) or body.get("id") != acked[key]:
            return f"{key}: first id {acked[key]}, replay answered {status} {str(body)[:200]}"
        return None

    with ThreadPoolExecutor(THREADS) as pool:
        return [p for p in pool.map(replay, keys) if p]


def _run_rounds(scenario: Scenario, *, retry: bool) -> Ledger:
    """Write, SIGKILL, check the files, restart; without ``retry``, each restarted server first
    replays what the killed one acknowledged."""
    ledger = Ledger()
    running, stop = threading.Event(), threading.Event()
    writers = [
        threading.Thread(
            target=_writer, args=(scenario, ledger, i, running, stop, retry), daemon=True
        )
        for i in range(THREADS)
    ]
    for thread in writers:
        thread.start()
    replayed: set[str] = set()
    try:
        for round_ in range(ROUNDS):
            if round_:
                scenario.server.start()
                if not retry:
                    keys = sorted(set(ledger.snapshot()) - replayed)
                    failed = _replay(scenario, ledger, keys)
                    assert not failed, f"a restart forgot a first answer: {failed[:10]}"
                    replayed.update(keys)
            running.set()
            time.sleep(scenario.rng.uniform(*LOAD_SECONDS))
            if retry:
                probe = scenario.new_create(THREADS, 2 * (round_ + 1))  # a referral
                _commit_then_kill(scenario, probe, running)
                ledger.note(probe, None)
            else:
                running.clear()
                scenario.server.kill()
            _check_after_kill(scenario, ledger, round_)
    finally:
        stop.set()
        for thread in writers:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
    return ledger


def _counts(scenario: Scenario, ledger: Ledger) -> dict[str, int]:
    with closing(scenario.connect()) as db:
        records = _records(db)
    return {
        "sent": len(ledger.sent),
        "acknowledged": len(ledger.acked),
        "stored": len(records),
        "stored, answer lost": len(set(records) - set(ledger.acked)),
    }


def _check_records(scenario: Scenario, ledger: Ledger, *, retry: bool) -> None:
    """One record per key, the acknowledged id, its audit row and its stored answer."""
    with closing(scenario.connect()) as db:
        records = _records(db)
        stored = {
            key: (status, json.loads(response) if response else None)
            for key, status, response in db.execute(
                "SELECT key, status, response FROM core_idempotencykey WHERE user_id = ?",
                (scenario.user_id,),
            )
        }
        audited = set(db.execute(AUDITED_CREATES))
    check_stored(ledger, scenario.seed, records, stored, audited, retry=retry)


# The audit rows of successful creates: (object type, object id, request id = the key).
AUDITED_CREATES = (
    "SELECT object_type, object_id, request_id FROM audit_auditevent "
    "WHERE action = 'create' AND outcome = 'success' AND status = 201"
)


def check_stored(
    ledger: Ledger,
    seed_number: int,
    records: dict[str, list[tuple[str, int]]],
    stored: dict[str, tuple[int | None, Any]],
    audited: set[tuple[str, str, str]],
    *,
    retry: bool,
) -> None:
    """What the database holds against what the clients were told (either engine): records by
    key, stored Idempotency-Key answers by key, and the audit rows of creates."""
    seed = f"(seed {seed_number})"
    unknown = sorted(set(records) - set(ledger.sent))
    assert not unknown, f"records no request of this test made {seed}"
    duplicates = {k: v for k, v in records.items() if len(v) > 1}
    assert not duplicates, f"one key, several records {seed}"
    wrong = _not_stored_once(ledger, ledger.acked, records)
    assert not wrong, f"acknowledged but not stored once with the acknowledged id {seed}"
    if retry:
        assert set(records) == set(ledger.sent), f"a retried request was not stored {seed}"
    no_audit = [k for k, [(kind, pk)] in records.items() if (kind, str(pk), k) not in audited]
    assert not no_audit, f"records without their audit create row {seed}"
    no_answer = []
    for key, [(_, pk)] in records.items():
        status, response = stored.get(key, (None, None))
        if status != 201 or not isinstance(response, dict) or response.get("id") != pk:
            no_answer.append(key)
    assert not no_answer, f"records without their stored Idempotency-Key answer {seed}"
    running = [k for k, (status, _) in stored.items() if status is None]
    assert not running, f"keys left 'still running' by a killed request {seed}"


def _check_files(scenario: Scenario) -> None:
    """With the server stopped: the database file is sound and the audit chain verifies."""
    with closing(scenario.connect()) as db:
        assert _integrity(db) == []
    verify = _casework(scenario.env, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "audit chain intact" in verify.stdout


def _kill9(scenario: Scenario, *, retry: bool) -> None:
    started = time.monotonic()
    ledger = _run_rounds(scenario, retry=retry)
    if retry:
        scenario.server.start()
    counts = _counts(scenario, ledger)  # before any retry
    if retry:
        for create in list(ledger.unanswered.values()):
            for _ in range(3):
                answer = scenario.post(create)
                if answer is not None:
                    break
            ledger.note(create, answer)
        assert not ledger.unanswered, "the running server left requests unanswered"
        _check_records(scenario, ledger, retry=True)  # before the replays below
        replayed = _replay(scenario, ledger, sorted(ledger.snapshot()))
        assert not replayed, f"the same key and body must replay the first answer: {replayed[:10]}"
        scenario.server.stop()
    assert not ledger.problems, ledger.problems[:20]
    _check_records(scenario, ledger, retry=retry)
    _check_files(scenario)
    print(
        f"\nkill -9 x{ROUNDS}, retry={retry}, seed {scenario.seed}: {counts}, "
        f"{time.monotonic() - started:.1f} s"
    )


def test_acknowledged_creates_survive_kill9(scenario: Scenario) -> None:
    """DUR-03: every create answered 2xx before a SIGKILL is stored once, with its audit row."""
    _kill9(scenario, retry=False)


def test_retry_after_kill_stores_one_record_per_key(scenario: Scenario) -> None:
    """DUR-05: a request killed before its answer, sent again with its key, is stored once."""
    _kill9(scenario, retry=True)
