"""Throwaway PostgreSQL 15 clusters for the durability tests: made with ``initdb`` in a scratch
directory of their own, served on a free localhost port, stopped cleanly or killed with SIGKILL.

Debian's server binaries refuse to run as root, so they run as the ``postgres`` user (the
process switches user before it executes them, as ``su postgres`` would), in directories that
user owns. The postmaster is a direct child of the test process, so that after a SIGKILL the
test reaps it: an unreaped postmaster would still "exist", and the next start would refuse to
take over its lock file. The server gets a minimal environment, so that nothing of the test's
(``DATABASE_URL``, ``CASEWORK_*``) reaches ``archive_command`` or ``restore_command``.

Imports only the standard library and psycopg (no pytest, no Django).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import psycopg
import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SERVER_USER = "postgres"
SERVER_PATH = "/usr/bin:/bin"
START_TIMEOUT = 120.0


def unavailable() -> str | None:
    """Why throwaway clusters cannot be made here, or None when they can."""
    if not (PG_BIN / "initdb").is_file():
        return f"the PostgreSQL 15 server binaries are not installed ({PG_BIN}/initdb)"
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        return f"there is no {SERVER_USER!r} user to run the PostgreSQL server binaries as"
    if os.geteuid() != 0:
        return (
            "not root: the PostgreSQL server binaries refuse root, and only root can run them "
            f"as the {SERVER_USER!r} user"
        )
    return None


def skip_unless_possible(reason: str | None) -> None:
    """A developer without the server binaries (or not root) may skip these drills; CI, which
    installs them and runs as root, must run them, so there the same reason is a failure."""
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this drill: {reason}")
    pytest.skip(reason)


def server_python() -> str | None:
    """A Python 3 that the server's user can run (for ``archive_command``), or None."""
    done = as_server_user(["/bin/sh", "-c", "command -v python3"], check=False)
    found = done.stdout.strip()
    return found if done.returncode == 0 and found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_ids() -> tuple[int, int]:
    entry = pwd.getpwnam(SERVER_USER)
    return entry.pw_uid, entry.pw_gid


def server_env() -> dict[str, str]:
    return {"PATH": SERVER_PATH, "LANG": "C.UTF-8", "HOME": pwd.getpwnam(SERVER_USER).pw_dir}


def as_server_user(
    command: Sequence[str], *, check: bool = True, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    uid, gid = _server_ids()
    done = subprocess.run(
        list(command), user=uid, group=gid, extra_groups=[], env=server_env(), cwd="/",
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    if check and done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done


def scratch_root(prefix: str) -> Path:
    """A new directory in the system's temporary directory, owned by the server's user (the
    test's own temporary directories are private to root)."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    give_to_server_user(root)
    return root


def give_to_server_user(path: Path, mode: int = 0o700) -> None:
    os.chown(path, *_server_ids())
    path.chmod(mode)


def _descendants(pid: int) -> list[int]:
    """Every living process below ``pid`` (zombies do not count)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # pid (comm) state ppid ...; comm may hold spaces and parentheses.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


class Cluster:
    """One data directory and, while it runs, its postmaster (a child of this process)."""

    def __init__(self, datadir: Path, port: int | None = None) -> None:
        self.datadir = datadir
        self.port = port or free_port()
        self.log = datadir.parent / f"{datadir.name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @classmethod
    def create(
        cls,
        datadir: Path,
        settings: Mapping[str, str] | None = None,
        initdb_options: Sequence[str] = (),
    ) -> Cluster:
        """``initdb`` (trust authentication on the local machine), then ``settings`` appended
        to its postgresql.conf (values written as they go in the file)."""
        as_server_user(
            [str(PG_BIN / "initdb"), "-D", str(datadir), "-U", SERVER_USER, "--auth=trust",
             "-E", "UTF8", "--no-instructions", *initdb_options],
        )  # fmt: skip
        if settings:
            with (datadir / "postgresql.conf").open("a") as conf:
                conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        return cls(datadir)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def url(self, dbname: str) -> str:
        return f"postgres://{SERVER_USER}@127.0.0.1:{self.port}/{dbname}"

    def start(self, *, wait_for_writes: bool = True) -> None:
        """Start the postmaster on this cluster's port; wait until it takes connections (and,
        with ``wait_for_writes``, until it is out of recovery)."""
        assert not self.running
        uid, gid = _server_ids()
        with self.log.open("ab") as log:
            log.write(f"\n== start {self.starts}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [str(PG_BIN / "postgres"), "-D", str(self.datadir), "-p", str(self.port),
                 "-c", "listen_addresses=127.0.0.1",
                 "-c", f"unix_socket_directories={self.datadir.parent}"],
                user=uid, group=gid, extra_groups=[], env=server_env(), cwd=self.datadir,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self.starts += 1
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with self.connect() as db:
                    recovering = db.execute("SELECT pg_is_in_recovery()").fetchone()
                    if not (wait_for_writes and recovering and recovering[0]):
                        return
            except psycopg.OperationalError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"PostgreSQL did not start:\n{self.tail()}")
            time.sleep(0.1)

    def connect(self, dbname: str = "postgres", **options: Any) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=SERVER_USER, dbname=dbname,
            autocommit=True, connect_timeout=5, **options,
        )  # fmt: skip

    def sql(self, query: str, dbname: str = "postgres") -> list[tuple[Any, ...]]:
        with self.connect(dbname) as db:
            cursor = db.execute(query.encode())
            return list(cursor.fetchall()) if cursor.description else []

    def stop(self) -> None:
        """A fast shutdown: sessions are ended, then a checkpoint."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def kill(self) -> int:
        """SIGKILL the postmaster and every process under it at once, as a machine losing the
        server would; the number of processes killed."""
        if self.process is None:
            return 0
        victims = [self.process.pid, *_descendants(self.process.pid)]
        for pid in victims:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=30)
        # Its children were killed too, but may take a moment to go (they are init's now).
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(pid) for pid in victims[1:]):
            time.sleep(0.02)
        self.process = None
        return len(victims)

    def archive_current_wal(self, timeout: float = 120.0) -> None:
        """Close the current WAL segment and wait until ``archive_command`` has taken it."""
        ((segment,),) = self.sql("SELECT pg_walfile_name(pg_switch_wal() - 1)")
        deadline = time.monotonic() + timeout
        while True:
            ((last, failed),) = self.sql(
                "SELECT coalesce(last_archived_wal, ''), failed_count FROM pg_stat_archiver"
            )
            if last >= segment:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{segment} not archived ({failed} failures):\n{self.tail()}")
            time.sleep(0.1)

    def wait_recovery_paused(self) -> None:
        """Until recovery pauses at its target (or has ended: what the caller checks next)."""
        deadline = time.monotonic() + START_TIMEOUT
        state = "SELECT CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() END"
        while self.sql(state) not in ([("paused",)], [(None,)]):
            if not self.running:
                raise RuntimeError(f"recovery stopped short of its target:\n{self.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"recovery never paused:\n{self.tail()}")
            time.sleep(0.1)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def remove(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
