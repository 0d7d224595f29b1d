"""The web workspace's views through Django's test client: who may see what, and the error
paths (a refused move, a bad value, a stale version) that must store nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient

from casework.cases.models import Case, PhaseChange, ScreeningDecision
from casework.core import clock
from casework.instruments.models import CaseAlert, InstrumentAdministration
from tests.conftest import make_staff
from tests.web.conftest import signed_in

TABS = [
    "screening",
    "assessment",
    "risk",
    "plan",
    "progress",
    "transitions",
    "notes",
    "evaluation",
    "instruments",
    "history",
]


def post(web: HttpClient, path: str, form: str, record: str = "", **fields: Any) -> Any:
    prefix = f"{form}-{record}" if record else form
    data = {f"{prefix}-{k}": v for k, v in fields.items()}
    data.update(_form=form, _record=record)
    return web.post(path, data)


def test_pages_need_a_signed_in_user(db: Any) -> None:
    response = HttpClient().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_page_of_a_case_renders(web: HttpClient, case_id: int) -> None:
    assert web.get("/").status_code == 200
    assert web.get(f"/cases/{case_id}/").status_code == 200
    for tab in TABS:
        assert web.get(f"/cases/{case_id}/{tab}/").status_code == 200, tab
    assert web.get(f"/cases/{case_id}/instruments/phq9/").status_code == 200
    assert web.get(f"/cases/{case_id}/plan/print/").status_code == 200
    assert web.get(f"/cases/{case_id}/nonsense/").status_code == 404


def test_an_outsider_gets_404_for_every_page_of_the_case(case_id: int, outsider: Any) -> None:
    web = signed_in(outsider)
    for path in ["", *[f"{t}/" for t in TABS], "instruments/phq9/", "plan/print/"]:
        assert web.get(f"/cases/{case_id}/{path}").status_code == 404, path
    case = Case.objects.get(pk=case_id)
    assert web.get(f"/clients/{case.client_id}/").status_code == 404
    response = post(web, f"/cases/{case_id}/screening/", "screening", outcome="accepted")
    assert response.status_code == 404
    assert not ScreeningDecision.objects.exists()


def test_a_refused_move_lists_what_is_missing_and_moves_nothing(
    web: HttpClient, case_id: int
) -> None:
    case = Case.objects.get(pk=case_id)
    response = post(
        web, f"/cases/{case_id}/", "move", "assessment", to="assessment", version=case.version
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "This move was refused" in text
    assert "no eligibility decision has been recorded at screening" in text
    assert PhaseChange.objects.filter(case=case).count() == 1


def test_a_bad_value_shows_beside_its_field_and_stores_nothing(
    web: HttpClient, case_id: int
) -> None:
    response = post(
        web,
        f"/cases/{case_id}/screening/",
        "screening",
        decided_on=clock.today().isoformat(),
        outcome="not_eligible",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_screening-reason_error"' in html
    assert "say why the referral is not accepted" in html
    assert 'aria-describedby="id_screening-reason_error"' in html
    assert 'aria-invalid="true"' in html
    assert not ScreeningDecision.objects.exists()


def test_screening_then_a_move_and_a_stale_version_is_refused(
    web: HttpClient, case_id: int
) -> None:
    today = clock.today().isoformat()
    response = post(
        web,
        f"/cases/{case_id}/screening/",
        "screening",
        decided_on=today,
        outcome="accepted",
        consent_to_case_management="on",
        consent_recorded_on=today,
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=case_id)
    stale = post(
        web, f"/cases/{case_id}/", "move", "assessment", to="assessment", version=case.version + 1
    )
    assert stale.status_code == 422
    assert "changed since you read it" in stale.content.decode()
    moved = post(
        web, f"/cases/{case_id}/", "move", "assessment", to="assessment", version=case.version
    )
    assert moved.status_code == 302
    assert PhaseChange.objects.filter(case=case).last().to_phase == "assessment"  # type: ignore[union-attr]


def test_unknown_forms_are_refused(web: HttpClient, case_id: int) -> None:
    assert web.post(f"/cases/{case_id}/", {"_form": "nope"}).status_code == 400


def test_the_live_score_and_a_phq9_with_item_9_raises_the_alert(
    web: HttpClient, case_id: int
) -> None:
    partial = web.get(f"/cases/{case_id}/instruments/phq9/score/", {"q1": "1", "q2": "2"})
    assert "2 of 9 answered" in partial.content.decode()
    answers = {f"q{n}": "1" for n in range(1, 10)}
    whole = web.get(f"/cases/{case_id}/instruments/phq9/score/", answers).content.decode()
    assert 'data-testid="live-score">9<' in whole
    assert "item 9" in whole  # the alert it will raise, shown before saving
    missing = dict(answers)
    del missing["q4"]
    response = web.post(
        f"/cases/{case_id}/instruments/phq9/",
        {**missing, "administered_on": clock.today().isoformat()},
    )
    assert response.status_code == 422
    assert "Answer this question." in response.content.decode()
    assert not InstrumentAdministration.objects.exists()
    saved = web.post(
        f"/cases/{case_id}/instruments/phq9/",
        {**answers, "administered_on": clock.today().isoformat()},
    )
    assert saved.status_code == 302
    assert InstrumentAdministration.objects.get().total == 9
    assert CaseAlert.objects.filter(case_id=case_id, resolved_at__isnull=True).count() == 1


def test_supervision_is_for_supervisors_and_reassignment_is_kept(
    case_id: int, case_manager: Any, supervisor: Any
) -> None:
    assert signed_in(case_manager).get("/supervision/").status_code == 403
    boss = signed_in(supervisor)
    assert boss.get("/supervision/").status_code == 200
    colleague = make_staff("cole_colleague", supervisor=supervisor.staff)
    case = Case.objects.get(pk=case_id)
    response = boss.post(
        f"/supervision/reassign/{case_id}/",
        {"to_staff": colleague.staff.pk, "reason": "", "version": case.version},
    )
    assert response.status_code == 422
    response = boss.post(
        f"/supervision/reassign/{case_id}/",
        {"to_staff": colleague.staff.pk, "reason": "leave", "version": case.version},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case_id).primary_case_manager == colleague.staff


def test_administration_is_for_administrators_only(case_manager: Any) -> None:
    assert signed_in(case_manager).get("/administration/").status_code == 403


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "My caseload"), ("es", "Mi cartera de casos")]
)
def test_the_workspace_speaks_english_and_spanish(
    web: HttpClient, case_id: int, language: str, heading: str
) -> None:
    web.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = web.get("/").content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert f'<html lang="{language}' in page
