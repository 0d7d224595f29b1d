"""AUDIT-04: auditing is on in a fresh install; only an administrator may turn a part of it
off, and every switch is itself recorded. Refusals and writes are recorded whatever the
switches say."""

from __future__ import annotations

from typing import Any

from django.test import Client as HttpClient

from casework.audit.models import AuditEvent
from tests.conftest import CLIENT, Api
from tests.security.conftest import mark, rows_since


def test_a_fresh_install_audits_everything(api: Api, admin_api: Api) -> None:
    assert admin_api.get("/audit/settings").json() == {"api_reads": True, "page_views": True}
    start = mark()
    assert api.get("/cases").status_code == 200
    assert [r.action for r in rows_since(start)] == ["query"]


def test_only_an_administrator_may_switch_and_the_switch_is_recorded(
    api: Api, admin_api: Api
) -> None:
    start = mark()
    refused = api.send("put", "/audit/settings/api_reads", {"enabled": False})
    assert refused.status_code == 403
    assert admin_api.get("/audit/settings").json()["api_reads"] is True
    lax = admin_api.send("put", "/audit/settings/api_reads", {"enabled": 0})
    assert lax.status_code == 422 and lax.json()["field"] == "enabled"
    switched = admin_api.send("put", "/audit/settings/api_reads", {"enabled": False})
    assert switched.status_code == 200 and switched.json()["api_reads"] is False
    change = rows_since(start, action=AuditEvent.Action.AUDIT_STATUS_CHANGED)
    assert len(change) == 1
    assert change[0].username == "ada_admin"
    assert change[0].details == {"part": "api_reads", "enabled": [True, False]}


def test_with_api_reads_off_writes_and_refusals_are_still_recorded(
    api: Api, admin_api: Api, outsider: Any
) -> None:
    admin_api.send("put", "/audit/settings/api_reads", {"enabled": False})
    start = mark()
    assert api.get("/cases").status_code == 200  # not recorded
    assert api.post("/clients", CLIENT).status_code == 201  # recorded
    assert api.get("/clients/999999").status_code == 404  # recorded
    assert HttpClient().get("/api/v1/cases").status_code == 401  # recorded
    rows = rows_since(start)
    assert [(r.action, r.status) for r in rows] == [
        ("create", 201), ("read", 404), ("denied", 401),
    ]  # fmt: skip
    admin_api.send("put", "/audit/settings/api_reads", {"enabled": True})
    again = mark()
    api.get("/cases")
    assert [r.action for r in rows_since(again)] == ["query"]


def test_page_views_are_switched_from_the_administration_page(
    administrator: Any, case_manager: Any, client_id: int
) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY

    from casework.accounts.models import SealedTOTPDevice as TOTPDevice

    admin = HttpClient()
    admin.force_login(administrator)
    session = admin.session
    device = TOTPDevice.objects.create(user=administrator, name="phone", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    worker = HttpClient()
    worker.force_login(case_manager)
    assert worker.post("/administration/", {"part": "page_views"}).status_code == 403
    page = admin.get("/administration/")
    assert page.status_code == 200 and b"page_views" in page.content
    assert admin.post("/administration/", {"part": "page_views"}).status_code == 302
    start = mark()
    assert worker.get(f"/clients/{client_id}/").status_code == 200
    assert [r.action for r in rows_since(start)] == []
    assert (
        admin.post("/administration/", {"part": "page_views", "enabled": "on"}).status_code == 302
    )
    start = mark()
    worker.get(f"/clients/{client_id}/")
    assert [r.object_type for r in rows_since(start)] == ["client"]
