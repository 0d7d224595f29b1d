"""Load benchmark (DUR-08): concurrent API clients against a real ``casework serve``.

What it does, in order:

1. in a scratch directory, loads the demo agency (``casework demo``) into a fresh SQLite
   database, or into the PostgreSQL database named by ``--database-url``, and gives a few demo
   case managers an API token each (``casework token create``);
2. starts ``casework serve`` (gunicorn, ``--workers`` sync workers) on a free local port, in its
   own process group, and samples the resident memory of its processes throughout;
3. runs a warm-up, then ``--rounds`` rounds (interleaved: the machine is shared, and a change
   in its load should fall on every phase alike) of three phases, each for a fixed time (or
   ``--ops`` operations per client for the load): the floor (every client reading
   ``GET /api/v1/programs``: a bearer token, a small page and its audit row, the cheapest
   audited API read), the realistic mix with a single client, and the same mix with
   ``--clients`` clients (default 50), the measured load. The mix, per case manager's own
   caseload: caseload list, case workspace (``GET /cases/{id}``: history, what is missing,
   what is due), client record, notes page; new contact notes and referrals, each with a
   unique ``Idempotency-Key``; edits of the notes the same client wrote, with ``If-Match``.
   A 503 must carry ``Retry-After``: it is counted, waited for and retried with the same key;
   so is a request left without an answer, unless it was an edit;
4. logs every 2xx answer with its request id, its ``Idempotency-Key`` and the id it gave, then
   stops the server and checks, in the database: every acknowledged create stored exactly once
   with the id it was answered, no record of the run twice or unaccounted for, each key's
   stored answer, each edited note at the version and text of its last acknowledged edit,
   every 2xx answer with exactly one audit row; on SQLite ``PRAGMA integrity_check``; finally
   ``casework audit verify``;
5. prints requests per second, latency percentiles per operation, answers by status, the
   server's peak resident memory, and ratios against the floor and the single client measured
   in the same run. Exits 1 when a check fails (a 5xx, a refused request of the mix, a lost or
   duplicate row, a broken chain).

Usage: ``python bench/load/run.py [--clients 50] [--seconds 30]
[--database-url postgres://USER@HOST/DB]``. Not part of the test suite (a smoke test runs it
small and asserts only the checks). Only the standard library is used; the children import
Casework from ``src/`` (found relative to this file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import os
import platform
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SRC = REPO / "src"

# Demo case managers who drive the load, in the order they are taken (--users N takes the
# first N); the clients are dealt out among them.
USERS = ("casemanager", "mlopez", "tnguyen", "fjeanbaptiste", "jkowalski", "aibrahim",
         "dwashington", "ytanaka", "kjohnson", "dvolkov")  # fmt: skip
# Referrals go to a colleague who drives no load, so the caseloads read stay the same size
# however long the run: the figures do not depend on the duration.
REFERRED_TO = "wzhang"
# Share of each operation in the mix: mostly reads, a quarter writes.
MIX = {
    "caseload": 14,
    "case": 26,
    "client": 18,
    "notes": 10,
    "note_create": 14,
    "note_edit": 10,
    "referral": 8,
}
CREATES = ("note_create", "referral")
FLOOR = "floor"
FLOOR_PATH = "/api/v1/programs?limit=25"
# shared/specs/performance.md, wrk at 8 connections, 2 sync workers: "token + page of 25 rows
# ordered by an indexed column" (a minimal endpoint, no audit row). Another run, another
# machine state: quoted for orders of magnitude only.
PERFORMANCE_MD_FLOOR = {"SQLite": 931.0, "PostgreSQL": 748.0}
REQUEST_TIMEOUT = 120.0
START_TIMEOUT = 120.0
MAX_ATTEMPTS = 8
MAX_RETRY_AFTER = 5.0
PHASES = {"setup": "d", "warmup": "w", FLOOR: "f", "single": "s", "load": "l"}


# --- the checks, in a child process with Django ---------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    import django

    django.setup()


@dataclass
class Ledger:
    """What the clients were told, read back from the log of 2xx answers."""

    created: dict[str, tuple[str, int]] = field(default_factory=dict)  # key: (kind, id)
    create_rid: dict[str, str] = field(default_factory=dict)  # key: request id of its answer
    unanswered: set[str] = field(default_factory=set)  # create keys never answered
    edits: dict[int, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    uncertain: Counter[int] = field(default_factory=Counter)  # edits left without an answer
    answered: dict[str, int] = field(default_factory=dict)  # request id: 2xx status
    problems: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> Ledger:
        ledger = cls()
        for line in path.read_text().splitlines():
            entry = json.loads(line)
            kind = entry["kind"]
            if kind == "unanswered":
                ledger.unanswered.add(entry["key"])
                continue
            if kind == "edit_unanswered":
                ledger.uncertain[entry["id"]] += 1
                continue
            ledger.answered[entry["rid"]] = entry["status"]
            if kind in CREATES:
                first = ledger.created.setdefault(entry["key"], (kind, entry["id"]))
                ledger.create_rid.setdefault(entry["key"], entry["rid"])
                if first != (kind, entry["id"]):
                    ledger.problems.append(f"{entry['key']}: answered {first}, later {entry['id']}")
            elif kind == "note_edit":
                ledger.edits[entry["id"]].append((entry["version"], entry["plan"]))
        return ledger


def child_small(args: argparse.Namespace) -> None:
    """A small agency instead of the demo (``--agency small``, seconds instead of tens of
    seconds): the acting case managers with ``--cases`` open cases each, and the colleague
    referrals go to. Built through the services, as the tests' personas are."""
    _django()
    from django.core.management import call_command
    from django.db import transaction

    from casework.cases.models import Program
    from casework.cases.services import open_case
    from casework.clients.services import register_client
    from casework.staff.models import StaffMember
    from casework.staff.services import create_user

    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        program = Program.objects.create(name="Load bench", case_type="care transitions")
        for n, username in enumerate([*USERS[: args.users], REFERRED_TO]):
            user = create_user(username=username, password=None, roles=["case_manager"])
            staff = StaffMember.objects.create(user=user, discipline="nurse")
            for i in range(args.cases if username != REFERRED_TO else 0):
                client = register_client(
                    actor=user,
                    data={"given_name": f"Load{i}", "family_name": username.title(),
                          "birth_date": dt.date(1940 + n, 1 + i % 12, 1 + i % 28)},
                    identifiers=[], confirmed_new_person=True,
                )  # fmt: skip
                open_case(actor=user, data={
                    "client": client.pk, "program": program.pk, "primary_case_manager": staff.pk,
                    "referral_source": "hospital", "referral_reason": "discharge follow-up",
                    "referred_on": dt.date.today() - dt.timedelta(days=1),
                })  # fmt: skip


def _kept_answer(stored: tuple[int | None, Any] | None, pk: int) -> bool:
    """Whether the key's stored answer is the 201 that gave this id (what a retry replays)."""
    if stored is None:
        return False
    status, response = stored
    return status == 201 and isinstance(response, dict) and response.get("id") == pk


def _sample(items: Any, n: int = 5) -> str:
    return str(sorted(items)[:n] if not isinstance(items, dict) else dict(list(items.items())[:n]))


def child_check(args: argparse.Namespace) -> None:
    """Compare the log of acknowledged answers with the database; print one JSON line."""
    _django()
    from django.db import connection

    from casework.audit.models import AuditEvent
    from casework.cases.models import Case, ContactNote
    from casework.core.models import IdempotencyKey

    run = args.run
    ledger = Ledger.read(Path(args.ledger))
    problems = list(ledger.problems)

    notes = {
        pk: (key, version, plan)
        for pk, key, version, plan in ContactNote.objects.filter(
            participants__startswith=run
        ).values_list("id", "participants", "version", "plan")
    }
    stored: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for pk, (key, _, _) in notes.items():
        stored[key].append(("note_create", pk))
    referrals = Case.objects.filter(referral_reason__startswith=run)
    for pk, key in referrals.values_list("id", "referral_reason"):
        stored[key].append(("referral", pk))

    duplicates = {k: v for k, v in stored.items() if len(v) > 1}
    if duplicates:
        problems.append(f"{len(duplicates)} keys stored more than once: {_sample(duplicates)}")
    lost = {k: (v, stored.get(k)) for k, v in ledger.created.items() if stored.get(k) != [v]}
    if lost:
        problems.append(f"{len(lost)} acknowledged creates not stored once: {_sample(lost)}")
    unaccounted = set(stored) - set(ledger.created) - ledger.unanswered
    if unaccounted:
        problems.append(f"{len(unaccounted)} stored records no answer or retry accounts for")

    keys = {
        key: (status, response)
        for key, status, response in IdempotencyKey.objects.filter(key__startswith=run).values_list(
            "key", "status", "response"
        )
    }
    no_answer_kept = [
        key for key, (_, pk) in ledger.created.items() if not _kept_answer(keys.get(key), pk)
    ]
    if no_answer_kept:
        problems.append(f"{len(no_answer_kept)} keys without their stored first answer")
    running = [key for key, (status, _) in keys.items() if status is None]
    if running:
        problems.append(f"{len(running)} keys left 'still running'")

    stale = []
    for pk, acked in ledger.edits.items():
        versions = [v for v, _ in acked]
        final = notes.get(pk)
        unknown = ledger.uncertain.get(pk, 0)
        if final is None or len(set(versions)) != len(versions):
            stale.append(pk)
            continue
        _, version, plan = final
        expected = 1 + len(versions)
        if not expected <= version <= expected + unknown:
            stale.append(pk)
        elif not unknown and plan != max(acked)[1]:
            stale.append(pk)
    if stale:
        problems.append(f"{len(stale)} edited notes not as their acknowledged edits left them")

    audit: dict[str, list[tuple[int | None, str, str]]] = defaultdict(list)
    rows = AuditEvent.objects.filter(request_id__startswith=run)
    for rid, status, action, object_id in rows.values_list(
        "request_id", "status", "action", "object_id"
    ):
        audit[rid].append((status, action, object_id))
    unaudited = [
        rid
        for rid, status in ledger.answered.items()
        if [row[0] for row in audit.get(rid, [])] != [status]
    ]
    if unaudited:
        problems.append(f"{len(unaudited)} 2xx answers without exactly one audit row")
    wrong_create = [
        key
        for key, (_, pk) in ledger.created.items()
        if audit.get(ledger.create_rid[key], [(None, "", "")])[0][1:] != ("create", str(pk))
    ]
    if wrong_create:
        problems.append(f"{len(wrong_create)} creates whose audit row names another record")
    server_errors = [rid for rid, found in audit.items() for s, _, _ in found if (s or 0) >= 500]

    integrity = "not checked"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            checked = [row[0] for row in cursor.fetchall()]
            cursor.execute("PRAGMA foreign_key_check")
            dangling = cursor.fetchall()
        integrity = "ok" if checked == ["ok"] and not dangling else f"{checked[:3]} {dangling[:3]}"
        if integrity != "ok":
            problems.append(f"PRAGMA integrity_check / foreign_key_check: {integrity}")
        import sqlite3

        engine = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            engine = f"PostgreSQL {str((cursor.fetchone() or ['?'])[0]).split()[0]}"

    counts = {
        "acknowledged creates": len(ledger.created),
        "stored records": sum(len(v) for v in stored.values()),
        "notes": sum(1 for k, _ in ledger.created.values() if k == "note_create"),
        "referrals": sum(1 for k, _ in ledger.created.values() if k == "referral"),
        "stored, answer lost and retried": len(set(stored) & ledger.unanswered),
        "notes edited": len(ledger.edits),
        "acknowledged edits": sum(len(v) for v in ledger.edits.values()),
        "2xx answers": len(ledger.answered),
        "audit rows of the run": sum(len(v) for v in audit.values()),
        "audit rows with a 5xx": len(server_errors),
    }
    print(json.dumps({"engine": engine, "integrity": integrity, "counts": counts,
                      "problems": problems}))  # fmt: skip


# --- HTTP clients ----------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    body: Any
    etag: str
    retry_after: str | None


def call(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes | None
) -> Answer | None:
    """One request on a new connection (gunicorn's sync workers close each one)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        raw = response.read()
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()
    try:
        parsed: Any = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw[:300].decode(errors="replace")
    return Answer(
        response.status, parsed, response.getheader("ETag") or "", response.getheader("Retry-After")
    )


@dataclass
class Persona:
    username: str
    token: str
    cases: list[tuple[int, int, int]] = field(default_factory=list)  # (case, client, program)


@dataclass
class Sample:
    phase: str
    kind: str
    status: int  # 0: no answer
    seconds: float


class Recorder:
    """Everything the clients saw: samples, the log of 2xx answers, and what must not happen."""

    def __init__(self, log: Path) -> None:
        self.lock = threading.Lock()
        self.samples: list[Sample] = []
        self.problems: list[str] = []
        self.log: TextIO = log.open("a", buffering=1)

    def sample(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def acknowledge(self, entry: dict[str, Any]) -> None:
        line = json.dumps(entry)
        with self.lock:
            self.log.write(line + "\n")

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)


@dataclass
class OwnNote:
    """A note this client wrote; only it edits the note, so its ETag is never stale."""

    id: int
    etag: str


class LoadClient:
    """One simulated person at the API, acting as a persona, in one phase."""

    def __init__(
        self, port: int, run: str, phase: str, round_: int, index: int, persona: Persona,
        referred_to: int, recorder: Recorder, seed: int,
    ) -> None:  # fmt: skip
        self.port = port
        self.prefix = f"{run}-{PHASES[phase]}{round_}-{index:02d}-"
        self.phase = phase
        self.persona = persona
        self.referred_to = referred_to
        self.recorder = recorder
        self.rng = random.Random(seed)
        self.notes: list[OwnNote] = []
        self.n = 0
        self.operations = 0

    def next_id(self) -> str:
        self.n += 1
        return f"{self.prefix}{self.n:06d}"

    def send(
        self, kind: str, method: str, path: str, *, data: dict[str, Any] | None = None,
        key: str | None = None, if_match: str | None = None, log: dict[str, Any] | None = None,
    ) -> Answer | None:  # fmt: skip
        """Send until answered: a 503 after its Retry-After, no answer again at once (unless
        an edit, whose outcome is then unknown). Every 2xx goes into the log."""
        base = key or self.next_id()
        headers = {"Authorization": f"Bearer {self.persona.token}", "Accept": "application/json"}
        body = None
        if data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        if key:
            headers["Idempotency-Key"] = key
        if if_match:
            headers["If-Match"] = if_match
        resend_unanswered = method == "GET" or key is not None
        for attempt in range(1, MAX_ATTEMPTS + 1):
            rid = f"{base}-{attempt}"
            headers["X-Request-ID"] = rid  # names the audit row of this attempt
            started = time.perf_counter()
            answer = call(self.port, method, path, headers, body)
            seconds = time.perf_counter() - started
            self.recorder.sample(Sample(self.phase, kind, answer.status if answer else 0, seconds))
            if answer is None:
                if not resend_unanswered:
                    return None
                time.sleep(0.1)
                continue
            if answer.status == 503:
                if not (answer.retry_after or "").isdigit():
                    self.recorder.problem(f"{rid} {kind}: 503 without Retry-After")
                time.sleep(min(float(answer.retry_after or 1), MAX_RETRY_AFTER))
                continue
            if 200 <= answer.status < 300:
                body_id = answer.body.get("id") if isinstance(answer.body, dict) else None
                entry = {"rid": rid, "kind": kind, "status": answer.status, "key": key,
                         "id": body_id, **(log or {})}  # fmt: skip
                if isinstance(answer.body, dict) and "version" in answer.body:
                    entry["version"] = answer.body["version"]
                self.recorder.acknowledge(entry)
            else:
                self.recorder.problem(
                    f"{rid} {kind} {method} {path}: {answer.status} {str(answer.body)[:300]}"
                )
            return answer
        self.recorder.problem(f"{base} {kind}: no 2xx after {MAX_ATTEMPTS} attempts")
        return None

    def step(self, kind: str) -> None:
        self.operations += 1
        case, client, program = self.rng.choice(self.persona.cases)
        if kind == FLOOR:
            self.send(kind, "GET", FLOOR_PATH)
        elif kind == "caseload":
            self.send(kind, "GET", "/api/v1/caseload")
        elif kind == "case":
            self.send(kind, "GET", f"/api/v1/cases/{case}")
        elif kind == "client":
            self.send(kind, "GET", f"/api/v1/clients/{client}")
        elif kind == "notes":
            self.send(kind, "GET", f"/api/v1/cases/{case}/notes?limit=25")
        elif kind == "note_create" or (kind == "note_edit" and not self.notes):
            self.create_note(case)
        elif kind == "note_edit":
            self.edit_note()
        elif kind == "referral":
            self.refer(client, program)
        else:
            raise ValueError(kind)

    def create_note(self, case: int) -> None:
        key = self.next_id()
        occurred = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=self.rng.randint(1, 600))
        data = {
            "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "mode": self.rng.choice(["phone", "in_person", "video", "home_visit"]),
            "participants": key,  # the record's marker: the checks find it by its key
            "duration_minutes": self.rng.randint(5, 60),
            "contact_made": True,
            "format": "soap",
            "subjective": "Says the new pill organiser helps; sleeping better since Tuesday.",
            "objective": "Blood pressure 132/84 at home; walked to the door unaided.",
            "assessment": "Managing medicines; mild ankle swelling, no shortness of breath.",
            "plan": "Call on Friday; ask the pharmacy about the blister pack.",
        }
        answer = self.send("note_create", "POST", f"/api/v1/cases/{case}/notes", data=data,
                           key=key)  # fmt: skip
        if answer is None:
            self.recorder.acknowledge({"kind": "unanswered", "key": key})
        elif answer.status == 201 and isinstance(answer.body, dict):
            self.notes.append(OwnNote(int(answer.body["id"]), answer.etag))

    def edit_note(self) -> None:
        note = self.rng.choice(self.notes)
        plan = f"Call on Friday; reviewed {self.prefix}{self.n + 1:06d}."
        answer = self.send(
            "note_edit", "PATCH", f"/api/v1/notes/{note.id}", data={"plan": plan},
            if_match=note.etag, log={"plan": plan},
        )  # fmt: skip
        if answer is not None and answer.status == 200:
            note.etag = answer.etag
            return
        # Unknown or refused: its ETag can no longer be trusted, so it is edited no more.
        self.notes.remove(note)
        if answer is None:
            self.recorder.acknowledge({"kind": "edit_unanswered", "id": note.id})

    def refer(self, client: int, program: int) -> None:
        key = self.next_id()
        referred_on = dt.date.today() - dt.timedelta(days=1)  # never after today, in any zone
        data = {
            "client": client,
            "program": program,
            "primary_case_manager": self.referred_to,
            "referral_source": self.rng.choice(["hospital", "physician", "family", "payer"]),
            "referral_reason": key,  # the record's marker
            "referred_on": referred_on.isoformat(),
        }
        if self.send("referral", "POST", "/api/v1/cases", data=data, key=key) is None:
            self.recorder.acknowledge({"kind": "unanswered", "key": key})

    def run(self, kinds: dict[str, int], until: float, ops: int | None) -> None:
        names, weights = list(kinds), list(kinds.values())
        try:
            while (self.operations < ops) if ops is not None else (time.monotonic() < until):
                self.step(self.rng.choices(names, weights)[0])
        except Exception:  # the run goes on; the failure is reported with the checks
            self.recorder.problem(f"{self.prefix} crashed:\n{traceback.format_exc()}")


# --- the server and its memory ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def group_processes(pgid: int) -> Iterator[Path]:
    """/proc entries of the live processes of a process group (zombies excluded)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            yield entry


def status_kib(entry: Path, name: str) -> int:
    try:
        for line in (entry / "status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(entry: Path) -> float:
    try:
        fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


class Server:
    """``casework serve`` in its own process group, with its memory sampled every 0.2 s."""

    def __init__(self, env: dict[str, str], log: Path, workers: int) -> None:
        self.env = env
        self.log = log
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.phase = "setup"
        self.peak_kib: Counter[str] = Counter()  # phase: peak of the processes' summed RSS
        self.largest_kib = 0  # the largest VmHWM of any one server process
        self.processes = 0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "casework.cli", "serve", "--port", str(self.port),
                 "--workers", str(self.workers)],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            answer = call(self.port, "GET", "/accounts/login/", {}, None)
            if answer is not None and answer.status == 200:
                break
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = self.log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"casework serve did not start:\n{tail}")
            time.sleep(0.2)
        self._sampler.start()

    def _sample(self) -> None:
        assert self.process is not None
        while not self._stop.wait(0.2):
            self.measure()

    def measure(self) -> None:
        assert self.process is not None
        entries = list(group_processes(self.process.pid))
        total = sum(status_kib(e, "VmRSS") for e in entries)
        self.peak_kib[self.phase] = max(self.peak_kib[self.phase], total)
        largest = max((status_kib(e, "VmHWM") for e in entries), default=0)
        self.largest_kib = max(self.largest_kib, largest)
        self.processes = max(self.processes, len(entries))

    def cpu(self) -> float:
        assert self.process is not None
        return sum(cpu_seconds(e) for e in group_processes(self.process.pid))

    def stop(self) -> None:
        """SIGTERM (gunicorn lets its workers finish their requests), SIGKILL if it hangs."""
        self._stop.set()
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(True for _ in group_processes(self.process.pid)):
            if time.monotonic() > deadline:
                os.killpg(self.process.pid, signal.SIGKILL)
                break
            time.sleep(0.05)


# --- phases ----------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    clients: int
    seconds: float  # wall time from the start to the last client's last answer
    server_cpu: float
    bench_cpu: float
    samples: list[Sample]

    @property
    def answered(self) -> list[Sample]:
        return [s for s in self.samples if s.status]

    @property
    def rate(self) -> float:
        return len(self.answered) / self.seconds if self.seconds else 0.0

    def statuses(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for s in self.samples:
            if s.status == 0:
                counts["no answer"] += 1
            elif s.status == 503:
                counts["503"] += 1
            else:
                counts[f"{s.status // 100}xx"] += 1
        return counts


def merge(runs: list[Phase]) -> Phase:
    return Phase(
        runs[0].name, runs[0].clients, sum(r.seconds for r in runs),
        sum(r.server_cpu for r in runs), sum(r.bench_cpu for r in runs),
        [s for r in runs for s in r.samples],
    )  # fmt: skip


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_phase(
    name: str, clients: list[LoadClient], kinds: dict[str, int], seconds: float,
    ops: int | None, server: Server, recorder: Recorder,
) -> Phase:  # fmt: skip
    server.phase = name
    with recorder.lock:
        before = len(recorder.samples)
    cpu_server, cpu_bench = server.cpu(), own_cpu()
    started = time.monotonic()
    until = started + seconds
    threads = [
        threading.Thread(target=c.run, args=(kinds, until, ops), daemon=True) for c in clients
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    server.measure()
    with recorder.lock:
        samples = [s for s in recorder.samples[before:] if s.phase == name]
    return Phase(name, len(clients), elapsed, server.cpu() - cpu_server, own_cpu() - cpu_bench,
                 samples)  # fmt: skip


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# --- setup -----------------------------------------------------------------------------------


def environment(data: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CASEWORK_DATA_DIR=str(data), CASEWORK_DEBUG="0", CASEWORK_HTTPS="0",
               PYTHONUNBUFFERED="1")  # fmt: skip
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def casework(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "casework.cli", *args],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"casework {' '.join(args[:2])} failed:\n{done.stdout}{done.stderr}")
    return done


def timed(what: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = what()
    return result, time.perf_counter() - started


def discover(server: Server, run: str, recorder: Recorder, personas: list[Persona]) -> int:
    """Each persona's open cases (from its caseload) and the colleague referrals go to."""
    for i, persona in enumerate(personas):
        probe = LoadClient(server.port, run, "setup", 0, i, persona, 0, recorder, 0)
        answer = probe.send("setup", "GET", "/api/v1/caseload")
        if answer is None or answer.status != 200 or not answer.body:
            raise RuntimeError(f"{persona.username} has no caseload to work on")
        persona.cases = [(c["id"], c["client"], c["program"]) for c in answer.body]
    answer = probe.send("setup", "GET", "/api/v1/staff?limit=100")
    staff = answer.body["items"] if answer and isinstance(answer.body, dict) else []
    found = [s["id"] for s in staff if s["username"] == REFERRED_TO]
    if not found:
        raise RuntimeError(f"no staff member {REFERRED_TO} to refer to (is the demo loaded?)")
    return int(found[0])


@dataclass
class Result:
    engine: str
    args: argparse.Namespace
    setup: dict[str, float]
    rounds: dict[str, list[Phase]]  # each phase, once per round
    server: Server
    check: dict[str, Any]
    verify: str
    problems: list[str]

    @property
    def phases(self) -> dict[str, Phase]:
        """Each phase's rounds as one: their samples, seconds and CPU added up."""
        return {name: merge(runs) for name, runs in self.rounds.items()}


def run(args: argparse.Namespace) -> int:
    work = Path(args.workdir or tempfile.mkdtemp(prefix="casework-bench-load-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return _run(args, work)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _run(args: argparse.Namespace, work: Path) -> int:
    env = environment(work / "data", args.database_url)
    run_id = f"lb{uuid.uuid4().hex[:8]}"  # every key, marker and request id of this run
    setup: dict[str, float] = {}
    where = args.database_url.rsplit("/", 1)[-1] if args.database_url else work
    print(f"loading the {args.agency} agency ({where}) ...", flush=True)
    if args.agency == "demo":
        _, setup["demo"] = timed(lambda: casework(env, "demo", "--password", uuid.uuid4().hex))
    else:
        small = [sys.executable, __file__, "_small", "--users", str(args.users), "--cases", "8"]
        _, setup["small agency"] = timed(
            lambda: subprocess.run(small, env={**env, "DJANGO_SETTINGS_MODULE":
                                               "casework.settings"}, check=True, timeout=600)
        )  # fmt: skip

    users = USERS[: args.users]

    def token(username: str) -> Persona:
        done = casework(env, "token", "create", username, "--name", run_id, "--days", "1")
        return Persona(username, done.stdout.split()[0])

    with ThreadPoolExecutor(4) as pool:
        personas, setup["tokens"] = timed(lambda: list(pool.map(token, users)))

    ledger_path = work / "acknowledged.jsonl"
    recorder = Recorder(ledger_path)
    server = Server(env, work / "serve.log", args.workers)
    print(f"starting casework serve ({args.workers} workers) ...", flush=True)
    _, setup["serve start"] = timed(server.start)
    rounds: dict[str, list[Phase]] = defaultdict(list)
    try:
        referred_to = discover(server, run_id, recorder, personas)

        def clients(phase: str, round_: int, n: int) -> list[LoadClient]:
            return [
                LoadClient(server.port, run_id, phase, round_, i, personas[i % len(personas)],
                           referred_to, recorder, args.seed * 10_000 + round_ * 100 + i)
                for i in range(n)
            ]  # fmt: skip

        # Warm-up: each worker's first requests fill its caches; shown, but in no ratio.
        if args.warmup_seconds > 0:
            warm = clients("warmup", 0, 4)
            rounds["warmup"].append(
                run_phase("warmup", warm, MIX, args.warmup_seconds, None, server, recorder)
            )
        plan = [
            (FLOOR, args.clients, {FLOOR: 1}, args.floor_seconds),
            ("single", 1, MIX, args.single_seconds),
            ("load", args.clients, MIX, args.seconds),
        ]
        # Rounds interleave the phases, so that a change in the machine's load (it is shared)
        # falls on each phase alike.
        for round_ in range(1, args.rounds + 1):
            for name, n, kinds, seconds in plan:
                if seconds <= 0 and not (name == "load" and args.ops):
                    continue
                print(f"round {round_}, {name}: {n} client(s) for "
                      f"{_duration(seconds, args.ops if name == 'load' else None)} ...",
                      flush=True)  # fmt: skip
                ops = args.ops if name == "load" else None
                rounds[name].append(run_phase(name, clients(name, round_, n), kinds, seconds,
                                              ops, server, recorder))  # fmt: skip
    finally:
        server.stop()
        recorder.log.close()

    check = json.loads(
        subprocess.run(
            [sys.executable, __file__, "_check", "--run", run_id, "--ledger", str(ledger_path)],
            env={**env, "DJANGO_SETTINGS_MODULE": "casework.settings"},
            capture_output=True, text=True, check=True, timeout=600,
        ).stdout.splitlines()[-1]
    )  # fmt: skip
    verified = subprocess.run(
        [sys.executable, "-m", "casework.cli", "audit", "verify"],
        env=env, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    problems = recorder.problems + check["problems"]
    if verified.returncode or "audit chain intact" not in verified.stdout:
        problems.append(f"casework audit verify: {verified.stdout}{verified.stderr}".strip())
    result = Result(check["engine"], args, setup, dict(rounds), server, check,
                    verified.stdout.strip(), problems)  # fmt: skip
    report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(summary(result), indent=2))
    return 1 if problems else 0


def _duration(seconds: float, ops: int | None) -> str:
    return f"{ops} operations each" if ops else f"{seconds:g} s"


# --- the report -------------------------------------------------------------------------------


def latency(samples: list[Sample]) -> dict[str, float]:
    times = [s.seconds * 1000 for s in samples if 200 <= s.status < 300]
    if not times:
        return {}
    return {"p50": percentile(times, 50), "p95": percentile(times, 95),
            "p99": percentile(times, 99), "max": max(times)}  # fmt: skip


def summary(result: Result) -> dict[str, Any]:
    """The figures and the checks, for ``--json`` (the smoke test reads the checks)."""
    phases = {}
    for name, phase in result.phases.items():
        by_kind: dict[str, list[Sample]] = defaultdict(list)
        for s in phase.samples:
            by_kind[s.kind].append(s)
        phases[name] = {
            "clients": phase.clients,
            "seconds": phase.seconds,
            "requests": len(phase.answered),
            "requests_per_second": phase.rate,
            "requests_per_second_by_round": [r.rate for r in result.rounds[name]],
            "statuses": dict(phase.statuses()),
            "latency_ms": {kind: latency(samples) for kind, samples in by_kind.items()},
            "server_cpu_seconds": phase.server_cpu,
            "bench_cpu_seconds": phase.bench_cpu,
        }
    statuses: Counter[str] = Counter()
    for phase in result.phases.values():
        statuses.update(phase.statuses())
    return {
        "engine": result.engine,
        "setup_seconds": result.setup,
        "phases": phases,
        "ratios": ratios(result),
        "server_peak_rss_mib": {k: v / 1024 for k, v in result.server.peak_kib.items()},
        "statuses": dict(statuses),
        "checks": result.check["counts"],
        "audit_verify": result.verify,
        "problems": result.problems,
    }


def ratios(result: Result) -> dict[str, float]:
    """Each ratio within each round (the same machine state), then the median over rounds."""
    found: dict[str, float] = {}
    loads = result.rounds.get("load", [])
    for name, label in ((FLOOR, "load / floor"), ("single", "load / single client")):
        others = result.rounds.get(name, [])
        pairs = [(a.rate, b.rate) for a, b in zip(loads, others, strict=False) if b.rate]
        if pairs:
            found[label] = statistics.median(a / b for a, b in pairs)
    floors = result.rounds.get(FLOOR, [])
    quoted = PERFORMANCE_MD_FLOOR.get(result.engine.split()[0])
    if floors and quoted:
        found["floor / performance.md"] = statistics.median(f.rate for f in floors) / quoted
    return found


def report(result: Result) -> None:
    args = result.args
    print()
    print(
        f"{result.engine}, Python {platform.python_version()}, {os.cpu_count()} CPUs, load "
        f"average {os.getloadavg()[0]:.1f}; casework serve with {args.workers} sync workers; "
        f"{args.users} case managers; client and server share the machine"
    )
    print("setup (not measured): " + ", ".join(f"{k} {v:.1f} s" for k, v in result.setup.items()))
    print()
    print("| phase | clients | requests | req/s | p50 / p95 ms | 2xx | 4xx | 503 (retried) | 5xx "
          "| no answer | CPU s: server / bench |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    titles = {"warmup": "warm-up, the mix (not measured)",
              FLOOR: f"floor: GET {FLOOR_PATH.split('?')[0]}", "single": "the mix, one client",
              "load": "the mix, the load"}  # fmt: skip
    for name, phase in result.phases.items():
        counts = phase.statuses()
        got = latency(phase.samples) or {"p50": 0.0, "p95": 0.0}
        print(
            f"| {titles[name]} | {phase.clients} | {len(phase.answered):,} | {phase.rate:,.1f} "
            f"| {got['p50']:.0f} / {got['p95']:.0f} | {counts['2xx']:,} | {counts['4xx']:,} "
            f"| {counts['503']:,} | {counts['5xx']:,} | {counts['no answer']:,} "
            f"| {phase.server_cpu:.1f} / {phase.bench_cpu:.1f} in {phase.seconds:.1f} s |"
        )
    if args.rounds > 1:
        print()
        for name, runs in result.rounds.items():
            if name == "warmup":
                continue
            rates = ", ".join(f"{r.rate:,.1f}" for r in runs)
            print(f"req/s by round, {titles[name]}: {rates}")
    for name in ("load", "single"):
        mixed = result.phases.get(name)
        if mixed is None:
            continue
        print()
        print(f"| {titles[name]}: operation | share | 2xx | p50 ms | p95 ms | p99 ms | max ms |")
        print("|---|---|---|---|---|---|---|")
        by_kind: dict[str, list[Sample]] = defaultdict(list)
        for s in mixed.samples:
            by_kind[s.kind].append(s)
        total = len(mixed.samples) or 1
        for kind, samples in [*sorted(by_kind.items()), ("all", mixed.samples)]:
            got = latency(samples)
            if not got:
                continue
            ok = sum(1 for s in samples if 200 <= s.status < 300)
            print(f"| {kind} | {len(samples) / total:.0%} | {ok:,} | {got['p50']:.1f} "
                  f"| {got['p95']:.1f} | {got['p99']:.1f} | {got['max']:.0f} |")  # fmt: skip
    print()
    notes = {
        "load / floor": "the mix against the cheapest audited read, same clients, same server",
        "load / single client": "what concurrency buys over one client at a time",
        "floor / performance.md": "against the quoted token + page of 25 rows, which writes no "
        f"audit row ({PERFORMANCE_MD_FLOOR.get(result.engine.split()[0], 0):,.0f} req/s, wrk, "
        "another run)",
    }
    for label, value in ratios(result).items():
        print(f"ratio {label}: {value:.2f} ({notes[label]})")
    peaks = result.server.peak_kib
    print(
        f"server peak RSS ({result.server.processes} processes: master and workers): "
        + ", ".join(f"{k} {v / 1024:.0f} MiB" for k, v in peaks.items() if k in result.phases)
        + f"; largest single process {result.server.largest_kib / 1024:.0f} MiB; "
        f"load generator {status_kib(Path('/proc/self'), 'VmHWM') / 1024:.0f} MiB"
    )
    print("checks: " + ", ".join(f"{k} {v:,}" for k, v in result.check["counts"].items()))
    print(f"integrity: {result.check['integrity']}; {result.verify}")
    if result.problems:
        print(f"\nFAILED: {len(result.problems)} problems")
        for problem in result.problems[:20]:
            print(f"- {problem}")
    else:
        print("no 5xx, no refused request, no lost or duplicate row, audit chain intact")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="child")
    check = sub.add_parser("_check")
    check.add_argument("--run", required=True)
    check.add_argument("--ledger", required=True)
    small = sub.add_parser("_small")
    small.add_argument("--users", type=int, required=True)
    small.add_argument("--cases", type=int, required=True)
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients of the load")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the load phase")
    parser.add_argument("--ops", type=int, help="operations per load client instead of --seconds")
    parser.add_argument("--floor-seconds", type=float, default=10.0, help="0 skips the floor")
    parser.add_argument("--single-seconds", type=float, default=10.0, help="0 skips it")
    parser.add_argument("--warmup-seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3, help="floor, single, load, K times")
    parser.add_argument("--users", type=int, default=6, choices=range(1, len(USERS) + 1),
                        metavar=f"1-{len(USERS)}", help="demo case managers acting")  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--agency", choices=["demo", "small"], default="demo",
                        help="small: 8 cases per case manager, for a quick check")  # fmt: skip
    parser.add_argument("--database-url", help="PostgreSQL: an existing database (else SQLite)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="also write the figures and checks to this file")
    parser.add_argument("--workdir", help="scratch directory (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    if args.child == "_check":
        child_check(args)
        return
    if args.child == "_small":
        child_small(args)
        return
    sys.exit(run(args))


if __name__ == "__main__":
    main()
