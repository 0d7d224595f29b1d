"""Encrypted backups of the configured database, and restores that prove themselves (DUR-07).

``backup(dest, key=...)`` takes a consistent copy of the live database without stopping the
writers: on SQLite with the SQLite backup API (one step, so one read snapshot; WAL mode lets
writers go on meanwhile), never a file copy; on PostgreSQL with ``pg_dump --format=custom``
reading a snapshot exported from a repeatable-read transaction, in which the manifest is
computed too. The manifest holds the engine, the time, each table's row count and content
hash, and the audit chain head (``casework.audit.chain``), all of the same snapshot.

``restore(src, key=...)`` loads a backup into the configured database, which must hold no data
(``force=True`` replaces it), then recomputes every table's hash against the manifest and
walks the audit chain up to the head the manifest names. Anything that does not match is
refused with a one-line reason (``BackupError``).

The file (``.cwbackup``) is a tar stream (``manifest.json``, then the database) sealed in
1 MiB records of AES-256-GCM::

    "CWBACKUP" | version (1 byte) | flags (1 byte: 1 = encrypted)
    | salt (16 bytes) | key check (32 bytes)                       -- when encrypted
    | records: final flag (1 byte) | length (4 bytes, big-endian) | ciphertext and tag

The file key and the key check come from HKDF-SHA256 of the 32-byte backup key with the salt,
so every file has its own key; record ``i`` is sealed with the nonce ``i`` (11 bytes) followed
by the final flag, and the header as associated data. A wrong key is told apart from a damaged
file by the key check; an altered, reordered, truncated or extended file fails a record's tag
or the final-record rule. Without a key (``--unencrypted``, only when asked for) the tar
stream follows the header in the clear, and only the manifest's hashes guard it.

Table hashes are SHA-256 over the rows in primary-key order, each row a canonical JSON list of
the values the engine's driver returns; equal data gives equal hashes on the same engine (not
across engines).

Plain text of the database exists only in a private temporary directory (mode 0700), removed
when done: beside the destination file (backup), beside the SQLite file or in the data
directory (restore).

Point-in-time recovery (PostgreSQL) takes a base backup and the WAL archive:

- ``backup_base(dest, key=...)`` (``casework backup-base``) runs ``pg_basebackup`` (tar format,
  ``--wal-method=stream``, ``--checkpoint=fast``, ``--manifest-checksums=SHA256``) as the
  configured database user or ``--user`` (a role with REPLICATION), unpacks a scratch copy and
  checks it with ``pg_verifybackup`` (every file's SHA-256 against pg_basebackup's manifest, and
  the WAL it needs), then seals ``base-manifest.json``, ``backup_manifest``, ``base.tar`` and
  ``pg_wal.tar`` in the record format above. Its manifest names the WAL range and the audit
  chain head read just before the backup began (so the restored database holds it).
- The WAL archive is the server's: ``archive_mode = on`` and ``archive_command = 'casework
  wal-archive %p /srv/wal-archive/%f'`` (``casework.ops.walarchive``: copy, fsync, link, fsync
  the directory; the same file again is a success, a different file under a taken name is
  refused with exit 1 and never overwritten). Segments are stored as the server wrote them,
  not sealed: the server would need the backup key, which only the backup commands hold; keep
  the archive on an encrypted volume, readable by the server's user only.
- ``restore_base(src, datadir, key=..., archive=..., target_time=...)`` (``casework
  restore-base``) streams the sealed file into a new, empty data directory (base.tar into it,
  pg_wal.tar into its ``pg_wal``, every member checked against the manifest, nothing left
  behind on failure), runs ``pg_verifybackup`` on it, and, with an archive, appends
  ``restore_command = 'cp ARCHIVE/%f "%p"'`` and optionally ``recovery_target_time`` and
  ``recovery_target_action`` (default ``pause``) to ``postgresql.auto.conf`` and creates
  ``recovery.signal``. Run as root, it gives the files to the directory's owner. The operator
  starts the server, checks (``casework audit verify --head``), then promotes
  (``pg_ctl promote`` or ``SELECT pg_promote()``). ``tests/durability/test_pg_pitr.py`` drills
  all of it on every CI run.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from casework.core.errors import Problem

KEY_ENV = "CASEWORK_BACKUP_KEY"
MAGIC = b"CWBACKUP"
FORMAT_VERSION = 1
SUFFIX = ".cwbackup"
CHUNK_BYTES = 1 << 20
MANIFEST_NAME = "manifest.json"
PAYLOAD_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
PG_FALLBACK_BIN = Path("/usr/lib/postgresql/15/bin")
# Tables that ``casework migrate`` fills by itself: rows there do not make a database "used".
BOOKKEEPING_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "auth_group",
     "auth_group_permissions"}
)  # fmt: skip
GENESIS_HEAD = "0:" + "0" * 64
# A base backup (``backup-base``): its manifest, then pg_basebackup's files, in this order.
BASE_MANIFEST_NAME = "base-manifest.json"
BASE_KIND = "postgresql-base"
BASE_FILES = ("backup_manifest", "base.tar", "pg_wal.tar")
TARGET_ACTIONS = ("pause", "promote", "shutdown")

_ENCRYPTED = 0x01
_SALT_BYTES = 16
_CHECK_BYTES = 32
_TAG_BYTES = 16
_MAX_MANIFEST_BYTES = 16 << 20
_KDF_INFO = b"casework backup v1"
_KEY_HINT = (
    "make one with: python3 -c 'import base64, os; "
    "print(base64.urlsafe_b64encode(os.urandom(32)).decode())'"
)
# The first member of the other kind of backup file, and what to run instead.
_OTHER_KIND = {
    BASE_MANIFEST_NAME: "this is a PostgreSQL base backup: restore it with casework restore-base",
    MANIFEST_NAME: "this is a logical backup (casework backup): restore it with casework restore",
}
# Django's PostgreSQL OPTIONS that libpq also reads from the environment.
_PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY", "passfile": "PGPASSFILE", "service": "PGSERVICE",
}  # fmt: skip


class BackupError(Problem):
    """A backup or restore refused or failed; ``detail`` is the one line the CLI prints."""

    status = 409
    title = "Backup or restore refused"


# keys -----------------------------------------------------------------------------------


def generate_key() -> str:
    """A new backup key, as it goes in ``CASEWORK_BACKUP_KEY`` or a key file."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def parse_key(text: str, source: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip().encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raw = b""
    if len(raw) != 32:
        raise BackupError(f"{source} must be 32 bytes in URL-safe base64; {_KEY_HINT}")
    return raw


def load_key(key_file: Path | None, environ: Mapping[str, str] | None = None) -> bytes | None:
    """The key from ``key_file`` if given, else from ``CASEWORK_BACKUP_KEY``, else None."""
    if key_file is not None:
        try:
            text = key_file.read_text()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "not a text file"
            raise BackupError(f"cannot read the key file {key_file}: {reason}") from None
        return parse_key(text, f"the key file {key_file}")
    value = (os.environ if environ is None else environ).get(KEY_ENV, "")
    return parse_key(value, KEY_ENV) if value.strip() else None


def _derive(key: bytes, salt: bytes) -> tuple[bytes, bytes]:
    """The file's own AES key and the key check stored in its header."""
    kdf = HKDF(algorithm=hashes.SHA256(), length=32 + _CHECK_BYTES, salt=salt, info=_KDF_INFO)
    material = kdf.derive(key)
    return material[:32], material[32:]


def _nonce(index: int, final: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


# the sealed stream ------------------------------------------------------------------------


class _SealedWriter:
    """A write-only file object: the header, then AES-GCM records (or the bytes as they are,
    without a key). ``close()`` writes the final record; the underlying file stays open."""

    def __init__(self, out: BinaryIO, key: bytes | None) -> None:
        self._out = out
        self._buffer = bytearray()
        self._index = 0
        self._aead: AESGCM | None = None
        if key is None:
            self._header = MAGIC + bytes([FORMAT_VERSION, 0])
        else:
            salt = os.urandom(_SALT_BYTES)
            file_key, check = _derive(key, salt)
            self._aead = AESGCM(file_key)
            self._header = MAGIC + bytes([FORMAT_VERSION, _ENCRYPTED]) + salt + check
        out.write(self._header)

    def write(self, data: bytes) -> int:
        if self._aead is None:
            self._out.write(data)
            return len(data)
        self._buffer += data
        while len(self._buffer) > CHUNK_BYTES:
            self._seal(bytes(self._buffer[:CHUNK_BYTES]), final=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def close(self) -> None:
        if self._aead is not None:
            self._seal(bytes(self._buffer), final=True)
            self._buffer.clear()
            self._aead = None

    def _seal(self, chunk: bytes, *, final: bool) -> None:
        assert self._aead is not None
        sealed = self._aead.encrypt(_nonce(self._index, final), chunk, self._header)
        self._out.write(bytes([final]) + len(sealed).to_bytes(4, "big") + sealed)
        self._index += 1


class _SealedReader:
    """A read-only file object over a sealed stream; raises ``BackupError`` on a wrong key,
    a damaged, altered, truncated or extended file."""

    def __init__(self, source: BinaryIO, key: bytes | None, *, allow_unencrypted: bool) -> None:
        self._source = source
        self._buffer = bytearray()
        self._index = 0
        self._done = False
        self._aead: AESGCM | None = None
        head = source.read(len(MAGIC) + 2)
        if len(head) < len(MAGIC) + 2 or head[: len(MAGIC)] != MAGIC:
            raise BackupError("not a Casework backup file")
        if head[len(MAGIC)] != FORMAT_VERSION:
            raise BackupError(
                f"backup format {head[len(MAGIC)]} is not one this Casework reads "
                f"(format {FORMAT_VERSION})"
            )
        if not head[len(MAGIC) + 1] & _ENCRYPTED:
            if not allow_unencrypted:
                raise BackupError(
                    "this backup is not encrypted, so nothing proves who wrote it: "
                    "restore it only with --unencrypted"
                )
            self._header = head
            return
        if key is None:
            raise BackupError(f"this backup is encrypted: set {KEY_ENV} or give --key-file")
        rest = source.read(_SALT_BYTES + _CHECK_BYTES)
        if len(rest) < _SALT_BYTES + _CHECK_BYTES:
            raise BackupError("the backup is truncated (its header is incomplete)")
        file_key, check = _derive(key, rest[:_SALT_BYTES])
        if not hmac.compare_digest(check, rest[_SALT_BYTES:]):
            raise BackupError(
                "wrong key: this backup was not encrypted with the key given (or its header "
                "was altered)"
            )
        self._aead = AESGCM(file_key)
        self._header = head + rest

    @property
    def encrypted(self) -> bool:
        return self._aead is not None

    def read(self, size: int = -1) -> bytes:
        if self._aead is None:
            return self._source.read(size)
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._open_next()
        size = len(self._buffer) if size < 0 else min(size, len(self._buffer))
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def drain(self) -> None:
        """Read (and authenticate) to the end of the file."""
        while self.read(CHUNK_BYTES):
            pass

    def _open_next(self) -> None:
        assert self._aead is not None
        part = self._index + 1
        prefix = self._source.read(5)
        if len(prefix) < 5:
            raise BackupError(f"the backup is truncated (part {part} is missing): refusing it")
        final, length = prefix[0], int.from_bytes(prefix[1:5], "big")
        if final > 1 or not _TAG_BYTES <= length <= CHUNK_BYTES + _TAG_BYTES:
            raise BackupError(f"the backup is damaged or was altered (part {part}): refusing it")
        sealed = self._source.read(length)
        if len(sealed) < length:
            raise BackupError(f"the backup is truncated (part {part} is cut short): refusing it")
        try:
            plain = self._aead.decrypt(_nonce(self._index, bool(final)), sealed, self._header)
        except InvalidTag:
            raise BackupError(
                f"the backup is damaged or was altered (part {part} fails its integrity "
                "check): refusing it"
            ) from None
        self._buffer += plain
        self._index += 1
        if final:
            self._done = True
            if self._source.read(1):
                raise BackupError("the backup has data after its end (altered): refusing it")


# the manifest -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TableDigest:
    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    casework_version: str
    encrypted: bool
    payload: str
    payload_bytes: int
    payload_sha256: str
    audit_head: str
    tables: dict[str, TableDigest]
    format: int = FORMAT_VERSION

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables.values())

    def counts(self) -> dict[str, int]:
        return {"tables": len(self.tables), "rows": self.rows}

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw = json.loads(data)
            tables = {
                str(name): TableDigest(rows=int(t["rows"]), sha256=str(t["sha256"]))
                for name, t in raw.pop("tables").items()
            }
            manifest = cls(tables=tables, **raw)
        except (ValueError, TypeError, KeyError, AttributeError):
            raise BackupError("the backup's manifest is unreadable: refusing it") from None
        if (
            manifest.engine not in PAYLOAD_NAMES
            or manifest.payload != PAYLOAD_NAMES[manifest.engine]
        ):
            raise BackupError(f"the backup's manifest names an unknown engine {manifest.engine!r}")
        return manifest


# table hashes -----------------------------------------------------------------------------


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _canonical(value: Any) -> Any:
    """A JSON value that says what the driver returned, type included."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return {"float": value.hex()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"bytes": bytes(value).hex()}
    if isinstance(value, dict | list | tuple):
        return {"json": json.dumps(value, sort_keys=True, default=str, ensure_ascii=True)}
    return {type(value).__name__: str(value)}  # dates, times, Decimal, UUID, addresses


def digest_rows(rows: Iterable[Sequence[Any]]) -> TableDigest:
    """Row count and SHA-256 of rows in the order given (callers order by primary key)."""
    digest, count = hashlib.sha256(), 0
    for row in rows:
        line = json.dumps([_canonical(v) for v in row], separators=(",", ":"), ensure_ascii=True)
        digest.update(line.encode("ascii") + b"\n")
        count += 1
    return TableDigest(rows=count, sha256=digest.hexdigest())


def sqlite_digests(db: sqlite3.Connection) -> dict[str, TableDigest]:
    """Every table of a SQLite database (not SQLite's own ``sqlite_*`` tables)."""
    names = [
        str(row[0])
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    ]
    digests = {}
    for name in names:
        columns = db.execute(f"PRAGMA table_info({quote(name)})").fetchall()
        keys = [quote(c[1]) for c in sorted((c for c in columns if c[5]), key=lambda c: c[5])]
        order = ", ".join(keys or [str(i) for i in range(1, len(columns) + 1)])
        digests[name] = digest_rows(db.execute(f"SELECT * FROM {quote(name)} ORDER BY {order}"))
    return digests


def postgres_digests(connection: Any) -> dict[str, TableDigest]:
    """Every table Django sees in the PostgreSQL database of ``connection`` (a Django
    connection), read with server-side cursors; call it inside a transaction."""
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        keys = {n: connection.introspection.get_primary_key_columns(cursor, n) for n in names}
        widths = {}
        for name in names:
            cursor.execute(f"SELECT * FROM {quote(name)} LIMIT 0")
            widths[name] = len(cursor.description)
    raw = connection.connection  # the psycopg connection, in the caller's transaction
    digests = {}
    for number, name in enumerate(names):
        order = ", ".join(
            [quote(k) for k in keys[name] or []] or map(str, range(1, widths[name] + 1))
        )
        with raw.cursor(name=f"casework_backup_digest_{number}") as rows:
            rows.itersize = 5000
            rows.execute(f"SELECT * FROM {quote(name)} ORDER BY {order}")
            digests[name] = digest_rows(rows)
    return digests


def compare(expected: Mapping[str, TableDigest], actual: Mapping[str, TableDigest]) -> list[str]:
    """What differs between the manifest's tables and the database's, one phrase each."""
    problems = []
    for name in sorted(expected.keys() | actual.keys()):
        want, have = expected.get(name), actual.get(name)
        if have is None:
            problems.append(f"table {name} is missing")
        elif want is None:
            problems.append(f"table {name} ({have.rows} rows) is not in the backup")
        elif want.rows != have.rows:
            problems.append(f"{name} has {have.rows} rows, the backup {want.rows}")
        elif want.sha256 != have.sha256:
            problems.append(f"{name} differs in content ({have.rows} rows)")
    return problems


class Phases:
    """Seconds spent in each named phase, in order (``done`` closes the current one)."""

    def __init__(self) -> None:
        self._start = self._last = time.perf_counter()
        self.spent: dict[str, float] = {}

    def done(self, phase: str) -> None:
        now = time.perf_counter()
        self.spent[phase] = self.spent.get(phase, 0.0) + now - self._last
        self._last = now

    @property
    def total(self) -> float:
        return self._last - self._start

    def __str__(self) -> str:
        parts = ", ".join(f"{name} {seconds:.1f}" for name, seconds in self.spent.items())
        return f"{self.total:.1f} s ({parts})"


# backup -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    size: int
    phases: Phases

    def describe(self) -> str:
        m = self.manifest
        sealed = "encrypted (AES-256-GCM)" if m.encrypted else "NOT encrypted"
        return (
            f"wrote {self.path} ({self.size:,} bytes, {sealed}) in {self.phases}: "
            f"{m.engine}, {len(m.tables)} tables, {m.rows:,} rows, audit head {m.audit_head}"
        )


def backup(dest: Path, *, key: bytes | None, unencrypted: bool = False) -> BackupResult:
    """Back up the configured database to ``dest`` (a new file, or a directory to name one
    in). Without a key this refuses unless ``unencrypted`` says that is meant."""
    _check_key_choice(key, unencrypted)
    from django.db import connection

    vendor = connection.vendor
    if vendor not in PAYLOAD_NAMES:
        raise BackupError(f"backups of {vendor} databases are not supported")
    phases = Phases()
    created = dt.datetime.now(dt.UTC)
    target = _destination(Path(dest), vendor, created)
    try:
        with _private_dir(target.parent, ".casework-backup-") as work:
            payload = work / PAYLOAD_NAMES[vendor]
            if vendor == "sqlite":
                tables, head = _sqlite_snapshot(_sqlite_name(connection), payload, phases)
            else:
                tables, head = _postgres_snapshot(connection, payload)
                phases.done("pg_dump and table hashes")
            size, digest = _file_digest(payload)
            manifest = Manifest(
                engine=vendor,
                created_at=created.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                casework_version=_version(),
                encrypted=key is not None,
                payload=payload.name,
                payload_bytes=size,
                payload_sha256=digest,
                audit_head=head,
                tables=tables,
            )
            sealed = work / "sealed"
            _write_sealed(sealed, key, (MANIFEST_NAME, manifest.to_json()), [payload])
            if target.exists():
                raise BackupError(f"{target} already exists: refusing to overwrite it")
            os.replace(sealed, target)
            _fsync_dir(target.parent)
            phases.done("seal")
    except OSError as error:
        raise BackupError(f"cannot write the backup: {_os_reason(error)}") from None
    except sqlite3.Error as error:
        raise BackupError(f"SQLite refused the backup: {error}") from None
    _record("export", vendor, {**manifest.counts(), "encrypted": manifest.encrypted})
    phases.done("audit row")
    return BackupResult(target, manifest, target.stat().st_size, phases)


def _check_key_choice(key: bytes | None, unencrypted: bool) -> None:
    if key is None and not unencrypted:
        raise BackupError(
            f"refusing to write an unencrypted backup: set {KEY_ENV} or give --key-file "
            "(or pass --unencrypted if that is really meant)"
        )
    if key is not None and unencrypted:
        raise BackupError(
            f"--unencrypted was given but so is a key ({KEY_ENV} or --key-file): choose one"
        )


def _destination(dest: Path, vendor: str, created: dt.datetime) -> Path:
    if dest.is_dir():
        dest = dest / f"casework-{vendor}-{created:%Y%m%dT%H%M%SZ}{SUFFIX}"
    if dest.exists():
        raise BackupError(f"{dest} already exists: refusing to overwrite it")
    if not dest.parent.is_dir():
        raise BackupError(f"no directory {dest.parent} to write the backup in")
    return dest


def _sqlite_name(connection: Any) -> str:
    name = str(connection.settings_dict["NAME"])
    if not name.startswith("file:") and name != ":memory:" and not Path(name).is_file():
        raise BackupError(f"no SQLite database at {name}")
    return name


def _sqlite_snapshot(
    name: str, payload: Path, phases: Phases
) -> tuple[dict[str, TableDigest], str]:
    """Copy the live database with the backup API in one step (one read snapshot; in WAL mode
    writers carry on meanwhile), then hash the copy: the manifest describes the copy."""
    source = sqlite3.connect(name, uri=True, timeout=30)
    try:
        copy = sqlite3.connect(payload)
        try:
            source.backup(copy)  # pages=-1: the whole database in a single step
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            phases.done("copy")
            tables = sqlite_digests(copy)
            head = _sqlite_head(copy)
            phases.done("table hashes")
        finally:
            copy.close()
    finally:
        source.close()
    return tables, head


def _sqlite_head(db: sqlite3.Connection) -> str:
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_auditevent'"
    ).fetchone()
    last = (
        db.execute("SELECT seq, hash FROM audit_auditevent ORDER BY seq DESC LIMIT 1").fetchone()
        if exists
        else None
    )
    return f"{last[0]}:{last[1]}" if last else GENESIS_HEAD


def _postgres_snapshot(connection: Any, payload: Path) -> tuple[dict[str, TableDigest], str]:
    """pg_dump and the manifest read the same exported snapshot of one repeatable-read,
    read-only transaction, which stays open until pg_dump has finished."""
    from django.db import transaction

    from casework.audit import chain

    if connection.in_atomic_block:
        raise BackupError("a backup cannot run inside a transaction")
    pg_dump = _pg_tool("pg_dump")
    connection.ensure_connection()
    with transaction.atomic(using=connection.alias), tempfile.TemporaryFile() as errors:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
        command = [
            pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
            f"--file={payload}", f"--dbname={_conninfo(connection.settings_dict)}",
        ]  # fmt: skip
        env = _pg_env(connection.settings_dict)
        dump = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            tables = postgres_digests(connection)
            head = str(chain.head())
        finally:
            code = dump.wait()
        if code != 0:
            raise BackupError(f"pg_dump failed: {_last_line(errors)}")
    return tables, head


def _write_sealed(
    path: Path, key: bytes | None, manifest: tuple[str, bytes], payloads: Sequence[Path]
) -> None:
    """The sealed tar stream: the manifest (name, bytes) first, then each payload file."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        sealed = _SealedWriter(out, key)
        stream = cast(IO[bytes], sealed)
        with tarfile.open(fileobj=stream, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            name, manifest_bytes = manifest
            tar.addfile(_member(name, len(manifest_bytes)), io.BytesIO(manifest_bytes))
            for payload in payloads:
                with payload.open("rb") as data:
                    tar.addfile(_member(payload.name, os.fstat(data.fileno()).st_size), data)
        sealed.close()
        out.flush()
        os.fsync(out.fileno())


def _member(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    return info


# restore ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    manifest: Manifest
    audit_rows: int
    phases: Phases

    def describe(self) -> str:
        m = self.manifest
        return (
            f"restored {self.source} (taken {m.created_at}, {m.engine}) in {self.phases}: "
            f"{len(m.tables)} tables and {m.rows:,} rows match the backup's hashes; "
            f"audit chain intact: {self.audit_rows:,} rows, head {m.audit_head} present"
        )


def restore(
    src: Path, *, key: bytes | None, force: bool = False, unencrypted: bool = False
) -> RestoreResult:
    """Restore a backup into the configured database and verify it: every table's hash
    against the manifest, then the audit chain up to the manifest's head. The database must
    hold no data unless ``force``; an unencrypted backup is read only with ``unencrypted``.

    The file is decrypted and checked in full (its manifest first) before the database is
    touched, so a wrong key or an altered file changes nothing."""
    from django.db import connection

    from casework.audit import chain

    phases = Phases()
    src = Path(src)
    if not src.is_file():
        raise BackupError(f"no backup file {src}")
    vendor = connection.vendor
    try:
        with (
            src.open("rb") as raw,
            _private_dir(_scratch_dir(connection), ".casework-restore-") as work,
        ):
            reader = _SealedReader(raw, key, allow_unencrypted=unencrypted)
            with tarfile.open(fileobj=cast(IO[bytes], reader), mode="r|") as tar:
                members = _members(tar)
                manifest = Manifest.from_json(_read_member(tar, next(members, None), MANIFEST_NAME))
                if manifest.engine != vendor:
                    raise BackupError(
                        f"this is a {manifest.engine} backup; the configured database is {vendor}"
                    )
                used = _tables_with_data(connection)
                if used and not force:
                    shown = ", ".join(used[:3]) + (", ..." if len(used) > 3 else "")
                    raise BackupError(
                        f"the configured database is not empty ({len(used)} tables hold data: "
                        f"{shown}): restore into an empty database, or pass --force to replace it"
                    )
                payload = work / manifest.payload
                _extract(tar, next(members, None), manifest, payload)
                if next(members, None) is not None:
                    raise BackupError("the backup holds more than a manifest and a database")
            reader.drain()
            phases.done("decrypt and check")
            if vendor == "sqlite":
                tables = _sqlite_load(connection, payload, phases)
            else:
                tables = _postgres_load(connection, payload, phases)
    except OSError as error:
        raise BackupError(f"cannot restore: {_os_reason(error)}") from None
    except sqlite3.Error as error:
        raise BackupError(f"SQLite refused the restore: {error}") from None
    except tarfile.TarError:
        raise BackupError("the backup's contents are malformed: refusing it") from None
    problems = compare(manifest.tables, tables)
    if problems:
        more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise BackupError(
            "the restored database does not match the backup's manifest: "
            + "; ".join(problems[:5])
            + more
        )
    verdict = chain.verify(chain.Head.parse(manifest.audit_head))
    phases.done("audit chain")
    if not verdict.ok:
        raise BackupError(
            f"the restored audit chain is broken at seq {verdict.bad_seq}: {verdict.reason}"
        )
    _record("update", vendor, {**manifest.counts(), "restored_backup_of": manifest.created_at})
    phases.done("audit row")
    return RestoreResult(src, manifest, verdict.rows, phases)


def read_manifest(src: Path, *, key: bytes | None, unencrypted: bool = False) -> Manifest:
    """A backup's manifest, read (and, when encrypted, authenticated) without restoring."""
    try:
        with Path(src).open("rb") as raw:
            reader = _SealedReader(raw, key, allow_unencrypted=unencrypted)
            with tarfile.open(fileobj=cast(IO[bytes], reader), mode="r|") as tar:
                return Manifest.from_json(_read_member(tar, tar.next(), MANIFEST_NAME))
    except OSError as error:
        raise BackupError(f"cannot read the backup: {_os_reason(error)}") from None
    except tarfile.TarError:
        raise BackupError("the backup's contents are malformed: refusing it") from None


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    while (member := tar.next()) is not None:
        yield member


def _read_member(tar: tarfile.TarFile, member: tarfile.TarInfo | None, name: str) -> bytes:
    if member is not None and member.name != name and member.name in _OTHER_KIND:
        raise BackupError(_OTHER_KIND[member.name])
    if member is None or member.name != name or not member.isfile():
        raise BackupError(f"the backup does not start with its {name}: refusing it")
    if member.size > _MAX_MANIFEST_BYTES:
        raise BackupError(f"the backup's {name} is implausibly large: refusing it")
    data = tar.extractfile(member)
    assert data is not None
    return data.read()


def _extract(
    tar: tarfile.TarFile, member: tarfile.TarInfo | None, manifest: Manifest, to: Path
) -> None:
    """Write the database member to ``to``, checking its size and hash against the manifest."""
    if member is None or member.name != manifest.payload or not member.isfile():
        raise BackupError(f"the backup holds no {manifest.payload}: refusing it")
    data = tar.extractfile(member)
    assert data is not None
    digest = hashlib.sha256()
    descriptor = os.open(to, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        while block := data.read(CHUNK_BYTES):
            digest.update(block)
            out.write(block)
    if member.size != manifest.payload_bytes or digest.hexdigest() != manifest.payload_sha256:
        raise BackupError("the database in the backup does not match its manifest: refusing it")


def _tables_with_data(connection: Any) -> list[str]:
    """Tables of the configured database holding rows beyond what ``migrate`` writes."""
    used = []
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor)):
            if name in BOOKKEEPING_TABLES or name.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT 1 FROM {quote(name)} LIMIT 1")
            if cursor.fetchone() is not None:
                used.append(name)
    return used


def _sqlite_load(connection: Any, payload: Path, phases: Phases) -> dict[str, TableDigest]:
    """Copy the backup into the configured file with the backup API (it keeps the target's
    journal mode), then hash what is now there."""
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("cannot restore into an in-memory SQLite database")
    connection.close()
    source = sqlite3.connect(payload)
    try:
        target = sqlite3.connect(name, uri=True, timeout=30)
        try:
            source.backup(target)
            phases.done("load")
            found = sqlite_digests(target)
            phases.done("table hashes")
            return found
        finally:
            target.close()
    finally:
        source.close()


def _postgres_load(connection: Any, payload: Path, phases: Phases) -> dict[str, TableDigest]:
    """pg_restore in one transaction (all or nothing); a database that already has tables
    (even empty ones from ``migrate``) has the backup's objects dropped first."""
    from django.db import transaction

    pg_restore = _pg_tool("pg_restore")
    with connection.cursor() as cursor:
        has_tables = bool(connection.introspection.table_names(cursor))
    settings = connection.settings_dict
    connection.close()
    command = [
        pg_restore, "--exit-on-error", "--single-transaction", "--no-password",
        f"--dbname={_conninfo(settings)}",
        *(["--clean", "--if-exists"] if has_tables else []), str(payload),
    ]  # fmt: skip
    with tempfile.TemporaryFile() as errors:
        done = subprocess.run(
            command, env=_pg_env(settings), stdout=subprocess.DEVNULL, stderr=errors, check=False
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed (nothing was changed): {_last_line(errors)}")
    phases.done("load")
    with transaction.atomic(using=connection.alias):
        found = postgres_digests(connection)
    phases.done("table hashes")
    return found


# base backups and point-in-time recovery (PostgreSQL) ---------------------------------------


@dataclass(frozen=True)
class FileDigest:
    size: int
    sha256: str


@dataclass(frozen=True)
class BaseManifest:
    """What ``backup-base`` sealed: pg_basebackup's files with their hashes, the WAL range the
    backup needs, and the audit chain head read just before it started (so it is in it)."""

    kind: str
    created_at: str
    casework_version: str
    encrypted: bool
    server_version: str
    system_identifier: str
    timeline: int
    start_lsn: str
    end_lsn: str
    audit_head_before: str
    files: dict[str, FileDigest]
    format: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> BaseManifest:
        try:
            raw = json.loads(data)
            files = {
                str(name): FileDigest(size=int(f["size"]), sha256=str(f["sha256"]))
                for name, f in raw.pop("files").items()
            }
            manifest = cls(files=files, **raw)
        except (ValueError, TypeError, KeyError, AttributeError):
            raise BackupError("the backup's manifest is unreadable: refusing it") from None
        if manifest.kind != BASE_KIND or set(manifest.files) != set(BASE_FILES):
            raise BackupError(f"the backup's manifest names an unknown kind {manifest.kind!r}")
        return manifest


@dataclass(frozen=True)
class BaseBackupResult:
    path: Path
    manifest: BaseManifest
    size: int
    phases: Phases

    def describe(self) -> str:
        m = self.manifest
        sealed = "encrypted (AES-256-GCM)" if m.encrypted else "NOT encrypted"
        return (
            f"wrote {self.path} ({self.size:,} bytes, {sealed}) in {self.phases}: base backup "
            f"of PostgreSQL {m.server_version}, checked with pg_verifybackup; WAL "
            f"{m.start_lsn} to {m.end_lsn} on timeline {m.timeline}; audit head before it "
            f"{m.audit_head_before}"
        )


def backup_base(
    dest: Path, *, key: bytes | None, unencrypted: bool = False, user: str | None = None
) -> BaseBackupResult:
    """A physical base backup of the configured PostgreSQL server, for point-in-time recovery
    with the WAL archive: ``pg_basebackup`` (tar format, WAL streamed alongside, a fast
    checkpoint, SHA-256 checksums in its manifest), checked with ``pg_verifybackup`` on an
    unpacked copy, then sealed like a ``.cwbackup``. ``user`` is the role to connect as (it needs
    the REPLICATION attribute); by default the configured database user."""
    _check_key_choice(key, unencrypted)
    from django.db import DatabaseError, connection

    from casework.audit import chain

    if connection.vendor != "postgresql":
        raise BackupError(
            f"base backups are for PostgreSQL; the configured database is {connection.vendor} "
            "(use casework backup)"
        )
    phases = Phases()
    created = dt.datetime.now(dt.UTC)
    target = _destination(Path(dest), BASE_KIND, created)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), system_identifier::text "
            "FROM pg_control_system()"
        )
        server_version, system_identifier = (str(v) for v in cursor.fetchone())
    try:
        head = str(chain.head())
    except DatabaseError:
        raise BackupError(
            "the configured database has no audit trail: is it Casework's? (casework migrate "
            "makes its tables)"
        ) from None
    settings = connection.settings_dict
    env = _pg_env(settings)
    if user:
        # Another role: not the app's password, but the operator's PGPASSWORD or .pgpass.
        env["PGUSER"] = user
        env.pop("PGPASSWORD", None)
        if "PGPASSWORD" in os.environ:
            env["PGPASSWORD"] = os.environ["PGPASSWORD"]
    try:
        with _private_dir(target.parent, ".casework-backup-") as work:
            base = work / "base"
            _run_tool(
                [_pg_tool("pg_basebackup"), f"--pgdata={base}", "--format=tar",
                 "--wal-method=stream", "--checkpoint=fast", "--manifest-checksums=SHA256",
                 "--no-password"],
                env, "pg_basebackup",
            )  # fmt: skip
            extra = sorted(p.name for p in base.iterdir() if p.name not in BASE_FILES)
            if extra:
                raise BackupError(
                    "the server has tablespaces outside its data directory "
                    f"({', '.join(extra)}): base backups of those are not supported"
                )
            phases.done("pg_basebackup")
            check = work / "check"
            check.mkdir(mode=0o700)
            for name, into in (("base.tar", check), ("pg_wal.tar", check / "pg_wal")):
                into.mkdir(mode=0o700, exist_ok=True)
                with tarfile.open(base / name) as tar:
                    tar.extractall(into, filter=_private_member)
            _verify_base(check, base / "backup_manifest")
            shutil.rmtree(check)
            phases.done("pg_verifybackup")
            timeline, start, end = _wal_range((base / "backup_manifest").read_bytes())
            manifest = BaseManifest(
                kind=BASE_KIND,
                created_at=created.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                casework_version=_version(),
                encrypted=key is not None,
                server_version=server_version,
                system_identifier=system_identifier,
                timeline=timeline,
                start_lsn=start,
                end_lsn=end,
                audit_head_before=head,
                files={n: FileDigest(*_file_digest(base / n)) for n in BASE_FILES},
            )
            sealed = work / "sealed"
            _write_sealed(
                sealed, key, (BASE_MANIFEST_NAME, manifest.to_json()),
                [base / n for n in BASE_FILES],
            )  # fmt: skip
            if target.exists():
                raise BackupError(f"{target} already exists: refusing to overwrite it")
            os.replace(sealed, target)
            _fsync_dir(target.parent)
            phases.done("seal")
    except OSError as error:
        raise BackupError(f"cannot write the base backup: {_os_reason(error)}") from None
    except tarfile.TarError as error:
        raise BackupError(f"pg_basebackup wrote an unreadable tar file: {error}") from None
    _record("export", "postgresql", {"kind": BASE_KIND, "encrypted": manifest.encrypted,
                                     "end_lsn": manifest.end_lsn})  # fmt: skip
    phases.done("audit row")
    return BaseBackupResult(target, manifest, target.stat().st_size, phases)


def _wal_range(backup_manifest: bytes) -> tuple[int, str, str]:
    """Timeline, first and last LSN of the WAL the backup needs (from pg_basebackup's
    manifest)."""
    try:
        ranges = json.loads(backup_manifest)["WAL-Ranges"]
        return int(ranges[-1]["Timeline"]), str(ranges[0]["Start-LSN"]), str(ranges[-1]["End-LSN"])
    except (ValueError, TypeError, KeyError, IndexError):
        raise BackupError("pg_basebackup's manifest has no WAL range") from None


def _verify_base(datadir: Path, backup_manifest: Path) -> None:
    """``pg_verifybackup``: every file's size and SHA-256 against pg_basebackup's manifest, and
    the WAL the backup needs is there and parses."""
    _run_tool(
        [_pg_tool("pg_verifybackup"), "--quiet", f"--manifest-path={backup_manifest}",
         str(datadir)],
        dict(os.environ), "pg_verifybackup",
    )  # fmt: skip


def _run_tool(command: list[str], env: dict[str, str], name: str) -> None:
    with tempfile.TemporaryFile() as errors:
        done = subprocess.run(
            command, env=env, stdout=subprocess.DEVNULL, stderr=errors, check=False
        )
        if done.returncode != 0:
            raise BackupError(f"{name} failed: {_last_line(errors)}")


@dataclass(frozen=True)
class BaseRestoreResult:
    source: Path
    datadir: Path
    manifest: BaseManifest
    archive: Path | None
    target_time: dt.datetime | None
    target_action: str
    phases: Phases

    def describe(self) -> str:
        m = self.manifest
        if self.archive is None:
            recovery = "no WAL archive given: it starts as of the end of the backup"
        else:
            until = (
                f"up to {self.target_time:%Y-%m-%d %H:%M:%S.%f} UTC, then {self.target_action}"
                if self.target_time
                else "to the end of the archive, then promote"
            )
            recovery = f"recovery.signal written: it replays WAL from {self.archive} {until}"
        return (
            f"unpacked {self.source} (base backup of {m.created_at}, PostgreSQL "
            f"{m.server_version}) into {self.datadir} in {self.phases}: every file checked with "
            f"pg_verifybackup; {recovery}. Start it as the server's user (pg_ctl -D "
            f"{self.datadir} start), then check: casework audit verify --head "
            f"{m.audit_head_before}"
        )


def restore_base(
    src: Path,
    datadir: Path,
    *,
    key: bytes | None,
    archive: Path | None = None,
    target_time: str | None = None,
    target_action: str = "pause",
    unencrypted: bool = False,
) -> BaseRestoreResult:
    """Unpack a base backup into ``datadir`` (new, or an empty directory), check it with
    ``pg_verifybackup``, and set up recovery for the operator to start: with ``archive``,
    ``restore_command`` reading WAL from it, ``recovery.signal`` and, with ``target_time``
    (ISO 8601 with a zone), ``recovery_target_time`` and ``recovery_target_action``.

    The files take the owner of ``datadir`` when this runs as root (so create it as the
    server's user). Nothing is left in ``datadir`` when anything fails."""
    src, datadir = Path(src), Path(datadir).absolute()
    when = _target_time(target_time) if target_time else None
    if when is not None and archive is None:
        raise BackupError("--target-time needs --archive: the WAL after the backup comes from it")
    if target_action not in TARGET_ACTIONS:
        raise BackupError(f"--target-action is one of {', '.join(TARGET_ACTIONS)}")
    if archive is not None:
        archive = Path(archive).absolute()
        if not archive.is_dir():
            raise BackupError(f"no WAL archive directory {archive}")
    if not src.is_file():
        raise BackupError(f"no backup file {src}")
    if datadir.exists() and (not datadir.is_dir() or any(datadir.iterdir())):
        raise BackupError(f"{datadir} is not an empty directory: restore into a new one")
    phases = Phases()
    made = not datadir.exists()
    try:
        datadir.mkdir(mode=0o700, exist_ok=True)
        datadir.chmod(0o700)  # the server refuses a data directory others can read
        manifest = _unpack_base(src, datadir, key, unencrypted)
        phases.done("decrypt and unpack")
        _verify_base(datadir, datadir / "backup_manifest")
        phases.done("pg_verifybackup")
        if archive is not None:
            _write_recovery(datadir, archive, when, target_action)
        _give_to_owner(datadir)
    except BaseException as error:
        _empty(datadir, remove=made)
        if isinstance(error, OSError):
            raise BackupError(f"cannot restore: {_os_reason(error)}") from None
        if isinstance(error, tarfile.TarError):
            raise BackupError("the backup's contents are malformed: refusing it") from None
        raise
    return BaseRestoreResult(src, datadir, manifest, archive, when, target_action, phases)


def _target_time(text: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise BackupError(
            f"--target-time {text!r} is not a time with its zone (ISO 8601, such as "
            "2025-03-01T14:30:00Z or 2025-03-01 09:30:00-05:00)"
        )
    return when.astimezone(dt.UTC)


class _Hashing:
    """A read-only stream that hashes what passes through it."""

    def __init__(self, source: IO[bytes]) -> None:
        self._source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def drain(self) -> FileDigest:
        while self.read(CHUNK_BYTES):
            pass
        return FileDigest(self.size, self.digest.hexdigest())


def _unpack_base(src: Path, datadir: Path, key: bytes | None, unencrypted: bool) -> BaseManifest:
    """Stream the sealed file into ``datadir``: base.tar into it, pg_wal.tar into its pg_wal,
    pg_basebackup's manifest beside them; each checked against the base manifest."""
    with src.open("rb") as raw:
        reader = _SealedReader(raw, key, allow_unencrypted=unencrypted)
        with tarfile.open(fileobj=cast(IO[bytes], reader), mode="r|") as tar:
            members = _members(tar)
            manifest = BaseManifest.from_json(
                _read_member(tar, next(members, None), BASE_MANIFEST_NAME)
            )
            for name in BASE_FILES:
                member = next(members, None)
                if member is None or member.name != name or not member.isfile():
                    raise BackupError(f"the backup holds no {name}: refusing it")
                data = tar.extractfile(member)
                assert data is not None
                stream = _Hashing(data)
                if name == "backup_manifest":
                    descriptor = os.open(
                        datadir / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
                    )
                    with os.fdopen(descriptor, "wb") as out:
                        while block := stream.read(CHUNK_BYTES):
                            out.write(block)
                else:
                    into = datadir if name == "base.tar" else datadir / "pg_wal"
                    into.mkdir(mode=0o700, exist_ok=True)
                    with tarfile.open(fileobj=cast(IO[bytes], stream), mode="r|") as inner:
                        inner.extractall(into, filter=_private_member)
                if stream.drain() != manifest.files[name]:
                    raise BackupError(
                        f"the backup's {name} does not match its manifest: refusing it"
                    )
            if next(members, None) is not None:
                raise BackupError("the backup holds more than a base backup: refusing it")
        reader.drain()
    return manifest


def _private_member(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo:
    """tarfile's "data" filter (nothing outside the directory, no devices, no owners), with the
    server's own modes: directories 0700, files at most 0600."""
    safe = tarfile.data_filter(member, path)
    mode = 0o700 if safe.isdir() else (safe.mode or 0o600) & 0o600
    return safe.replace(mode=mode, deep=False)


def _write_recovery(datadir: Path, archive: Path, when: dt.datetime | None, action: str) -> None:
    """Recovery settings where the server reads them whatever its configuration file:
    ``postgresql.auto.conf`` (what ``pg_basebackup -R`` writes to), and ``recovery.signal``."""
    command = f'cp {shlex.quote(str(archive))}/%f "%p"'
    lines = [
        f"# casework restore-base, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC",
        f"restore_command = {_conf_string(command)}",
    ]
    # Every kind of target, so that none left by an earlier restore of the backed-up server
    # (a restored copy keeps its settings) still applies; the time last, once the rest are off.
    lines += [f"recovery_target{kind} = ''" for kind in ("", "_lsn", "_name", "_xid")]
    if when is None:
        lines.append("recovery_target_time = ''")
    else:
        lines += [
            f"recovery_target_time = {_conf_string(f'{when:%Y-%m-%d %H:%M:%S.%f}+00')}",
            f"recovery_target_action = {_conf_string(action)}",
        ]
    with (datadir / "postgresql.auto.conf").open("a") as conf:
        conf.write("\n".join(lines) + "\n")
        conf.flush()
        os.fsync(conf.fileno())
    descriptor = os.open(datadir / "recovery.signal", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)


def _conf_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def _give_to_owner(datadir: Path) -> None:
    """Run as root, hand the files to the owner of the data directory (the server's user)."""
    owner = datadir.stat()
    if os.geteuid() != 0 or owner.st_uid == 0:
        return
    for path in [datadir, *datadir.rglob("*")]:
        os.lchown(path, owner.st_uid, owner.st_gid)


def _empty(datadir: Path, *, remove: bool) -> None:
    if remove:
        shutil.rmtree(datadir, ignore_errors=True)
        return
    for path in datadir.iterdir() if datadir.is_dir() else ():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


# helpers ----------------------------------------------------------------------------------


def _record(action: str, vendor: str, details: dict[str, Any]) -> None:
    """The audit row of a backup (an export of everything) or a restore."""
    from django.db import DatabaseError

    from casework.audit.events import record

    try:
        record(
            action,
            user=None,
            object_type="database",
            details={"engine": vendor, "os_user": os.environ.get("USER", ""), **details},
        )
    except DatabaseError as error:
        done = "the backup is written" if action == "export" else "the restore is done"
        raise BackupError(
            f"{done}, but its audit row could not be recorded ({type(error).__name__}: "
            f"{error}); record it by hand"
        ) from None


@contextmanager
def _private_dir(parent: Path, prefix: str) -> Iterator[Path]:
    """A 0700 scratch directory for plain text of the database, removed afterwards."""
    parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _scratch_dir(connection: Any) -> Path:
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if name != ":memory:" and not name.startswith("file:"):
            return Path(name).resolve().parent
    from django.conf import settings

    return Path(settings.DATA_DIR)


def _file_digest(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as data:
        while block := data.read(CHUNK_BYTES):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    fallback = PG_FALLBACK_BIN / name
    if fallback.is_file():
        return str(fallback)
    raise BackupError(f"{name} is not installed (the PostgreSQL client tools are needed)")


def _conninfo(settings: Mapping[str, Any]) -> str:
    name = str(settings.get("NAME") or "").replace("\\", "\\\\").replace("'", "\\'")
    return f"dbname='{name}'"


def _pg_env(settings: Mapping[str, Any]) -> dict[str, str]:
    """libpq settings for pg_dump and pg_restore from Django's (the password never in argv)."""
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD")):  # fmt: skip
        if settings.get(key):
            env[variable] = str(settings[key])
    options = settings.get("OPTIONS") or {}
    for option, variable in _PG_OPTION_ENV.items():
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _last_line(stream: IO[bytes]) -> str:
    stream.seek(0)
    lines = [line.strip() for line in stream.read().decode(errors="replace").splitlines()]
    return next((line for line in reversed(lines) if line), "no message")


def _os_reason(error: OSError) -> str:
    where = f" ({error.filename})" if error.filename else ""
    return f"{error.strerror or error}{where}"


def _version() -> str:
    import casework

    return casework.__version__
