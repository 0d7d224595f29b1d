"""AUDIT-01 (data category and label, break-glass flag on each row) and PRIV-05 (every action
under emergency access flagged)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client as HttpClient

from casework.core import clock
from tests.conftest import Api, api_for
from tests.security.conftest import mark, rows_since

NOTE = {"occurred_at": "2026-03-02T10:00:00Z", "mode": "phone", "subjective": "SENTINEL-LBL"}


def test_rows_carry_the_labels_of_the_records_read_or_written(api: Api, case_id: int) -> None:
    start = mark()
    created = api.create(f"/cases/{case_id}/notes", {**NOTE, "sensitivity": "part2_sud"})
    assert created.status_code == 201, created.content
    api.create(f"/cases/{case_id}/notes", NOTE)
    api.get(f"/notes/{created.json()['id']}")
    api.get(f"/cases/{case_id}/notes")
    rows = rows_since(start)
    assert [r.labels for r in rows] == [["part2_sud"], [], ["part2_sud"], ["part2_sud"]]


def test_a_web_page_showing_labelled_notes_records_their_labels(
    api: Api, case_id: int, case_manager: Any
) -> None:
    api.create(f"/cases/{case_id}/notes", {**NOTE, "sensitivity": "part2_sud"})
    web = HttpClient()
    web.force_login(case_manager)
    start = mark()
    assert web.get(f"/cases/{case_id}/notes/").status_code == 200
    assert web.get(f"/cases/{case_id}/").status_code == 200
    assert [r.labels for r in rows_since(start)] == [["part2_sud"], []]


def test_every_row_under_emergency_access_is_flagged(
    case_id: int, client_id: int, outsider: Any, api: Api
) -> None:
    outsider.staff.may_break_glass = True
    outsider.staff.save()
    other = api_for(outsider)
    start = mark()
    grant = other.post(f"/clients/{client_id}/break-glass", {"reason": "ED needs medication"})
    assert grant.status_code == 201
    assert other.get(f"/cases/{case_id}").status_code == 200
    assert other.get(f"/clients/{client_id}").status_code == 200
    api.get(f"/cases/{case_id}")  # the case manager's own read is not emergency access
    flags = [(r.username, r.break_glass) for r in rows_since(start)]
    assert flags == [
        ("olga_outsider", True), ("olga_outsider", True), ("olga_outsider", True),
        ("carla_cm", False),
    ]  # fmt: skip
    with clock.frozen_at(clock.now() + dt.timedelta(minutes=61)):
        later = mark()
        assert other.get(f"/cases/{case_id}").status_code == 404
        assert [r.break_glass for r in rows_since(later)] == [False]
