"""AUDIT-03: the chain head exported to a separate store, a line a day, and checked back.

Rows dropped from the end of the log leave a chain that verifies on its own; the anchor file
kept elsewhere is what shows they existed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from casework.audit import anchors, chain
from casework.audit.models import AuditEvent
from casework.cli import main
from casework.core import clock
from tests.security.conftest import mark, triggers_dropped
from tests.security.test_audit_chain import _seed


def _anchor(store: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["audit", "anchor", "--to", str(store)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_each_day_appends_the_head_and_verify_checks_them_all(
    db: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "elsewhere" / "anchors.txt"
    _seed(3)
    first_day = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)
    with clock.frozen_at(first_day):
        assert _anchor(store, capsys)[0] == 0
    _seed(2)
    with clock.frozen_at(first_day + dt.timedelta(days=1)):
        code, out, _ = _anchor(store, capsys)
    assert code == 0 and "all 1 earlier anchors match (first 2026-11-28)" in out
    kept = anchors.read(store)
    assert [a.at.date() for a in kept] == [dt.date(2026, 11, 28), dt.date(2026, 11, 29)]
    assert kept[1].head == chain.head()
    assert kept[0].head.seq == kept[1].head.seq - 2
    assert store.read_text().splitlines()[0].startswith("2026-11-28T02:00:00Z ")
    assert main(["audit", "verify", "--anchors", str(store)]) == 0
    assert "all 2 earlier anchors match" in capsys.readouterr().out


def test_rows_dropped_after_an_anchor_are_found_and_not_anchored_over(
    db: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "anchors.txt"
    start = mark()
    _seed(5)
    assert _anchor(store, capsys)[0] == 0
    with triggers_dropped() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > %s", [start + 3])
    assert chain.verify().ok  # the rows alone cannot tell
    assert main(["audit", "verify", "--anchors", str(store)]) == 1
    assert f"broken at seq {start + 4}:" in capsys.readouterr().err
    code, _, err = _anchor(store, capsys)
    assert code == 1 and "not anchored" in err
    assert len(anchors.read(store)) == 1  # the shortened chain was not blessed


def test_an_edited_anchored_row_is_found(
    db: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "anchors.txt"
    _seed(2)
    assert _anchor(store, capsys)[0] == 0
    anchored = anchors.read(store)[0].head
    with triggers_dropped() as cursor:  # rewrite the row and its hash consistently
        event = AuditEvent.objects.get(seq=anchored.seq)
        event.object_id = "forged"
        cursor.execute(
            "UPDATE audit_auditevent SET object_id = %s, hash = %s WHERE seq = %s",
            ["forged", chain.compute_hash(event.prev_hash, event), anchored.seq],
        )
    assert chain.verify().ok
    assert main(["audit", "verify", "--anchors", str(store)]) == 1
    assert f"broken at seq {anchored.seq}: it does not match" in capsys.readouterr().err


@pytest.mark.parametrize(
    "content", ["not an anchor\n", "2026-11-28T02:00:00Z 12:abc\n", "yesterday 3:" + "a" * 64]
)
def test_a_damaged_anchor_file_is_one_clear_line(
    db: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    store = tmp_path / "anchors.txt"
    store.write_text(content)
    assert main(["audit", "verify", "--anchors", str(store)]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "line 1" in err
    assert main(["audit", "verify", "--anchors", str(tmp_path / "missing.txt")]) != 0
    assert "does not exist" in capsys.readouterr().err


def test_an_unwritable_store_is_refused(
    db: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, _, err = _anchor(blocker / "anchors.txt", capsys)
    assert code != 0 and "cannot be written" in err
