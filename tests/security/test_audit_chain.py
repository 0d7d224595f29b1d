"""AUDIT-02 (append-only) and AUDIT-03 (tamper evidence) on the engine under test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from casework.audit import chain
from casework.audit.events import Action, record
from casework.audit.models import AuditEvent
from casework.cli import main
from tests.security.conftest import mark, triggers_dropped


def _seed(n: int = 5) -> list[AuditEvent]:
    return [record(Action.READ, user=None, object_type="clients", object_id=i) for i in range(n)]


def test_a_clean_chain_verifies(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _seed()
    assert chain.verify().ok
    assert main(["audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out


def test_rows_are_gapless_and_linked(db: Any) -> None:
    start = mark()
    events = _seed(4)
    assert [e.seq for e in events] == [start + 1, start + 2, start + 3, start + 4]
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.hash == chain.compute_hash(before.hash, after)


@pytest.mark.parametrize("statement", ["UPDATE {t} SET username = 'mallory'", "DELETE FROM {t}"])
def test_raw_update_and_delete_are_refused(db: Any, statement: str) -> None:
    _seed(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement.format(t="audit_auditevent"))
    assert AuditEvent.objects.count() >= 2


def test_truncate_is_refused_on_postgresql(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite has only DELETE, refused above")
    _seed(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditevent")


def test_the_orm_cannot_edit_or_delete_either(db: Any) -> None:
    event = _seed(1)[0]
    event.username = "mallory"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save(force_update=True)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=event.seq).delete()


def _verdict_after(tamper: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    start = mark()
    _seed(6)
    bad = start + 3
    with triggers_dropped() as cursor:
        if tamper == "edit":
            cursor.execute("UPDATE audit_auditevent SET object_id = 'x' WHERE seq = %s", [bad])
        elif tamper == "delete":
            cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [bad])
        elif tamper == "swap":
            # Swap everything but seq between two neighbours.
            a, b = AuditEvent.objects.get(seq=bad), AuditEvent.objects.get(seq=bad + 1)
            for mine, theirs in ((a, b), (b, a)):
                cursor.execute(
                    "UPDATE audit_auditevent SET object_id = %s, prev_hash = %s, hash = %s "
                    "WHERE seq = %s",
                    [theirs.object_id, theirs.prev_hash, theirs.hash, mine.seq],
                )
    code = main(["audit", "verify"])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("tamper", ["edit", "delete", "swap"])
def test_verify_names_the_first_bad_row(
    db: Any, capsys: pytest.CaptureFixture[str], tamper: str
) -> None:
    start = mark()
    code, err = _verdict_after(tamper, capsys)
    assert code == 1
    assert f"broken at seq {start + 3}:" in err, err


def test_a_dropped_tail_is_found_against_the_exported_head(
    db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    start = mark()
    _seed(5)
    assert main(["audit", "head"]) == 0
    head = capsys.readouterr().out.strip()
    assert head == f"{start + 5}:{AuditEvent.objects.get(seq=start + 5).hash}"
    with triggers_dropped() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > %s", [start + 3])
    assert chain.verify().ok  # the rows alone cannot tell
    assert main(["audit", "verify", "--head", head]) == 1
    assert f"broken at seq {start + 4}:" in capsys.readouterr().err
    assert main(["audit", "verify", "--head", "nonsense"]) == 1


def test_the_head_must_match_not_just_exist(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    events = _seed(2)
    forged = f"{events[0].seq}:{'f' * 64}"
    assert main(["audit", "verify", "--head", forged]) == 1
    assert f"broken at seq {events[0].seq}:" in capsys.readouterr().err


def test_a_rolled_back_change_takes_its_row_and_number(db: Any) -> None:
    start = mark()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(Action.UPDATE, user=None, object_type="cases", object_id=1)
        raise RuntimeError("the change failed after its audit row")
    assert mark() == start
    assert record(Action.READ, user=None).seq == start + 1  # no gap left behind


_WRITERS = """
import os, sys, threading
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "casework.settings"
django.setup()
from django.core.management import call_command
from django.db import connection, connections
from casework.audit.chain import verify
from casework.audit.events import record
from casework.audit.models import AuditEvent
if connection.vendor == "sqlite":
    call_command("migrate", "audit", verbosity=0)  # a fresh file: the audit table only
start = threading.Barrier(20)
errors = []

def write(n):
    try:
        start.wait()  # all twenty begin together
        for i in range(5):
            record("read", user=None, object_type="concurrency", object_id=f"{n}-{i}")
    except Exception as error:  # reported below
        errors.append(repr(error))
    finally:
        connections.close_all()

threads = [threading.Thread(target=write, args=(n,)) for n in range(20)]
for t in threads: t.start()
for t in threads: t.join()
print(errors or "ok", verify().ok, AuditEvent.objects.filter(object_type="concurrency").count())
"""


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_writers_keep_one_chain(tmp_path: Path) -> None:
    """Twenty threads, each with its own database connection, append at once (in a separate
    process: the suite's SQLite database is in memory and cannot be shared)."""
    env = dict(os.environ)
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        login = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        env["DATABASE_URL"] = f"postgres://{login}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'concurrent.sqlite3'}"
    run = subprocess.run([sys.executable, "-c", _WRITERS], env=env, capture_output=True,
                         text=True, timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.split() == ["ok", "True", "100"], run.stdout + run.stderr[-3000:]
