"""The database settings an acknowledged write depends on, checked before serving (DUR-02).

A commit Casework has answered 2xx for must survive a crash of the server, the database or the
machine. That holds only while the engine flushes the commit to disk before it returns:

- SQLite: ``journal_mode=WAL`` (readers beside one writer), ``synchronous=FULL`` (the WAL is
  fsynced at every commit; NORMAL may lose the last commits on power loss), ``foreign_keys=ON``
  and a busy timeout (so a locked database waits, then becomes a retryable 503). Casework sets
  them on every connection (``settings.py``); the check proves the connection really has them.
- PostgreSQL: ``fsync=on``, ``full_page_writes=on`` (a torn page is repaired from the WAL) and
  ``synchronous_commit`` at ``on`` or stronger (``remote_write``/``remote_apply`` also flush
  locally first). ``off`` and ``local`` are refused: ``off`` acknowledges before the flush, and
  ``local`` hides the loss of a synchronous standby that the operator asked for.

Test rigs that trade durability for speed set ``CASEWORK_UNSAFE_DURABILITY_FOR_TESTS=1``, and
``casework serve`` then starts anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

SQLITE_EXPECTED: Mapping[str, Callable[[Any], bool]] = {
    "journal_mode": lambda value: str(value).lower() == "wal",
    "synchronous": lambda value: int(value) >= 2,  # 2 = FULL, 3 = EXTRA
    "foreign_keys": lambda value: int(value) == 1,
    "busy_timeout": lambda value: int(value) >= 1000,
}
SQLITE_WANTED = {
    "journal_mode": "wal",
    "synchronous": "FULL (2)",
    "foreign_keys": "1",
    "busy_timeout": "at least 1000 ms",
}

POSTGRES_EXPECTED: Mapping[str, frozenset[str]] = {
    "fsync": frozenset({"on"}),
    "full_page_writes": frozenset({"on"}),
    "synchronous_commit": frozenset({"on", "remote_write", "remote_apply"}),
}


def sqlite_problems(values: Mapping[str, Any]) -> list[str]:
    """What is wrong with these PRAGMA values, one sentence each."""
    return [
        f"SQLite {name} is {values.get(name)!r}; Casework needs {SQLITE_WANTED[name]}"
        for name, acceptable in SQLITE_EXPECTED.items()
        if values.get(name) is None or not acceptable(values[name])
    ]


def postgres_problems(values: Mapping[str, str]) -> list[str]:
    return [
        f"PostgreSQL {name} is {values.get(name)!r}; Casework needs "
        + " or ".join(sorted(acceptable))
        for name, acceptable in POSTGRES_EXPECTED.items()
        if str(values.get(name, "")).lower() not in acceptable
    ]


def read_settings(connection: Any) -> dict[str, Any]:
    """The durability settings of a live Django connection."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            found = {}
            for name in SQLITE_EXPECTED:
                cursor.execute(f"PRAGMA {name}")
                found[name] = cursor.fetchone()[0]
            return found
        if connection.vendor == "postgresql":
            found = {}
            for name in POSTGRES_EXPECTED:
                cursor.execute(f"SHOW {name}")
                found[name] = cursor.fetchone()[0]
            return found
    return {}


def problems(connection: Any) -> list[str]:
    values = read_settings(connection)
    if connection.vendor == "sqlite":
        return sqlite_problems(values)
    if connection.vendor == "postgresql":
        return postgres_problems(values)
    return [f"the {connection.vendor} engine is not supported (SQLite or PostgreSQL)"]
