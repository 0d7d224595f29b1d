"""Sensitivity labels from the web: chosen on a new note or finding, stored, and shown as a
badge; an unknown label is refused beside the field and nothing is stored."""

from __future__ import annotations

from typing import Any

from django.test import Client as HttpClient
from django.utils import timezone

from casework.cases.models import AssessmentFinding, ContactNote
from casework.core import clock
from tests.web.test_views import post


def _note(web: HttpClient, case_id: int, sensitivity: str) -> Any:
    when = timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M")
    return post(
        web,
        f"/cases/{case_id}/notes/",
        "note",
        occurred_at=when,
        mode="phone",
        participants="Client",
        duration_minutes="15",
        contact_made="on",
        format="soap",
        subjective="Talked about drinking",
        sensitivity=sensitivity,
    )


def _finding(web: HttpClient, case_id: int, sensitivity: str) -> Any:
    return post(
        web,
        f"/cases/{case_id}/assessment/",
        "finding",
        domain="substance_use",
        status="addressed",
        assessed_on=clock.today().isoformat(),
        finding="Daily alcohol use",
        sensitivity=sensitivity,
    )


def test_the_note_and_finding_forms_offer_the_labels(web: HttpClient, case_id: int) -> None:
    for tab in ("notes", "assessment"):
        page = web.get(f"/cases/{case_id}/{tab}/").content.decode()
        assert "Substance use disorder record (42 CFR Part 2)" in page, tab


def test_a_labelled_note_is_stored_and_badged(web: HttpClient, case_id: int) -> None:
    response = _note(web, case_id, "part2_sud")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ContactNote.objects.get().sensitivity == "part2_sud"
    page = web.get(f"/cases/{case_id}/notes/").content.decode()
    assert page.count("Substance use disorder record (42 CFR Part 2)") >= 2  # badge + option


def test_a_labelled_finding_is_stored_and_badged(web: HttpClient, case_id: int) -> None:
    response = _finding(web, case_id, "part2_sud")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert AssessmentFinding.objects.get().sensitivity == "part2_sud"
    page = web.get(f"/cases/{case_id}/assessment/").content.decode()
    assert 'class="badge badge-alert" title="Sensitive"' in page


def test_an_unknown_label_is_refused_and_nothing_is_stored(web: HttpClient, case_id: int) -> None:
    note = _note(web, case_id, "top_secret")
    assert note.status_code == 422
    assert 'id="id_note-sensitivity_error"' in note.content.decode()
    finding = _finding(web, case_id, "top_secret")
    assert finding.status_code == 422
    assert 'id="id_finding-sensitivity_error"' in finding.content.decode()
    assert not ContactNote.objects.exists()
    assert not AssessmentFinding.objects.exists()
