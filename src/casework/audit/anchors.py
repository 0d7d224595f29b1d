"""Chain heads kept outside the database (AUDIT-03).

Rows dropped from the end of the audit log leave a chain that still verifies; only a head
recorded elsewhere shows they existed. ``casework audit anchor --to FILE`` appends the current
head to an anchor file, a line a day from a timer (``deploy/systemd``), and ``casework audit
verify --anchors FILE`` checks that every head ever anchored is still in the chain with the
same hash. The file belongs on storage the database's administrators cannot rewrite: another
machine, a write-once bucket, an append-only mount.

Each line is ``<UTC time, ISO 8601> <SEQ>:<HASH>``; the file is only ever appended to, and
every append is flushed to disk before the command reports success.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from casework.audit.chain import Head


class AnchorFileError(ValueError):
    pass


@dataclass(frozen=True)
class Anchor:
    at: dt.datetime
    head: Head

    def line(self) -> str:
        return f"{self.at.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')} {self.head}\n"


def read(path: Path) -> list[Anchor]:
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise AnchorFileError(f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise AnchorFileError(f"{path} cannot be read: {error}") from None
    anchors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        stamp, _, head = line.partition(" ")
        try:
            at = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
            anchors.append(Anchor(at, Head.parse(head)))
        except ValueError as error:
            raise AnchorFileError(f"{path} line {number}: {error}") from None
    return anchors


def append(path: Path, anchor: Anchor) -> None:
    """Add one line and make it durable; an anchor file is never rewritten."""
    created = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, anchor.line().encode("ascii"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created:  # the new directory entry must survive a crash too
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
