"""DUR-07: point-in-time recovery of PostgreSQL from a base backup and the WAL archive, drilled.

A throwaway PostgreSQL 15 cluster (``pgcluster``) runs with ``archive_mode = on`` and, as its
``archive_command``, ``casework/ops/walarchive.py`` run on its own by the server's user with the
system's Python (the same code as ``casework wal-archive``; the project's interpreter is often
out of that user's reach). Then, with ``casework`` in subprocesses:

1. a writer migrates the new database (what ``casework migrate`` does), then registers clients
   through the services, each with its audit row, and keeps writing while ``casework
   backup-base`` takes, verifies and seals the base backup, and for a moment after;
2. once that writer has exited, the test notes every table's hash, the audit chain head and the
   server's clock: the moment T. A second writer writes after T; the WAL is switched and the
   test waits until the archive has it;
3. ``casework restore-base --archive --target-time T`` unpacks the backup into a second data
   directory; that cluster is started, replays the archive and pauses at T (read-only).

Checked: every table hashes as it did at T (so exactly the rows committed before T are there:
all of the first writer's, none of the second's), the audit head is T's and ``casework audit
verify --head`` with it passes; after ``pg_promote()`` the restored cluster takes writes
through the services and its chain still verifies. Also: the archive command's contract (the
same file again is fine, another file under a taken name is refused and left alone), and the
refusals of ``restore-base``.

Needs root (the server binaries run as ``postgres``) and the binaries; skipped otherwise. Marked
``durability``, so CI runs it once, in the SQLite pass (it makes its own cluster either way).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from casework.cli import main
from casework.ops import backup as ops
from casework.ops import walarchive
from tests.durability import pgcluster
from tests.integration.test_backup import SRC, WRITER, cli, inspect

pytestmark = pytest.mark.durability


@dataclass
class Drill:
    root: Path
    key_file: Path
    archive: Path
    backup: Path
    source_env: dict[str, str]
    at_t: dict[str, Any]  # every table's digest and the audit verdict at T
    head_at_t: str
    moment: dt.datetime
    written_before: int
    written_after: int
    restored: pgcluster.Cluster
    timings: dict[str, float]

    def env(self, cluster: pgcluster.Cluster) -> dict[str, str]:
        return {**self.source_env, "DATABASE_URL": cluster.url("casework")}


def _environment(root: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != ops.KEY_ENV}
    env.update(DATABASE_URL=url, CASEWORK_DATA_DIR=str(root / "casework"))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
    return env


def _start_writer(env: dict[str, str], stop: Path) -> subprocess.Popen[str]:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert writer.stdout is not None
    if writer.stdout.readline().strip() != "ready":
        writer.kill()
        raise AssertionError(f"the writer did not start: {writer.communicate()[1][-3000:]}")
    return writer


def _stop_writer(writer: subprocess.Popen[str], stop: Path) -> int:
    stop.touch()
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err[-3000:]
    return int(out.split()[-1])


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def drill() -> Iterator[Drill]:
    reason = pgcluster.unavailable()
    python = pgcluster.server_python() if reason is None else None
    if reason is None and python is None:
        reason = "no python3 that the postgres user can run, for archive_command"
    pgcluster.skip_unless_possible(reason)
    root = pgcluster.scratch_root("casework-pitr-")
    clusters: list[pgcluster.Cluster] = []
    try:
        yield _run_drill(root, str(python), clusters)
    finally:
        for cluster in clusters:
            cluster.kill()  # its files are thrown away next
        pgcluster.remove(root)


def _run_drill(root: Path, python: str, clusters: list[pgcluster.Cluster]) -> Drill:
    timings: dict[str, float] = {}
    archive = root / "archive"
    archive.mkdir()
    pgcluster.give_to_server_user(archive)
    script = root / "walarchive.py"
    shutil.copyfile(walarchive.__file__, script)
    script.chmod(0o644)
    # 1 MiB WAL segments (not 16): smaller files to copy, and archive_command runs more often.
    source = pgcluster.Cluster.create(
        root / "source",
        {"archive_mode": "on", "archive_command": f"'{python} {script} %p {archive}/%f'"},
        initdb_options=["--wal-segsize=1"],
    )
    # As on a server that was itself restored once: its old recovery settings are in the
    # backup, and must not steer the next restore (two targets would stop the server).
    with (source.datadir / "postgresql.auto.conf").open("a") as conf:
        conf.write("recovery_target_name = 'an earlier restore'\n")
    clusters.append(source)
    source.start()
    source.sql("CREATE DATABASE casework")
    env = _environment(root, source.url("casework"))
    key_file = root / "backup.key"
    key_file.write_text(ops.generate_key() + "\n")
    key_file.chmod(0o600)
    backups = root / "backups"
    backups.mkdir()

    stop = root / "stop-1"  # the writer migrates the new database first
    writer = _start_writer(env, stop)
    try:
        started = time.monotonic()
        made = _ok(cli(env, "backup-base", str(backups), "--key-file", str(key_file)))
        timings["base backup"] = time.monotonic() - started
        assert writer.poll() is None, "the writer stopped before the backup was done"
        time.sleep(0.5)  # writes after the backup, replayed from the archive
    finally:
        written_before = _stop_writer(writer, stop)
    (backup,) = backups.glob(f"*{ops.SUFFIX}")
    assert made.startswith(f"wrote {backup}") and "checked with pg_verifybackup" in made

    ((seq, digest),) = source.sql(
        "SELECT seq, hash FROM audit_auditevent ORDER BY seq DESC LIMIT 1", "casework"
    )
    head = f"{seq}:{digest}"
    at_t = inspect(env, head)
    ((moment,),) = source.sql("SELECT clock_timestamp()")
    stop = root / "stop-2"
    written_after = _stop_writer(_start_writer(env, stop), stop)
    source.archive_current_wal()

    restored = pgcluster.Cluster(root / "restored")
    restored.datadir.mkdir()
    pgcluster.give_to_server_user(restored.datadir)
    started = time.monotonic()
    _ok(
        cli(env, "restore-base", str(backup), str(restored.datadir), "--key-file", str(key_file),
            "--archive", str(archive), "--target-time", moment.isoformat())
    )  # fmt: skip
    timings["restore-base"] = time.monotonic() - started
    started = time.monotonic()
    clusters.append(restored)
    restored.start(wait_for_writes=False)
    restored.wait_recovery_paused()
    timings["start and recover to T"] = time.monotonic() - started
    return Drill(
        root, key_file, archive, backup, env, at_t, head, moment, written_before, written_after,
        restored, timings,
    )  # fmt: skip


def test_restore_to_a_moment_between_backups(drill: Drill) -> None:
    """Base backup during writes + archived WAL + a target time: the database as it was."""
    restored = drill.env(drill.restored)
    assert drill.at_t["audit"]["ok"], drill.at_t["audit"]["reason"]
    found = inspect(restored, drill.head_at_t)
    expected = {k: ops.TableDigest(**v) for k, v in drill.at_t["tables"].items()}
    tables = {k: ops.TableDigest(**v) for k, v in found["tables"].items()}
    assert ops.compare(expected, tables) == [], "the restored tables differ from T's"
    clients = tables["clients_client"].rows
    assert clients == drill.written_before > 25, "the writes made during the backup are gone"
    assert found["audit"]["ok"], found["audit"]["reason"]
    verified = _ok(cli(restored, "audit", "verify", "--head", drill.head_at_t))
    assert f"audit chain intact: {drill.head_at_t.split(':')[0]} rows" in verified

    assert drill.restored.sql("SELECT pg_promote()") == [(True,)]
    stop = drill.root / "stop-3"
    written = _stop_writer(_start_writer(restored, stop), stop)
    assert "audit chain intact" in _ok(cli(restored, "audit", "verify", "--head", drill.head_at_t))
    count = drill.restored.sql("SELECT count(*) FROM clients_client", "casework")
    assert count == [(clients + written,)]
    sizes = drill.backup.stat().st_size / 2**20
    print(
        f"\nPITR drill: base backup {sizes:.1f} MiB; "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in drill.timings.items())
        + f"; {drill.written_before} clients before T, {drill.written_after} after (not restored)"
    )


def test_base_backup_is_sealed(drill: Drill, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing of the database is readable in the file, and it is no logical backup."""
    data = drill.backup.read_bytes()
    assert data.startswith(ops.MAGIC) and b"PG_VERSION" not in data and b"base.tar" not in data
    assert main(["restore", str(drill.backup), "--key-file", str(drill.key_file)]) == 1
    assert "this is a PostgreSQL base backup: restore it with casework restore-base" in (
        capsys.readouterr().err
    )


def _restore_base(drill: Drill, backup: Path, datadir: Path, *more: str) -> int:
    return main(["restore-base", str(backup), str(datadir), "--key-file", str(drill.key_file),
                 "--archive", str(drill.archive), *more])  # fmt: skip


def test_restore_base_refusals(
    drill: Drill, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "PG_VERSION").write_text("15\n")
    assert _restore_base(drill, drill.backup, used) == 1
    assert "is not an empty directory" in capsys.readouterr().err
    assert [p.name for p in used.iterdir()] == ["PG_VERSION"]

    fresh = tmp_path / "fresh"
    assert _restore_base(drill, drill.backup, fresh, "--target-time", "2025-03-01 14:30") == 1
    assert "is not a time with its zone" in capsys.readouterr().err
    assert not fresh.exists()

    altered = tmp_path / "altered.cwbackup"
    data = bytearray(drill.backup.read_bytes())
    data[len(data) * 3 // 4] ^= 0x01  # inside base.tar or pg_wal.tar, after files were written
    altered.write_bytes(bytes(data))
    fresh.mkdir()
    assert _restore_base(drill, altered, fresh) == 1
    assert "damaged or was altered" in capsys.readouterr().err
    assert list(fresh.iterdir()) == [], "a refused restore left files behind"


def test_wal_archive_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The archive_command contract, through ``casework wal-archive`` and the file run alone."""
    archive = tmp_path / "archive"
    archive.mkdir()
    segment = tmp_path / "000000010000000000000007"
    segment.write_bytes(os.urandom(1 << 16))
    target = archive / segment.name
    assert main(["wal-archive", str(segment), str(target)]) == 0
    assert target.read_bytes() == segment.read_bytes()
    assert main(["wal-archive", str(segment), str(target)]) == 0  # archived again after a crash

    kept = target.read_bytes()
    segment.write_bytes(os.urandom(1 << 16))
    assert main(["wal-archive", str(segment), str(target)]) == 1
    assert "already exists with other content: refusing to overwrite it" in capsys.readouterr().err
    assert target.read_bytes() == kept
    alone = [sys.executable, walarchive.__file__, str(segment), str(target)]
    refused = subprocess.run(alone, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert refused.returncode == 1 and "refusing to overwrite" in refused.stderr
    assert target.read_bytes() == kept

    assert main(["wal-archive", str(segment), str(tmp_path / "nowhere" / segment.name)]) == 1
    assert "no archive directory" in capsys.readouterr().err
    assert sorted(p.name for p in archive.iterdir()) == [segment.name], "temporary files left"
