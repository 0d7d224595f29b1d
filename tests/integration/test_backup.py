"""DUR-07: backups and the restore drill.

A backup taken while another process keeps writing (clients and their audit rows, through the
services) restores into a fresh database whose tables hash to the manifest's values and whose
audit chain verifies up to the manifest's head; a wrong key, an altered or cut file, a target
that holds data (without --force) and a backup without a key are refused with one line.

The databases are real files (SQLite) or scratch databases next to the test database
(PostgreSQL, with pg_dump and pg_restore), driven by ``casework`` in subprocesses; refusals that
happen before any database is touched run in-process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection

from casework.cli import main
from casework.ops import backup as ops

SRC = Path(__file__).resolve().parents[2] / "src"

# Migrates, then keeps registering clients, each with an audit row, until the stop file appears.
WRITER = """
import datetime as dt, os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from casework.audit.events import record
from casework.clients.services import register_client
call_command("migrate", verbosity=0)
actor, _ = get_user_model().objects.get_or_create(username="backup_writer")
stop, written = sys.argv[1], 0
while not os.path.exists(stop):
    with transaction.atomic():
        client = register_client(
            actor=actor,
            data={"given_name": f"Writer{written}", "family_name": "Backup",
                  "birth_date": dt.date(1950, 1, 1) + dt.timedelta(days=written)},
            identifiers=[], confirmed_new_person=True,
        )
        record("create", user=actor, object_type="client", object_id=client.pk,
               client_id=client.pk)
    written += 1
    time.sleep(0.002)  # a busy agency, not a loop that starves every other writer of the lock
    if written == 25:
        print("ready", flush=True)
print(written, flush=True)
"""

# Prints every table's digest and the audit chain verdict (up to argv[1], a SEQ:HASH head).
INSPECT = """
import json, os, sqlite3, sys
from dataclasses import asdict
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
django.setup()
from django.db import connection, transaction
from casework.audit import chain
from casework.ops.backup import postgres_digests, sqlite_digests
if connection.vendor == "sqlite":
    found = sqlite_digests(sqlite3.connect(connection.settings_dict["NAME"]))
else:
    with transaction.atomic():
        found = postgres_digests(connection)
verdict = chain.verify(chain.Head.parse(sys.argv[1]))
print(json.dumps({"tables": {k: asdict(v) for k, v in found.items()},
                  "audit": {"ok": verdict.ok, "rows": verdict.rows, "reason": verdict.reason}}))
"""


@dataclass
class Scratch:
    """Databases for the drill: SQLite files, or PostgreSQL databases made on first use."""

    root: Path
    key_file: Path
    postgres: dict[str, Any] | None
    made: list[str] = field(default_factory=list)

    def env(self, name: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != ops.KEY_ENV}
        env["CASEWORK_DATA_DIR"] = str(self.root / "data")
        env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
        if self.postgres is None:
            env["DATABASE_URL"] = f"sqlite:///{self.root / name}.sqlite3"
            return env
        database = f"cw_backup_{os.getpid()}_{name}"
        if database not in self.made:
            self._admin(f'CREATE DATABASE "{database}"')
            self.made.append(database)
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = url._replace(path=f"/{database}").geturl()
        return env

    def _admin(self, statement: str) -> None:
        import psycopg

        assert self.postgres is not None
        with psycopg.connect(**self.postgres, dbname="postgres", autocommit=True) as admin:
            admin.execute(statement)

    def drop_all(self) -> None:
        for database in self.made:
            self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@dataclass
class Drill:
    scratch: Scratch
    backup: Path
    plain: Path
    manifest: ops.Manifest
    written: int


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casework.cli", *args],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def spawn(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "casework.cli", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def inspect(env: dict[str, str], head: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", INSPECT, head],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def key_of(path: Path) -> bytes:
    key = ops.load_key(path)
    assert key is not None
    return key


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    root = tmp_path_factory.mktemp("backup")
    key_file = root / "backup.key"
    key_file.write_text(ops.generate_key() + "\n")
    key_file.chmod(0o600)
    postgres = None
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        postgres = {
            k.lower(): settings[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if settings[k]
        }
    made = Scratch(root, key_file, postgres)
    try:
        yield made
    finally:
        if postgres is not None:
            made.drop_all()


@pytest.fixture(scope="module")
def drill(scratch: Scratch) -> Drill:
    """Start a writer on a new source database, back up while it writes, stop it."""
    source = scratch.env("source")
    stop = scratch.root / "stop-writer"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop)],
        env=source, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready", writer.stderr and writer.stderr.read()
        destination = scratch.root / "backups"
        destination.mkdir()
        plain = scratch.root / f"plain{ops.SUFFIX}"
        # Two backups at once, both during the writes: encrypted, and one with --unencrypted.
        unencrypted = spawn(source, "backup", str(plain), "--unencrypted")
        made = cli(source, "backup", str(destination), "--key-file", str(scratch.key_file))
        made_plain = unencrypted.communicate(timeout=120)
        time.sleep(0.2)  # the writer goes on after the snapshots too
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert made.returncode == 0, made.stderr
    assert unencrypted.returncode == 0, made_plain[1]
    assert "NOT encrypted" in made_plain[0]
    (backup,) = destination.glob(f"*{ops.SUFFIX}")
    assert made.stdout.startswith(f"wrote {backup}")
    assert "encrypted (AES-256-GCM)" in made.stdout
    assert backup.stat().st_mode & 0o077 == 0
    manifest = ops.read_manifest(backup, key=key_of(scratch.key_file))
    return Drill(scratch, backup, plain, manifest, written=int(out.split()[-1]))


def test_backup_during_writes_restores_into_a_fresh_database(drill: Drill) -> None:
    manifest, scratch = drill.manifest, drill.scratch
    assert manifest.engine == connection.vendor and manifest.encrypted
    clients = manifest.tables["clients_client"].rows
    # Taken while the writer ran: rows from before the backup, and more written after it.
    assert 25 <= clients < drill.written
    audit = manifest.tables["audit_auditevent"].rows
    assert manifest.audit_head.startswith(f"{audit}:")

    target = scratch.env("fresh")
    restored = cli(target, "restore", str(drill.backup), "--key-file", str(scratch.key_file))
    assert restored.returncode == 0, restored.stderr
    assert "match the backup's hashes" in restored.stdout
    assert "audit chain intact" in restored.stdout

    found = inspect(target, manifest.audit_head)
    assert found["audit"]["ok"], found["audit"]["reason"]
    tables = {k: ops.TableDigest(**v) for k, v in found["tables"].items()}
    # Every table as backed up; the audit trail gains one row, the restore's own.
    assert (
        ops.compare(
            {k: v for k, v in manifest.tables.items() if k != "audit_auditevent"},
            {k: v for k, v in tables.items() if k != "audit_auditevent"},
        )
        == []
    )
    assert tables["audit_auditevent"].rows == audit + 1 == found["audit"]["rows"]


def _refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    return err


@pytest.fixture
def no_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process refusals must come before the (test) database would be replaced."""

    def refuse(*args: Any) -> Any:
        raise AssertionError("a refused backup reached the database")

    monkeypatch.setattr(ops, "_sqlite_load", refuse)
    monkeypatch.setattr(ops, "_postgres_load", refuse)


def test_wrong_key_is_refused(
    drill: Drill,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    no_load: None,
) -> None:
    monkeypatch.delenv(ops.KEY_ENV, raising=False)
    other = tmp_path / "other.key"
    other.write_text(ops.generate_key())
    err = _refused(capsys, "restore", str(drill.backup), "--key-file", str(other))
    assert err.startswith("casework restore: wrong key")
    err = _refused(capsys, "restore", str(drill.backup))  # no key at all
    assert "this backup is encrypted: set CASEWORK_BACKUP_KEY or give --key-file" in err
    other.write_text("not a key")
    err = _refused(capsys, "restore", str(drill.backup), "--key-file", str(other))
    assert "must be 32 bytes in URL-safe base64" in err


@pytest.mark.parametrize("damage", ["flipped byte", "cut short", "data appended", "not a backup"])
def test_altered_backup_is_refused(
    drill: Drill,
    damage: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    no_load: None,
    db: Any,
) -> None:
    data = bytearray(drill.backup.read_bytes())
    if damage == "flipped byte":
        data[len(data) // 2] ^= 0x01
    elif damage == "cut short":
        del data[-10:]
    elif damage == "data appended":
        data += b"\0"
    else:
        data = bytearray(b"SQLite format 3\0" + bytes(data[16:]))
    altered = tmp_path / "altered.cwbackup"
    altered.write_bytes(bytes(data))
    err = _refused(capsys, "restore", str(altered), "--key-file", str(drill.scratch.key_file))
    expected = {
        "flipped byte": "damaged or was altered",
        "cut short": "truncated",
        "data appended": "data after its end",
        "not a backup": "not a Casework backup file",
    }[damage]
    assert expected in err and "Traceback" not in err


def test_restore_refuses_a_database_holding_data(
    drill: Drill, case_manager: Any, capsys: pytest.CaptureFixture[str], no_load: None
) -> None:
    key = ("--key-file", str(drill.scratch.key_file))
    err = _refused(capsys, "restore", str(drill.backup), *key)
    assert "the configured database is not empty" in err
    assert "tables hold data" in err and "pass --force to replace it" in err


def test_force_replaces_a_database_holding_data_and_unencrypted_needs_saying(
    drill: Drill, capsys: pytest.CaptureFixture[str], no_load: None
) -> None:
    """The unencrypted backup, restored over the source itself with --force and
    --unencrypted: the rows written after the backup are gone."""
    err = _refused(capsys, "restore", str(drill.plain), "--key-file", str(drill.scratch.key_file))
    assert "not encrypted" in err and "--unencrypted" in err
    manifest = ops.read_manifest(drill.plain, key=None, unencrypted=True)
    assert not manifest.encrypted and manifest.engine == connection.vendor
    clients = manifest.tables["clients_client"]
    assert 25 <= clients.rows < drill.written

    source = drill.scratch.env("source")
    forced = cli(source, "restore", str(drill.plain), "--unencrypted", "--force")
    assert forced.returncode == 0, forced.stderr
    # The restore's own check: every table (clients too) hashes as in the manifest.
    assert "match the backup's hashes" in forced.stdout
    assert "audit chain intact" in forced.stdout


def test_no_unencrypted_backup_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ops.KEY_ENV, raising=False)
    dest = tmp_path / "plain.cwbackup"
    err = _refused(capsys, "backup", str(dest))
    assert "refusing to write an unencrypted backup" in err
    monkeypatch.setenv(ops.KEY_ENV, ops.generate_key())
    err = _refused(capsys, "backup", str(dest), "--unencrypted")
    assert "choose one" in err
    assert not dest.exists()
