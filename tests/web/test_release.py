"""Releasing records from the privacy page: the download under consent, the refusal beside the
form with nothing stored, and the audit row naming the disclosure."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client as HttpClient

from casework.audit.models import AuditEvent
from casework.cases.models import ContactNote
from casework.core import clock
from casework.privacy.labels import PART2_NOTICE
from casework.privacy.models import Disclosure
from tests.web.test_privacy import _consent, _page
from tests.web.test_views import post


def _release(web: HttpClient, client_id: int, **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "recipient_name": "Dr Ana Ruiz",
        "recipient_kind": "person",
        "purpose": "care_coordination",
        "categories": ["part2_sud"],
        "data_description": "Treatment summary",
    }
    fields.update(changes)
    return post(web, f"/clients/{client_id}/privacy/release/", "release", **fields)


def _sud_note(case_id: int, author: Any) -> None:
    ContactNote.objects.create(case_id=case_id, occurred_at=clock.now(), mode="phone",
                               assessment="SENTINEL-SUD-WEB dose review", author=author,
                               sensitivity="part2_sud")  # fmt: skip


def test_the_page_offers_the_release_form(web: HttpClient, client_id: int) -> None:
    page = web.get(_page(client_id)).content.decode()
    assert 'id="release"' in page and f"/clients/{client_id}/privacy/release/" in page


def test_without_consent_the_form_comes_back_with_the_reason_and_nothing_is_stored(
    web: HttpClient, client_id: int, case_id: int, case_manager: Any
) -> None:
    _sud_note(case_id, case_manager)
    refused = _release(web, client_id)
    assert refused.status_code == 422
    assert refused.context["forms"]["release"].errors["__all__"]
    assert "Record the client&#x27;s written consent first." in refused.content.decode()
    assert "SENTINEL-SUD-WEB" not in refused.content.decode()
    assert not Disclosure.objects.exists()
    row = AuditEvent.objects.filter(object_type="releases").get()
    assert (row.action, row.status, row.outcome) == ("disclosure", 422, "invalid")


def test_under_consent_the_file_is_downloaded_with_the_notice_and_accounted(
    web: HttpClient, client_id: int, case_id: int, case_manager: Any
) -> None:
    _sud_note(case_id, case_manager)
    assert _consent(web, client_id).status_code == 302
    done = _release(web, client_id)
    assert done.status_code == 200, done.content.decode()[:2000]
    assert done["Content-Disposition"].startswith('attachment; filename="casework-release-')
    package = json.loads(done.content)
    assert package["notice"] == PART2_NOTICE
    assert "SENTINEL-SUD-WEB" in package["notes"][0]["assessment"]
    disclosure = Disclosure.objects.get()
    assert disclosure.channel == "export" and disclosure.pk == package["disclosure"]["id"]
    row = AuditEvent.objects.filter(object_type="releases", status=200).get()
    assert row.action == "disclosure" and row.client_id == client_id
    assert row.labels == ["part2_sud"]
    assert "Dr Ana Ruiz" in web.get(_page(client_id)).content.decode()
    assert web.get(f"/clients/{client_id}/privacy/release/").status_code == 302
