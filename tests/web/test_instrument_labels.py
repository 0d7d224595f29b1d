"""Instrument results carry a sensitivity label like notes and findings (issue #4 item 3):
set when the result is recorded, shown with it, and an author-only label hides the result from
everyone but whoever gave it, on every read path (list, client trend, web tab, chart)."""

from __future__ import annotations

from typing import Any

from casework.cases.models import CareTeamMember
from casework.core import clock
from casework.instruments.models import InstrumentAdministration
from tests.api.test_bad_input import assert_problem
from tests.api.test_instruments import PHQ9
from tests.conftest import Api, api_for, make_staff
from tests.web.conftest import signed_in


def _give(api: Api, case_id: int, **extra: Any) -> Any:
    body = {"instrument": "phq9", "answers": {**PHQ9, "q9": 0},
            "administered_on": clock.today().isoformat(), **extra}  # fmt: skip
    return api.post(f"/cases/{case_id}/instruments", body)


def _colleague(case_id: int, case_manager: Any) -> Any:
    colleague = make_staff("tom_team", supervisor=case_manager.staff.supervisor)
    CareTeamMember.objects.create(case_id=case_id, staff=colleague.staff, role="co-manager")
    return colleague


def test_a_label_is_kept_and_shown(api: Api, case_id: int) -> None:
    made = _give(api, case_id, sensitivity="part2_sud")
    assert made.status_code == 201, made.content
    assert made.json()["sensitivity"] == "part2_sud"
    assert InstrumentAdministration.objects.get().sensitivity == "part2_sud"
    listed = api.get(f"/cases/{case_id}/instruments").json()
    assert [r["sensitivity"] for r in listed["items"]] == ["part2_sud"]


def test_an_unknown_label_is_refused_and_nothing_is_stored(api: Api, case_id: int) -> None:
    assert_problem(_give(api, case_id, sensitivity="gossip"), 422, "sensitivity")
    assert not InstrumentAdministration.objects.exists()


def test_a_psychotherapy_result_is_readable_by_whoever_gave_it_only(
    api: Api, case_id: int, client_id: int, case_manager: Any
) -> None:
    _give(api, case_id)
    _give(api, case_id, sensitivity="psychotherapy_note")
    colleague = _colleague(case_id, case_manager)
    other = api_for(colleague)
    assert other.get(f"/cases/{case_id}/instruments").json()["count"] == 1
    assert api.get(f"/cases/{case_id}/instruments").json()["count"] == 2
    trend = other.get(f"/clients/{client_id}/instrument-results").json()
    assert [r["sensitivity"] for r in trend["items"]] == [""]
    assert api.get(f"/clients/{client_id}/instrument-results").json()["count"] == 2
    tab = signed_in(colleague).get(f"/cases/{case_id}/instruments/").content.decode()
    mine = signed_in(case_manager).get(f"/cases/{case_id}/instruments/").content.decode()
    assert "Psychotherapy note" in mine and "Psychotherapy note" not in tab


def test_the_web_form_records_the_label(api: Api, case_id: int, case_manager: Any) -> None:
    web = signed_in(case_manager)
    data = {f"q{n}": "1" for n in range(1, 9)} | {"q9": "0"}
    data |= {"administered_on": clock.today().isoformat(), "sensitivity": "psychotherapy_note"}
    response = web.post(f"/cases/{case_id}/instruments/phq9/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert InstrumentAdministration.objects.get().sensitivity == "psychotherapy_note"
