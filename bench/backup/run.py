"""Benchmark ``casework backup`` and ``casework restore``: the restore drill of DUR-07, timed.

What it does, in order:

1. builds a source database in a scratch directory: migrated, optionally with the demo agency
   (``--demo``, the same data as ``casework demo``), plus ``--clients`` synthetic clients, each
   with an identifier and an audit row appended to the hash chain (so the audit table grows
   with the data). The build is timed but is not what is measured;
2. starts a writer process that registers clients through the services, each with its audit
   row, at about ``--write-rate`` per second, and keeps it running;
3. runs ``casework backup DEST --key-file K`` while the writer writes (each run a fresh
   process; wall time of the whole process and its peak RSS, including pg_dump's on
   PostgreSQL, from ``wait4``), then stops the writer;
4. restores each backup into a fresh database with ``casework restore``, which recomputes
   every table's hash against the manifest and walks the audit chain (same measurements),
   and checks that it said so.

``--repeat K`` runs steps 3-4 K times (a fresh target each time) and reports the median and
the range. SQLite by default (files in the scratch directory); for PostgreSQL pass
``--source-url`` and ``--target-url`` naming two existing empty databases (repeats after the
first restore with ``--force``).

``--pitr`` times point-in-time recovery on PostgreSQL instead, on a throwaway cluster with a
WAL archive (as ``tests/durability`` makes them: root and the PostgreSQL 15 binaries needed):
the same build, ``casework backup-base`` K times while the writer writes, more writes, a moment
T, more writes; then, for each base backup, ``casework restore-base --target-time T`` into a new
data directory, and the restored server's start and replay until it pauses at T (its clients
counted against T's).

Usage: ``python bench/backup/run.py [--clients N] [--demo] [--repeat K] [--pitr]``. Not part of
the test suite. Only the standard library is imported at module level; the children import
Casework from ``src/`` (found relative to this file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SRC = REPO / "src"


# --- children ------------------------------------------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    import django

    django.setup()


def child_build(args: argparse.Namespace) -> None:
    """Migrate, load the demo if asked, then add synthetic clients with their audit rows."""
    _django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from casework.audit import chain
    from casework.clients.models import Client, ClientIdentifier

    call_command("migrate", verbosity=0)
    if args.demo:
        from casework.demo import build_demo

        build_demo(password="demo")
    actor, _ = get_user_model().objects.get_or_create(username="bench_loader")
    batch, made, day = 5_000, 0, dt.date(1940, 1, 1)
    while made < args.clients:
        size = min(batch, args.clients - made)
        with transaction.atomic():
            clients = []
            for i in range(made, made + size):
                client = Client(
                    given_name=f"Given{i}", family_name=f"Family{i % 997}",
                    birth_date=day + dt.timedelta(days=i % 25_000), city="Springfield",
                    state="NY", phone=f"555-{i % 10_000:04d}", created_by=actor,
                    preferences="Prefers calls in the morning; Spanish-speaking daughter helps.",
                )  # fmt: skip
                client.search_name = str(client.derived_fields()["search_name"])
                clients.append(client)
            Client.objects.bulk_create(clients)
            ClientIdentifier.objects.bulk_create(
                ClientIdentifier(client=c, system="mrn", value=f"MRN{c.pk:09d}") for c in clients
            )
            for c in clients:
                chain.append(
                    user_id=actor.pk, username=actor.username, client_id=c.pk, action="create",
                    object_type="client", object_id=str(c.pk), outcome="success", status=201,
                    ip="127.0.0.1", request_id=f"bench{c.pk}", break_glass=False, labels=[],
                    details={"route": "/api/v1/clients", "method": "POST"},
                )  # fmt: skip
        made += size
        print(f"  {made:,} clients", flush=True)


def child_writer(args: argparse.Namespace) -> None:
    """Register clients through the services at about ``--rate`` a second until ``--stop``."""
    _django()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from casework.audit.events import record
    from casework.clients.services import register_client

    actor, _ = get_user_model().objects.get_or_create(username="bench_writer")
    stop, written, pause = Path(args.stop), 0, 1.0 / args.rate
    started = time.perf_counter()
    while not stop.exists():
        with transaction.atomic():
            client = register_client(
                actor=actor,
                data={"given_name": f"Writer{written}", "family_name": "Bench",
                      "birth_date": dt.date(1950, 1, 1) + dt.timedelta(days=written % 20_000)},
                identifiers=[], confirmed_new_person=True,
            )  # fmt: skip
            record("create", user=actor, object_type="client", object_id=client.pk,
                   client_id=client.pk)  # fmt: skip
        written += 1
        if written == 10:
            print("ready", flush=True)
        time.sleep(max(0.0, started + written * pause - time.perf_counter()))
    print(written, flush=True)


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Run:
    wall: float
    peak_mib: float
    stdout: str


@dataclass
class Series:
    name: str
    runs: list[Run] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(r, attribute) for r in self.runs)

    def spread(self, attribute: str, unit: str, digits: int) -> str:
        values = [getattr(r, attribute) for r in self.runs]
        if len(values) == 1:
            return f"{values[0]:.{digits}f} {unit}"
        low, high = min(values), max(values)
        mid = statistics.median(values)
        return f"{mid:.{digits}f} {unit} ({low:.{digits}f}-{high:.{digits}f})"


def measure(command: list[str], env: dict[str, str]) -> Run:
    """One process: wall time and peak RSS (its own or a waited-for child's: pg_dump)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode:
        raise RuntimeError(f"{' '.join(command[2:4])} failed:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    return Run(wall, usage.ru_maxrss / 1024, stdout)


def casework(*args: str) -> list[str]:
    return [sys.executable, "-m", "casework.cli", *args]


def environment(url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CASEWORK_BACKUP_KEY"}
    env.update(DATABASE_URL=url, CASEWORK_DATA_DIR=str(data_dir))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
    return env


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def database_size(url: str, env: dict[str, str]) -> int | None:
    if url.startswith("sqlite:"):
        path = Path(url.removeprefix("sqlite://"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    done = subprocess.run(
        [sys.executable, "-c", "import django, os; django.setup(); from django.db import "
         "connection; c = connection.cursor(); "
         "c.execute('SELECT pg_database_size(current_database())'); print(c.fetchone()[0])"],
        env={**env, "DJANGO_SETTINGS_MODULE": "casework.settings"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return int(done.stdout) if done.returncode == 0 else None


def run(args: argparse.Namespace) -> None:
    work = Path(args.workdir or tempfile.mkdtemp(prefix="casework-bench-backup-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        _run(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")


def _run(args: argparse.Namespace, work: Path) -> None:
    postgres = bool(args.source_url)
    source_url = args.source_url or sqlite_url(work / "source.sqlite3")
    source = environment(source_url, work / "data")
    key = work / "backup.key"
    key.write_text(
        subprocess.run(
            [sys.executable, "-c", "from casework.ops.backup import generate_key; "
             "print(generate_key())"],
            env=source, capture_output=True, text=True, check=True,
        ).stdout
    )  # fmt: skip
    key.chmod(0o600)

    what = f"{args.clients:,} synthetic clients" + (" + the demo agency" if args.demo else "")
    print(f"building the source database ({what}) in {work} ...", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "_build", "--clients", str(args.clients)]
        + (["--demo"] if args.demo else []),
        env=source, check=True,
    )  # fmt: skip
    built = time.perf_counter() - started

    stop = work / "stop-writer"
    writer = subprocess.Popen(
        [sys.executable, __file__, "_writer", "--rate", str(args.write_rate), "--stop", str(stop)],
        env=source, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    backups, restores = Series("backup"), Series("restore")
    try:
        assert writer.stdout is not None
        if writer.stdout.readline().strip() != "ready":
            raise RuntimeError("the writer did not start")
        size = database_size(source_url, source)
        writing_from = time.perf_counter()
        for i in range(args.repeat):
            dest = work / f"backup-{i}.cwbackup"
            command = casework("backup", str(dest), "--key-file", str(key))
            backups.runs.append(measure(command, source))
        writing_for = time.perf_counter() - writing_from
        time.sleep(0.5)
    finally:
        stop.touch()
        written = int((writer.communicate(timeout=120)[0] or "0").split()[-1])

    for i in range(args.repeat):
        url = args.target_url or sqlite_url(work / f"restored-{i}.sqlite3")
        target = environment(url, work / "data")
        force = ["--force"] if postgres and i > 0 else []
        command = casework("restore", str(work / f"backup-{i}.cwbackup"), "--key-file", str(key))
        restores.runs.append(measure(command + force, target))
        if "match the backup's hashes" not in restores.runs[-1].stdout:
            raise RuntimeError(f"restore {i} did not verify:\n{restores.runs[-1].stdout}")
    report(args, backups, restores, work, size, built, written, writing_for)


def report(
    args: argparse.Namespace,
    backups: Series,
    restores: Series,
    work: Path,
    size: int | None,
    built: float,
    written: int,
    writing_for: float,
) -> None:
    first = backups.runs[0].stdout
    counts = re.search(r"(\d+) tables, ([\d,]+) rows", first)
    inner_backup = [float(m) for r in backups.runs for m in re.findall(r" in ([\d.]+) s", r.stdout)]
    inner_restore = [
        float(m) for r in restores.runs for m in re.findall(r" in ([\d.]+) s", r.stdout)
    ]
    file_size = (work / "backup-0.cwbackup").stat().st_size
    engine = "PostgreSQL" if args.source_url else f"SQLite {sqlite_version()}"
    print()
    print(
        f"{engine}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}; built in {built:.0f} s"
    )
    rows = [
        ("database", f"{counts.group(1) if counts else '?'} tables, "
                     f"{counts.group(2) if counts else '?'} rows, "
                     + (f"{size / 2**20:.1f} MiB on disk" if size else "size unknown")),
        ("backup file", f"{file_size / 2**20:.1f} MiB (encrypted; "
                        + ("pg_dump's compression)" if args.source_url else "not compressed)")),
        ("writer (services, each with an audit row)",
         f"{written:,} clients at ~{args.write_rate:g}/s, throughout the "
         f"{writing_for:.1f} s of backups; none refused"),
        ("backup, whole process", backups.spread("wall", "s", 2)),
        ("backup, in casework", f"{statistics.median(inner_backup):.2f} s"),
        ("backup, peak RSS", backups.spread("peak_mib", "MiB", 0)),
        ("restore + verify, whole process", restores.spread("wall", "s", 2)),
        ("restore + verify, in casework", f"{statistics.median(inner_restore):.2f} s"),
        ("restore, peak RSS", restores.spread("peak_mib", "MiB", 0)),
    ]  # fmt: skip
    for series in (backups, restores):
        middle = sorted(series.runs, key=lambda r: r.wall)[len(series.runs) // 2]
        phases = re.search(r" in [\d.]+ s \(([^)]*)\)", middle.stdout)
        rows.append((f"{series.name} phases, median run (s)", phases.group(1) if phases else "?"))
    print(f"| measure ({len(backups.runs)} runs: median (range)) | value |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


def sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


# --- point-in-time recovery (PostgreSQL) ----------------------------------------------------


def run_pitr(args: argparse.Namespace) -> None:
    """``casework backup-base`` during writes, then ``casework restore-base`` to a moment after
    it and the restored server's start and replay up to that moment, on a throwaway cluster
    with a WAL archive (the one ``tests/durability`` makes: root and PostgreSQL 15 needed)."""
    sys.path.insert(0, str(REPO))
    from tests.durability import pgcluster

    python = None if pgcluster.unavailable() else pgcluster.server_python()
    if python is None:
        raise SystemExit(f"--pitr: {pgcluster.unavailable() or 'no python3 for the postgres user'}")
    root = pgcluster.scratch_root("casework-bench-pitr-")
    clusters: list[pgcluster.Cluster] = []
    try:
        _pitr(args, root, python, clusters)
    finally:
        for cluster in clusters:
            cluster.kill()
        if args.keep:
            print(f"kept {root}")
        else:
            pgcluster.remove(root)


def start_writer(
    args: argparse.Namespace, env: dict[str, str], stop: Path
) -> subprocess.Popen[str]:
    """The ``_writer`` child at ``--write-rate``, once it has written its first clients."""
    writer = subprocess.Popen(
        [sys.executable, __file__, "_writer", "--rate", str(args.write_rate), "--stop", str(stop)],
        env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert writer.stdout is not None
    if writer.stdout.readline().strip() != "ready":
        raise RuntimeError("the writer did not start")
    return writer


def stop_writer(writer: subprocess.Popen[str], stop: Path) -> int:
    """Stop it; the number of clients it wrote."""
    stop.touch()
    return int((writer.communicate(timeout=120)[0] or "0").split()[-1])


def _pitr(args: argparse.Namespace, root: Path, python: str, clusters: list[Any]) -> None:
    from tests.durability import pgcluster

    archive = root / "archive"
    archive.mkdir()
    pgcluster.give_to_server_user(archive)
    script = root / "walarchive.py"
    shutil.copyfile(SRC / "casework" / "ops" / "walarchive.py", script)
    script.chmod(0o644)
    source = pgcluster.Cluster.create(
        root / "source",
        {"archive_mode": "on", "archive_command": f"'{python} {script} %p {archive}/%f'"},
    )
    clusters.append(source)
    source.start()
    source.sql("CREATE DATABASE casework")
    env = environment(source.url("casework"), root / "data")
    key = root / "backup.key"
    key.write_text(
        subprocess.run(
            [sys.executable, "-c", "from casework.ops.backup import generate_key; "
             "print(generate_key())"],
            env=env, capture_output=True, text=True, check=True,
        ).stdout
    )  # fmt: skip
    key.chmod(0o600)
    what = f"{args.clients:,} synthetic clients" + (" + the demo agency" if args.demo else "")
    print(f"building the source database ({what}) in {root} ...", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "_build", "--clients", str(args.clients)]
        + (["--demo"] if args.demo else []),
        env=env, check=True,
    )  # fmt: skip
    built = time.perf_counter() - started
    size = database_size(source.url("casework"), env)
    backups, restores, replays = Series("backup-base"), Series("restore-base"), Series("replay")

    stop = root / "stop-1"
    writer = start_writer(args, env, stop)
    try:
        for i in range(args.repeat):
            dest = root / f"base-{i}.cwbackup"
            command = casework("backup-base", str(dest), "--key-file", str(key))
            backups.runs.append(measure(command, env))
        time.sleep(1.0)
    finally:
        written = stop_writer(writer, stop)
    ((moment, at_t),) = source.sql(
        "SELECT clock_timestamp(), (SELECT count(*) FROM clients_client)", "casework"
    )
    stop = root / "stop-2"
    writer = start_writer(args, env, stop)
    time.sleep(2.0)
    after = stop_writer(writer, stop)
    source.archive_current_wal()
    wal = sum(p.stat().st_size for p in archive.iterdir())

    for i in range(args.repeat):
        restored = pgcluster.Cluster(root / f"restored-{i}")
        restored.datadir.mkdir()
        pgcluster.give_to_server_user(restored.datadir)
        command = casework(
            "restore-base", str(root / f"base-{i}.cwbackup"), str(restored.datadir),
            "--key-file", str(key), "--archive", str(archive), "--target-time", moment.isoformat(),
        )  # fmt: skip
        restores.runs.append(measure(command, env))
        clusters.append(restored)
        started = time.perf_counter()
        restored.start(wait_for_writes=False)
        restored.wait_recovery_paused()
        replays.runs.append(Run(time.perf_counter() - started, 0.0, ""))
        ((found,),) = restored.sql("SELECT count(*) FROM clients_client", "casework")
        if found != at_t:
            raise RuntimeError(f"restore {i}: {found} clients, {at_t} at the target time")
        restored.kill()
        clusters.remove(restored)
        shutil.rmtree(restored.datadir)

    file_size = (root / "base-0.cwbackup").stat().st_size
    phases = re.search(r" in [\d.]+ s \(([^)]*)\)", backups.runs[0].stdout)
    restore_phases = re.search(r" in [\d.]+ s \(([^)]*)\)", restores.runs[0].stdout)
    print()
    print(
        f"PostgreSQL 15 (throwaway cluster), Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; built in {built:.0f} s"
    )
    rows = [
        ("database", f"{at_t:,} clients at the target time, "
                     + (f"{size / 2**20:.1f} MiB" if size else "size unknown")
                     + " (the cluster holds 3 more small databases)"),
        ("base backup file", f"{file_size / 2**20:.1f} MiB (encrypted, not compressed)"),
        ("writer", f"{written:,} clients at ~{args.write_rate:g}/s through the base backups, "
                   f"{after:,} after the target time (not restored)"),
        ("WAL archived", f"{wal / 2**20:.1f} MiB"),
        ("backup-base, whole process", backups.spread("wall", "s", 2)),
        ("backup-base phases, first run (s)", phases.group(1) if phases else "?"),
        ("backup-base, peak RSS", backups.spread("peak_mib", "MiB", 0)),
        ("restore-base, whole process", restores.spread("wall", "s", 2)),
        ("restore-base phases, first run (s)", restore_phases.group(1) if restore_phases else "?"),
        ("start + replay to the target time", replays.spread("wall", "s", 2)),
    ]  # fmt: skip
    print(f"| measure ({len(backups.runs)} runs: median (range)) | value |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="child")
    build = sub.add_parser("_build")
    build.add_argument("--clients", type=int, required=True)
    build.add_argument("--demo", action="store_true")
    writer = sub.add_parser("_writer")
    writer.add_argument("--rate", type=float, required=True)
    writer.add_argument("--stop", required=True)
    parser.add_argument("--clients", type=int, default=50_000, help="synthetic clients to add")
    parser.add_argument("--demo", action="store_true", help="load the demo agency first")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write-rate", type=float, default=50.0, help="writer clients/second")
    parser.add_argument("--source-url", help="PostgreSQL: an empty database to build and back up")
    parser.add_argument("--target-url", help="PostgreSQL: an empty database to restore into")
    parser.add_argument("--workdir", help="scratch directory (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument(
        "--pitr", action="store_true",
        help="PostgreSQL base backup and point-in-time restore, on a throwaway cluster (root)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.child == "_build":
        child_build(args)
    elif args.child == "_writer":
        child_writer(args)
    elif args.pitr:
        run_pitr(args)
    else:
        if bool(args.source_url) != bool(args.target_url):
            parser.error("--source-url and --target-url go together")
        run(args)


if __name__ == "__main__":
    main()
