"""PostgreSQL's ``archive_command`` for point-in-time recovery (DUR-07): ``wal-archive``.

::

    archive_mode = on
    archive_command = 'casework wal-archive %p /srv/wal-archive/%f'
    # or, where Casework is not installed for the server's user (only Python 3 is needed):
    archive_command = 'python3 /opt/casework/walarchive.py %p /srv/wal-archive/%f'

The server runs it as its own user, from its data directory, for every finished WAL segment
(and for timeline history and backup history files), and recycles the segment only after an
exit status 0. So it copies the file to a temporary name in the archive directory, fsyncs it,
links it to its final name (a link never replaces an existing file) and fsyncs the directory:
once it says yes, the copy is on disk.

The archive never changes what it holds. When the name is taken already, the same bytes are
a success (the server archives a segment again when it crashed before noting that it was
done), and other bytes are a failure: exit 1 and one line on standard error, which goes to the
server's log; the server keeps the segment and retries. That is the contract the PostgreSQL
manual asks of an ``archive_command``.

Only the standard library, so that this file also runs on its own on the database host, without
Casework's dependencies: copy it there.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

CHUNK_BYTES = 1 << 20
# Where hard links are not supported, a rename after a check for the name (the server runs one
# archiver at a time, so nothing can take the name in between).
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK}


class ArchiveError(Exception):
    """The file was not archived; the message is the one line for the server's log."""


def archive(source: Path, target: Path) -> bool:
    """Copy ``source`` to ``target`` durably, never replacing a file. True when copied, False
    when ``target`` already held the same bytes; ``ArchiveError`` otherwise."""
    directory = target.parent
    if not directory.is_dir():
        raise ArchiveError(f"no archive directory {directory}")
    if not source.is_file():
        raise ArchiveError(f"no file {source} to archive")
    try:
        if os.path.lexists(target):
            return _already_there(source, target)
        descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
        temporary = Path(name)
        try:
            with os.fdopen(descriptor, "wb") as out, source.open("rb") as data:
                shutil.copyfileobj(data, out, CHUNK_BYTES)
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(temporary, target)
            except FileExistsError:
                return _already_there(source, target)
            except OSError as error:
                if error.errno not in _NO_LINKS:
                    raise
                if os.path.lexists(target):
                    return _already_there(source, target)
                os.rename(temporary, target)
        finally:
            if os.path.lexists(temporary):
                os.unlink(temporary)
        _fsync_dir(directory)
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        raise ArchiveError(f"cannot archive {source}: {error.strerror or error}{where}") from None
    return True


def _already_there(source: Path, target: Path) -> bool:
    if not _same_bytes(source, target):
        raise ArchiveError(f"{target} already exists with other content: refusing to overwrite it")
    # An earlier run may have stopped after the link, before the fsyncs.
    descriptor = os.open(target, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    _fsync_dir(target.parent)
    return False


def _same_bytes(a: Path, b: Path) -> bool:
    if not b.is_file() or a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as first, b.open("rb") as second:
        while True:
            block = first.read(CHUNK_BYTES)
            if block != second.read(CHUNK_BYTES):
                return False
            if not block:
                return True


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: walarchive.py %p ARCHIVE_DIRECTORY/%f", file=sys.stderr)
        return 2
    try:
        archive(Path(args[0]), Path(args[1]))
    except ArchiveError as error:
        print(f"casework wal-archive: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
