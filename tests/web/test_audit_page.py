"""The auditor's audit-trail page (issue #4): auditors only, the filters and every sort key of
``casework.audit.search``, paging, and a CSV export; viewing and exporting are themselves
recorded."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.test import RequestFactory

from casework.audit.context import serving
from casework.audit.events import Action, Outcome, record
from casework.audit.models import AuditEvent
from casework.audit.search import SORT_KEYS
from casework.core import clock
from casework.staff.services import create_user
from casework.web.views.audit import PAGE_SIZE
from tests.conftest import PASSWORD
from tests.web.conftest import signed_in

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
WINDOW = {"since": "2026-03-01", "until": "2026-03-04"}


def _last_seq() -> int:
    return int(AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0)


def _rows_after(seq: int, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq, **filters).order_by("seq"))


@pytest.fixture
def auditor(db: Any) -> Any:
    """An auditor and nothing else: no staff record, no clinical permission."""
    return create_user(username="audra_auditor", password=PASSWORD, roles=("auditor",))


@pytest.fixture
def seeded(case_manager: Any, outsider: Any) -> int:
    """Four rows on four UTC days, before anything the test does."""
    start = _last_seq()
    plan = [
        (case_manager, 7, Action.READ, "clients", "7", Outcome.SUCCESS, 200, "10.0.0.9"),
        (outsider, 3, Action.QUERY, "cases", "", Outcome.NOT_FOUND, 404, "10.0.0.1"),
        (case_manager, 3, Action.UPDATE, "cases", "12", Outcome.SUCCESS, 200, "10.0.0.5"),
        (outsider, None, Action.DENIED, "audit", "", Outcome.DENIED, 403, "10.0.0.2"),
    ]
    for day, (user, client, action, kind, oid, outcome, status, ip) in enumerate(plan):
        request = RequestFactory().get("/", REMOTE_ADDR=ip)
        with clock.frozen_at(T0 + dt.timedelta(days=day)), serving(request):
            record(action, user=user, client_id=client, object_type=kind,
                   object_id=oid, outcome=outcome, status=status)  # fmt: skip
    return start


def _seqs(response: Any) -> list[int]:
    """The sequence numbers of the rows the page shows, in order."""
    body = response.content.decode()
    table = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in body else ""
    return [int(n) for n in re.findall(r'<tr>\s*<td class="num">(\d+)</td>', table)]


def test_the_auditor_sees_the_page_and_a_case_manager_gets_403(
    auditor: Any, case_manager: Any, seeded: int
) -> None:
    page = signed_in(auditor).get("/audit/", WINDOW)
    assert page.status_code == 200
    assert "Audit trail" in page.content.decode()
    assert sorted(_seqs(page)) == [seeded + i for i in (1, 2, 3, 4)]
    web = signed_in(case_manager)
    assert web.get("/audit/").status_code == 403
    assert web.get("/audit/export.csv").status_code == 403
    # The case manager's attempt is in the trail, as a refusal.
    [denied] = _rows_after(seeded, user_id=case_manager.pk, object_type="audit")
    assert (denied.action, denied.status) == ("denied", 403)


def test_the_auditor_lands_on_the_trail_and_finds_it_in_the_navigation(auditor: Any) -> None:
    web = signed_in(auditor)
    landing = web.get("/")
    assert landing.status_code == 302 and landing["Location"] == "/audit/"
    page = web.get("/audit/").content.decode()
    assert 'href="/audit/" aria-current="page"' in page
    assert (
        'href="/audit/"'
        not in signed_in(create_user(username="nav_cm", password=PASSWORD, roles=("case_manager",)))
        .get("/staff/")
        .content.decode()
    )


def test_viewing_the_page_is_recorded_as_a_query_of_the_audit_log(
    auditor: Any, seeded: int
) -> None:
    web = signed_in(auditor)  # signing in is a row of its own
    start = _last_seq()
    assert web.get("/audit/", {"client": "7"}).status_code == 200
    [row] = _rows_after(start)
    assert (row.action, row.object_type, row.user_id) == ("query", "audit", auditor.pk)
    assert row.details["params"] == ["client"]  # names only, never the values


def test_the_filters(auditor: Any, seeded: int) -> None:
    web = signed_in(auditor)

    def seqs(**params: Any) -> list[int]:
        response = web.get("/audit/", {**WINDOW, "sort": "seq", **params})
        assert response.status_code == 200
        return _seqs(response)

    assert seqs(user="carla_cm") == [seeded + 1, seeded + 3]
    assert seqs(client="3") == [seeded + 2, seeded + 3]
    assert seqs(action="denied") == [seeded + 4]
    assert seqs(until="2026-03-02") == [seeded + 1, seeded + 2]
    assert seqs(since="2026-03-03") == [seeded + 3, seeded + 4]
    nothing = web.get("/audit/", {**WINDOW, "user": "nobody_at_all"}).content.decode()
    assert "No audit row matches these filters." in nothing


def test_a_bad_filter_is_shown_beside_its_field(auditor: Any, seeded: int) -> None:
    web = signed_in(auditor)
    response = web.get("/audit/", {"since": "2026-03-04", "until": "2026-03-01"})
    body = response.content.decode()
    assert "The last day is before the first." in body
    assert 'id="id_until_error"' in body or "field-invalid field-until" in body
    assert _seqs(response) == []
    assert "field-invalid field-action" in web.get("/audit/", {"action": "x"}).content.decode()
    # An export with the same mistake shows the page instead.
    export = web.get("/audit/export.csv", {"since": "2026-03-04", "until": "2026-03-01"})
    assert export.status_code == 302 and export["Location"].startswith("/audit/?")


@pytest.mark.parametrize("key", sorted(SORT_KEYS))
def test_every_sort_key_orders_the_seeded_log(auditor: Any, seeded: int, key: str) -> None:
    web = signed_in(auditor)
    column = {"user": "username", "client": "client_id"}.get(key, key)
    values = {e.seq: getattr(e, column) for e in _rows_after(seeded, seq__lte=seeded + 4)}
    orders = {}
    for sort in (key, f"-{key}"):
        response = web.get("/audit/", {**WINDOW, "sort": sort})
        page = response.content.decode()
        # Both links of the column are offered, and the one in use is marked.
        assert f"sort={key}" in page and f"sort=-{key}" in page
        direction = "descending" if sort.startswith("-") else "ascending"
        assert f'aria-sort="{direction}"' in page
        shown = _seqs(response)
        assert sorted(shown) == sorted(values)
        pairs = [(values[s], s) for s in shown]
        # NULLs sort first or last depending on the engine; the rest must be in order, ties
        # broken by seq in the same direction.
        known = [p for p in pairs if p[0] is not None]
        assert known == sorted(known, reverse=sort.startswith("-")), sort
        orders[sort] = shown
    if len(set(values.values())) > 1:
        assert orders[key] != orders[f"-{key}"]


def test_the_log_is_paged(auditor: Any, case_manager: Any) -> None:
    start = _last_seq()
    with clock.frozen_at(T0):
        for n in range(PAGE_SIZE + 5):
            record(Action.READ, user=case_manager, object_type="clients", object_id=n)
    web = signed_in(auditor)
    params = {"since": "2026-03-01", "until": "2026-03-01", "sort": "seq"}
    first = web.get("/audit/", params)
    assert _seqs(first) == list(range(start + 1, start + PAGE_SIZE + 1))
    assert 'rel="next"' in first.content.decode()
    second = web.get("/audit/", {**params, "page": "2"})
    assert _seqs(second) == list(range(start + PAGE_SIZE + 1, start + PAGE_SIZE + 6))
    assert 'rel="prev"' in second.content.decode()


def test_the_csv_export_streams_the_filtered_rows_and_is_recorded(
    auditor: Any, seeded: int
) -> None:
    web = signed_in(auditor)
    page = web.get("/audit/", {**WINDOW, "user": "carla_cm"}).content.decode()
    assert "/audit/export.csv?" in page and "user=carla_cm" in page
    before = _last_seq()
    response = web.get("/audit/export.csv", {**WINDOW, "user": "carla_cm", "sort": "seq"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["seq"]) for r in rows] == [seeded + 1, seeded + 3]
    assert rows[0]["action"] == "read" and rows[0]["client_id"] == "7"
    [export] = _rows_after(before, action="export")
    assert (export.object_type, export.user_id, export.outcome) == ("audit", auditor.pk, "success")
    assert export.details["rows"] == 2
    assert export.details["filters"]["user"] == "carla_cm"
    # The export's own row is not in the file it describes.
    assert export.seq not in [int(r["seq"]) for r in rows]


def test_an_auditor_reads_the_page_in_spanish(auditor: Any, seeded: int) -> None:
    web: HttpClient = signed_in(auditor)
    page = web.get("/audit/", WINDOW, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Registro de auditoría" in page
    assert "Exportar como CSV" in page
