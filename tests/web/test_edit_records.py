"""Editing records from the workspace: a screening decision, a finding and a note are changed
under the API's rules (version, model rules, labels, visibility), and a care-team member is
removed (not on a closed case)."""

from __future__ import annotations

from typing import Any

from django.test import Client as HttpClient
from django.utils import timezone

from casework.cases.models import (
    AssessmentFinding,
    CareTeamMember,
    Case,
    ContactNote,
    ScreeningDecision,
)
from casework.core import clock
from tests.conftest import make_staff
from tests.web.conftest import signed_in
from tests.web.test_views import post

TODAY = clock.today().isoformat()


def _screening(web: HttpClient, case_id: int) -> ScreeningDecision:
    response = post(
        web,
        f"/cases/{case_id}/screening/",
        "screening",
        decided_on=TODAY,
        outcome="accepted",
        eligibility_notes="Meets the criteria",
        consent_to_case_management="on",
        consent_recorded_on=TODAY,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return ScreeningDecision.objects.get()


def _finding(web: HttpClient, case_id: int, sensitivity: str = "") -> AssessmentFinding:
    response = post(
        web,
        f"/cases/{case_id}/assessment/",
        "finding",
        domain="housing",
        status="addressed",
        assessed_on=TODAY,
        finding="Lives alone in a walk-up",
        sensitivity=sensitivity,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return AssessmentFinding.objects.get()


def _when(note: ContactNote) -> str:
    return timezone.localtime(note.occurred_at).strftime("%Y-%m-%dT%H:%M")


NOTE = {
    "mode": "phone",
    "participants": "Client",
    "duration_minutes": "15",
    "contact_made": "on",
    "format": "soap",
}


def _note(web: HttpClient, case_id: int, sensitivity: str = "") -> ContactNote:
    when = timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M")
    response = post(
        web,
        f"/cases/{case_id}/notes/",
        "note",
        occurred_at=when,
        subjective="Feeling better",
        sensitivity=sensitivity,
        **NOTE,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return ContactNote.objects.get()


def _edit_note(web: HttpClient, case_id: int, note: ContactNote, **changes: Any) -> Any:
    fields = {
        "occurred_at": _when(note),
        "subjective": note.subjective,
        "sensitivity": note.sensitivity,
        "version": str(note.version),
        **NOTE,
        **changes,
    }
    return post(web, f"/cases/{case_id}/notes/", "note_edit", str(note.pk), **fields)


def test_a_screening_decision_is_edited(web: HttpClient, case_id: int) -> None:
    decision = _screening(web, case_id)
    page = web.get(f"/cases/{case_id}/screening/").content.decode()
    assert 'name="_form" value="screening_edit"' in page
    response = post(
        web,
        f"/cases/{case_id}/screening/",
        "screening_edit",
        str(decision.pk),
        decided_on=TODAY,
        outcome="accepted",
        eligibility_notes="Meets the criteria; checked twice",
        consent_to_case_management="on",
        consent_recorded_on=TODAY,
        version=str(decision.version),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    decision.refresh_from_db()
    assert decision.eligibility_notes == "Meets the criteria; checked twice"
    assert decision.version == 2


def test_a_stale_screening_edit_is_refused_and_stores_nothing(
    web: HttpClient, case_id: int
) -> None:
    decision = _screening(web, case_id)
    ScreeningDecision.objects.filter(pk=decision.pk).update(version=2)
    response = post(
        web,
        f"/cases/{case_id}/screening/",
        "screening_edit",
        str(decision.pk),
        decided_on=TODAY,
        outcome="accepted",
        eligibility_notes="Overwritten",
        consent_to_case_management="on",
        consent_recorded_on=TODAY,
        version="1",
    )
    assert response.status_code == 422
    assert "Someone changed this record after you opened it" in response.content.decode()
    decision.refresh_from_db()
    assert decision.eligibility_notes == "Meets the criteria"
    assert decision.version == 2


def test_a_bad_screening_value_shows_beside_the_field(web: HttpClient, case_id: int) -> None:
    decision = _screening(web, case_id)
    response = post(
        web,
        f"/cases/{case_id}/screening/",
        "screening_edit",
        str(decision.pk),
        decided_on=TODAY,
        outcome="declined",
        eligibility_notes="Meets the criteria",
        reason="",
        version=str(decision.version),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert f'id="id_screening_edit-{decision.pk}-reason_error"' in page
    decision.refresh_from_db()
    assert (decision.outcome, decision.version) == ("accepted", 1)


def test_a_finding_is_edited_and_a_bad_value_stores_nothing(web: HttpClient, case_id: int) -> None:
    finding = _finding(web, case_id)
    path = f"/cases/{case_id}/assessment/"
    base = {"domain": "housing", "assessed_on": TODAY, "version": str(finding.version)}
    bad = post(web, path, "finding_edit", str(finding.pk), status="addressed", finding="", **base)
    assert bad.status_code == 422
    assert f'id="id_finding_edit-{finding.pk}-finding_error"' in bad.content.decode()
    finding.refresh_from_db()
    assert finding.finding == "Lives alone in a walk-up"
    good = post(
        web, path, "finding_edit", str(finding.pk), status="addressed", finding="Moved", **base
    )
    assert good.status_code == 302, good.content.decode()[:3000]
    finding.refresh_from_db()
    assert (finding.finding, finding.version) == ("Moved", 2)
    stale = post(
        web, path, "finding_edit", str(finding.pk), status="addressed", finding="Old", **base
    )
    assert stale.status_code == 422
    finding.refresh_from_db()
    assert (finding.finding, finding.version) == ("Moved", 2)


def test_a_note_is_edited_and_a_label_added(web: HttpClient, case_id: int) -> None:
    note = _note(web, case_id)
    response = _edit_note(
        web, case_id, note, subjective="Feeling much better", sensitivity="part2_sud"
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    note.refresh_from_db()
    assert (note.subjective, note.sensitivity, note.version) == (
        "Feeling much better",
        "part2_sud",
        2,
    )


def test_a_stale_note_edit_stores_nothing(web: HttpClient, case_id: int) -> None:
    note = _note(web, case_id)
    assert _edit_note(web, case_id, note, subjective="First").status_code == 302
    response = _edit_note(web, case_id, note, subjective="Second")  # still at version 1
    assert response.status_code == 422
    note.refresh_from_db()
    assert (note.subjective, note.version) == ("First", 2)


def test_removing_or_changing_a_label_is_refused(web: HttpClient, case_id: int) -> None:
    note = _note(web, case_id, sensitivity="part2_sud")
    for other in ("", "hiv"):
        response = _edit_note(web, case_id, note, sensitivity=other, subjective="Changed")
        assert response.status_code == 422
        assert f'id="id_note_edit-{note.pk}-sensitivity_error"' in response.content.decode()
    note.refresh_from_db()
    assert (note.sensitivity, note.subjective, note.version) == ("part2_sud", "Feeling better", 1)


def test_a_colleague_cannot_edit_an_author_only_note(
    web: HttpClient, case_id: int, supervisor: Any
) -> None:
    note = _note(web, case_id, sensitivity="psychotherapy_note")
    cole = make_staff("cole_colleague", supervisor=supervisor.staff)
    CareTeamMember.objects.create(case_id=case_id, staff=cole.staff, role="Nurse")
    colleague = signed_in(cole)
    assert colleague.get(f"/cases/{case_id}/notes/").status_code == 200
    response = _edit_note(colleague, case_id, note, subjective="Read it anyway")
    assert response.status_code == 404
    note.refresh_from_db()
    assert (note.subjective, note.version) == ("Feeling better", 1)


def test_a_care_team_member_is_removed_but_not_on_a_closed_case(
    web: HttpClient, case_id: int
) -> None:
    first = CareTeamMember.objects.create(case_id=case_id, external_name="Dr Ruiz", role="GP")
    second = CareTeamMember.objects.create(case_id=case_id, external_name="Ana", role="Daughter")
    page = web.get(f"/cases/{case_id}/").content.decode()
    assert f'id="team_remove-{first.pk}"' in page
    response = post(web, f"/cases/{case_id}/", "team_remove", str(first.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(CareTeamMember.objects.values_list("pk", flat=True)) == [second.pk]
    Case.objects.filter(pk=case_id).update(closed_on=clock.today())
    refused = post(web, f"/cases/{case_id}/", "team_remove", str(second.pk))
    assert refused.status_code == 422
    assert "reopen it before changing its records" in refused.content.decode()
    assert CareTeamMember.objects.filter(pk=second.pk).exists()
