"""Snapshots of everything a request could have stored, to show that one stored nothing
(INPUT-03, DUR-01).

``table_snapshot()`` fingerprints every table the database has (row count and a SHA-256 of its
rows) and the places mail goes: the locmem outbox that Django's test runner installs, or the
file backend's outbox directory. Two snapshots compare equal exactly when nothing changed;
``diff`` names what did::

    before = table_snapshot(exclude=[AUDIT_TABLE])
    ...  # a refused request
    assert diff(before, table_snapshot(exclude=[AUDIT_TABLE])) == []
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import connection

from casework.audit.models import AuditEvent

Snapshot = dict[str, tuple[int, str]]
AUDIT_TABLE: str = AuditEvent._meta.db_table
# Keys for what is not a table, named so that no table can clash with them.
MAIL_OUTBOX = "<mail outbox>"
MAIL_FILES = "<mail files>"


def _render(row: Sequence[Any]) -> str:
    # The same text for the same stored row: dict keys sorted (a JSON column may come back as a
    # dict), and what JSON cannot encode (dates, decimals, bytes) by its repr.
    return json.dumps(list(row), sort_keys=True, default=repr, ensure_ascii=True)


# Primary keys by (database, table): PostgreSQL's catalog lookups would otherwise cost most of
# a snapshot, and a test never changes the schema.
_KEYS: dict[tuple[str, str], list[str]] = {}


def _primary_key(cursor: Any, table: str) -> list[str]:
    place = (str(connection.settings_dict["NAME"]), table)
    if place not in _KEYS:
        _KEYS[place] = list(connection.introspection.get_primary_key_columns(cursor, table) or [])
    return _KEYS[place]


def _table_digest(cursor: Any, table: str) -> tuple[int, str]:
    quote = connection.ops.quote_name
    keys = _primary_key(cursor, table)
    order = ", ".join(quote(k) for k in keys) or "1"
    cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")
    rendered = [_render(row) for row in cursor.fetchall()]
    if not keys:
        # Without a key, ties in the first column come back in any order.
        rendered.sort()
    digest = hashlib.sha256()
    for line in rendered:
        digest.update(line.encode())
        digest.update(b"\n")
    return len(rendered), digest.hexdigest()


def _mail_files() -> tuple[int, str] | None:
    if settings.EMAIL_BACKEND != "django.core.mail.backends.filebased.EmailBackend":
        return None
    folder = Path(getattr(settings, "EMAIL_FILE_PATH", "") or ".")
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return len(files), digest.hexdigest()


def table_snapshot(*, exclude: Iterable[str] = ()) -> Snapshot:
    """Row count and content hash of every table but ``exclude``, and the mail sent so far.

    Taken on the default connection, inside the caller's transaction, so it sees what the
    test's own (uncommitted) requests stored."""
    skip = set(exclude)
    snapshot: Snapshot = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table not in skip:
                snapshot[table] = _table_digest(cursor, table)
    outbox = getattr(mail, "outbox", None)
    if outbox is not None:
        # locmem, which Django's test runner installs: the sent messages are kept in memory.
        sent = [[m.subject, m.to, m.body] for m in outbox]
        snapshot[MAIL_OUTBOX] = (len(sent), hashlib.sha256(_render(sent).encode()).hexdigest())
    files = _mail_files()
    if files is not None:
        snapshot[MAIL_FILES] = files
    return snapshot


def diff(before: Snapshot, after: Snapshot) -> list[str]:
    """The tables (and mail stores) whose rows differ, appeared or disappeared, sorted."""
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
