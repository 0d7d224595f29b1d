"""Web pages that show client data write one audit row per view, naming what was seen."""

from __future__ import annotations

from typing import Any

from django.test import Client as HttpClient

from casework.audit.models import AuditEvent
from casework.cases.models import Case
from tests.web.conftest import signed_in


def _rows_after(seq: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


def _last_seq() -> int:
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    return last or 0


def test_viewing_a_case_page_writes_one_audit_row(
    web: HttpClient, case_id: int, case_manager: Any
) -> None:
    client_id = Case.objects.get(pk=case_id).client_id
    for path in ["", "notes/", "instruments/phq9/", "plan/print/"]:
        before = _last_seq()
        assert web.get(f"/cases/{case_id}/{path}").status_code == 200, path
        rows = _rows_after(before)
        assert len(rows) == 1, path
        row = rows[0]
        assert (row.action, row.object_type, row.object_id) == ("read", "case", str(case_id))
        assert row.client_id == client_id
        assert row.user_id == case_manager.pk
        assert row.outcome == "success"


def test_viewing_a_client_page_writes_one_audit_row(
    web: HttpClient, case_id: int, case_manager: Any
) -> None:
    client_id = Case.objects.get(pk=case_id).client_id
    before = _last_seq()
    assert web.get(f"/clients/{client_id}/").status_code == 200
    [row] = _rows_after(before)
    assert (row.action, row.object_type, row.object_id) == ("read", "client", str(client_id))
    assert row.client_id == client_id
    assert row.user_id == case_manager.pk


def test_lists_of_clients_are_audited_as_queries(web: HttpClient, case_id: int) -> None:
    for path in ["/", "/clients/?q=a", "/referrals/new/"]:
        before = _last_seq()
        assert web.get(path).status_code == 200, path
        [row] = _rows_after(before)
        assert row.action == "query", path


def test_a_refused_client_page_is_recorded_as_denied(case_id: int, outsider: Any) -> None:
    client_id = Case.objects.get(pk=case_id).client_id
    web = signed_in(outsider)
    before = _last_seq()
    assert web.get(f"/clients/{client_id}/").status_code == 404
    [row] = _rows_after(before)
    assert (row.object_type, row.object_id) == ("client", str(client_id))
    assert row.user_id == outsider.pk
    assert row.outcome != "success"


def test_pages_without_client_data_are_not_audited(web: HttpClient) -> None:
    before = _last_seq()
    assert web.get("/staff/").status_code == 200
    assert _rows_after(before) == []
