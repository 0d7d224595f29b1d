"""AUDIT-05: the auditor's search and export: filters, every sort key, auditors only, and
reading the log is itself recorded."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from casework.audit.context import serving
from casework.audit.events import Action, Outcome, record
from casework.audit.search import SORT_KEYS
from casework.cli import main
from casework.core import clock
from tests.conftest import api_for
from tests.security.conftest import make_auditor, mark, rows_since

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def seeded(case_manager: Any, outsider: Any) -> int:
    start = mark()
    plan = [
        (case_manager, 7, Action.READ, "clients", "7", Outcome.SUCCESS, 200, "10.0.0.9"),
        (outsider, 3, Action.QUERY, "cases", "", Outcome.NOT_FOUND, 404, "10.0.0.1"),
        (case_manager, 3, Action.UPDATE, "cases", "12", Outcome.SUCCESS, 200, "10.0.0.5"),
        (outsider, None, Action.DENIED, "audit", "", Outcome.DENIED, 403, "10.0.0.2"),
    ]
    for day, (user, client, action, kind, oid, outcome, status, ip) in enumerate(plan):
        # The address comes from the request being served.
        request = RequestFactory().get("/", REMOTE_ADDR=ip)
        with clock.frozen_at(T0 + dt.timedelta(days=day)), serving(request):
            event = record(action, user=user, client_id=client, object_type=kind,
                           object_id=oid, outcome=outcome, status=status)  # fmt: skip
        assert event.ip == ip
    return start


def _auditor_api() -> Any:
    return api_for(make_auditor())


def test_other_roles_get_403_even_administrators(case_manager: Any, seeded: int) -> None:
    admin = get_user_model().objects.create_superuser("root_admin", password="x" * 20)
    for user in (case_manager, admin):
        response = api_for(user).get("/audit")
        assert response.status_code == 403, user
    denied = rows_since(seeded, action="denied", object_type="audit", status=403)
    assert {row.user_id for row in denied} >= {case_manager.pk, admin.pk}


def test_filters(seeded: int) -> None:
    api = _auditor_api()

    def seqs(**params: Any) -> list[int]:
        window = {"since": "2026-03-01", "until": "2026-03-04"}
        body = api.get("/audit", **{**window, **params}).json()
        return [e["seq"] for e in body["items"]]

    assert seqs(user="carla_cm") == [seeded + 1, seeded + 3]
    assert seqs(client=3) == [seeded + 2, seeded + 3]
    assert seqs(action="denied") == [seeded + 4]
    assert seqs(until="2026-03-02") == [seeded + 1, seeded + 2]
    assert seqs(since="2026-03-03") == [seeded + 3, seeded + 4]
    assert api.get("/audit", action="nonsense").status_code == 422


@pytest.mark.parametrize("key", sorted(SORT_KEYS))
def test_every_sort_key_orders_the_log(seeded: int, key: str) -> None:
    api = _auditor_api()
    column = {"user": "username", "client": "client_id"}.get(key, key)
    orders = {}
    for sort in (key, f"-{key}"):
        body = api.get("/audit", since="2026-03-01", until="2026-03-04", sort=sort).json()
        assert body["count"] == 4
        pairs = [(item[column], item["seq"]) for item in body["items"]]
        # NULLs sort first or last depending on the engine; the rest must be in order, ties
        # broken by seq in the same direction.
        known = [p for p in pairs if p[0] is not None]
        assert known == sorted(known, reverse=sort.startswith("-")), sort
        orders[sort] = [p[1] for p in pairs]
    if len({p for p in orders[key]}) > 1:
        assert orders[key] != orders[f"-{key}"]


def test_viewing_the_log_is_recorded(seeded: int) -> None:
    api = _auditor_api()
    start = mark()
    api.get("/audit", client=7)
    (row,) = rows_since(start)
    assert (row.action, row.object_type, row.user_id) == ("query", "audit", api.user.pk)
    assert row.details["params"] == ["client"]


def test_csv_export_for_auditors_only_and_recorded(
    seeded: int, capsys: pytest.CaptureFixture[str]
) -> None:
    make_auditor()
    assert main(["audit", "export", "--since", "2026-03-01", "--until", "2026-03-04",
                 "--as", "audrey_auditor"]) == 0  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [int(r["seq"]) for r in rows] == [seeded + i for i in (1, 2, 3, 4)]
    assert rows[0]["action"] == "read" and rows[0]["client_id"] == "7"
    export = rows_since(seeded, action="export")
    assert len(export) == 1 and export[0].details["rows"] == 4
    assert main(["audit", "export", "--as", "carla_cm"]) == 1
    assert "auditor" in capsys.readouterr().err


def test_csv_cells_cannot_become_formulas(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    start = mark()
    record(Action.LOGIN_FAILED, user=None, username='=HYPERLINK("http://x")')
    make_auditor()
    main(["audit", "export", "--as", "audrey_auditor"])
    rows = [r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))
            if int(r["seq"]) > start]  # fmt: skip
    assert rows[0]["username"].startswith("'=")
