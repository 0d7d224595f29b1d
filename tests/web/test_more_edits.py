"""What issue #5 added to the workspace so that the web does what the API does: edits of the
client's support people, conditions and encounters, of care-team members, needs, the
referral, goals, interventions, progress, outcomes, evaluations, transitions and contacts;
the reassignment history; alerts followed up; and the programs shown when a case is opened.
Every edit is version-checked and refused input stores nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client as HttpClient

from casework.careplans.models import CaseEvaluation, Goal, GoalOutcome, GoalProgress, Intervention
from casework.cases.models import CareTeamMember, Case, CaseAssignment, IdentifiedNeed
from casework.clients.models import Condition, Encounter, SupportPerson
from casework.core import clock
from casework.instruments.models import CaseAlert
from casework.transitions.models import PostTransitionContact, TransitionEvent
from tests.conftest import Api, make_staff
from tests.web.conftest import signed_in
from tests.web.test_views import post

TODAY = clock.today().isoformat()


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def client_pk(case_id: int) -> int:
    return Case.objects.get(pk=case_id).client_id


# The client profile ------------------------------------------------------------------------


def test_a_condition_is_corrected_and_a_stale_or_bad_edit_stores_nothing(
    web: HttpClient, api: Api, client_pk: int
) -> None:
    condition = _created(
        api.post(f"/clients/{client_pk}/conditions", {"icd10_code": "I50.9", "onset_date": TODAY})
    )
    page = f"/clients/{client_pk}/"
    fields = {"icd10_code": "I50.22", "description": "Chronic systolic HF", "onset_date": TODAY}
    done = post(web, page, "condition_edit", str(condition["id"]), **fields, version="1")
    assert done.status_code == 302, done.content.decode()[:3000]
    stored = Condition.objects.get()
    assert (stored.icd10_code, stored.version) == ("I50.22", 2)
    stale = post(web, page, "condition_edit", str(stored.pk), **fields, version="1")
    assert stale.status_code == 422
    assert "Someone changed this record after you opened it" in stale.content.decode()
    bad = post(
        web, page, "condition_edit", str(stored.pk), **{**fields, "icd10_code": "XYZ"}, version="2"
    )
    assert bad.status_code == 422
    assert "field-invalid field-icd10_code" in bad.content.decode()
    assert Condition.objects.get().icd10_code == "I50.22"


def test_support_people_and_encounters_are_edited(
    web: HttpClient, api: Api, client_pk: int
) -> None:
    person = _created(
        api.post(f"/clients/{client_pk}/support-people", {"name": "Luis", "relationship": "son"})
    )
    stay = _created(
        api.post(
            f"/clients/{client_pk}/encounters",
            {"kind": "inpatient", "facility": "General", "started_on": TODAY},
        )
    )
    page = f"/clients/{client_pk}/"
    assert f'id="support_edit-{person["id"]}"' in web.get(page).content.decode()
    response = post(
        web,
        page,
        "support_edit",
        str(person["id"]),
        name="Luis Gómez",
        relationship="son",
        consent_to_share="on",
        version="1",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert SupportPerson.objects.get().consent_to_share
    response = post(
        web,
        page,
        "encounter_edit",
        str(stay["id"]),
        kind="inpatient",
        facility="General",
        started_on=TODAY,
        discharged_on=TODAY,
        acute="on",
        version="1",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Encounter.objects.get().acute


def test_an_outsider_cannot_edit_a_clients_records(api: Api, client_pk: int, outsider: Any) -> None:
    condition = _created(api.post(f"/clients/{client_pk}/conditions", {"icd10_code": "I50.9"}))
    response = post(
        signed_in(outsider),
        f"/clients/{client_pk}/",
        "condition_edit",
        str(condition["id"]),
        icd10_code="E11.9",
        version="1",
    )
    assert response.status_code == 404
    assert Condition.objects.get().icd10_code == "I50.9"


# The case workspace ------------------------------------------------------------------------


def test_care_team_needs_and_the_referral_are_edited(
    web: HttpClient, api: Api, case_id: int
) -> None:
    member = _created(
        api.post(f"/cases/{case_id}/care-team", {"external_name": "Pat", "role": "pharmacist"})
    )
    need = _created(
        api.post(
            f"/cases/{case_id}/needs",
            {"domain": "medical", "description": "Daily weights", "identified_on": TODAY},
        )
    )
    done = post(
        web,
        f"/cases/{case_id}/",
        "team_edit",
        str(member["id"]),
        external_name="Pat",
        role="pharmacist",
        phone="555-0100",
        version="1",
    )
    assert done.status_code == 302, done.content.decode()[:3000]
    assert CareTeamMember.objects.get().phone == "555-0100"
    done = post(
        web,
        f"/cases/{case_id}/assessment/",
        "need_edit",
        str(need["id"]),
        domain="medical",
        description="Daily weights",
        priority="2",
        identified_on=TODAY,
        status="resolved",
        version="1",
    )
    assert done.status_code == 302, done.content.decode()[:3000]
    assert IdentifiedNeed.objects.get().status == "resolved"
    case = Case.objects.get(pk=case_id)
    fields = {
        "referral_source": "physician",
        "referred_on": TODAY,
        "opened_on": TODAY,
        "referral_reason": "Corrected reason",
    }
    done = post(
        web, f"/cases/{case_id}/", "referral", str(case_id), **fields, version=str(case.version)
    )
    assert done.status_code == 302, done.content.decode()[:3000]
    case.refresh_from_db()
    assert (case.referral_source, case.referral_reason) == ("physician", "Corrected reason")
    stale = post(web, f"/cases/{case_id}/", "referral", str(case_id), **fields, version="1")
    assert stale.status_code == 422
    assert "Someone changed this record after you opened it" in stale.content.decode()


def test_plan_records_are_edited(web: HttpClient, api: Api, case_id: int) -> None:
    goal = _created(
        api.post(
            f"/cases/{case_id}/goals",
            {"client_words": "Stay home", "measurable_target": "No readmission", "term": "long"},
        )
    )
    intervention = _created(
        api.post(
            f"/goals/{goal['id']}/interventions",
            {
                "description": "Teach weights",
                "responsible": "CM",
                "frequency": "weekly",
                "start_due_on": TODAY,
            },
        )
    )
    progress = _created(
        api.post(
            f"/goals/{goal['id']}/progress",
            {"recorded_on": TODAY, "direction": "improved", "measurement": "6/7"},
        )
    )
    outcome = _created(
        api.post(f"/goals/{goal['id']}/outcomes", {"evaluated_on": TODAY, "outcome": "met"})
    )
    evaluation = _created(
        api.post(
            f"/cases/{case_id}/evaluations",
            {"decided_on": TODAY, "decision": "continue_monitoring", "reason": "More time"},
        )
    )
    edits = [
        ("plan", "goal_edit", goal, {"client_words": "Stay at home", "measurable_target": "None",
                                     "term": "long", "priority": "1", "target_date": "2030-01-01"}),
        ("plan", "intervention_edit", intervention, {"description": "Teach daily weights",
                                                     "responsible": "CM", "frequency": "daily"}),
        ("progress", "progress_edit", progress, {"recorded_on": TODAY, "direction": "no_change",
                                                 "measurement": "5/7"}),
        ("evaluation", "outcome_edit", outcome, {"evaluated_on": TODAY, "outcome": "partly_met"}),
        ("evaluation", "evaluation_edit", evaluation, {"decided_on": TODAY,
                                                       "decision": "continue_monitoring",
                                                       "reason": "Two more months"}),
    ]  # fmt: skip
    for tab, form, record, fields in edits:
        page = f"/cases/{case_id}/{tab}/"
        assert f'id="{form}-{record["id"]}"' in web.get(page).content.decode(), form
        done = post(web, page, form, str(record["id"]), **fields, version="1")
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', done.content.decode(), re.S)
        assert done.status_code == 302, (form, errors)
    assert Goal.objects.get().client_words == "Stay at home"
    assert Intervention.objects.get().description == "Teach daily weights"
    assert GoalProgress.objects.get().direction == "no_change"
    assert GoalOutcome.objects.get().outcome == "partly_met"
    assert CaseEvaluation.objects.get().reason == "Two more months"
    # A refused edit stores nothing: a progress entry without its direction.
    refused = post(
        web, f"/cases/{case_id}/progress/", "progress_edit", str(progress["id"]), version="2"
    )
    assert refused.status_code == 422
    assert GoalProgress.objects.get().direction == "no_change"


def test_transitions_and_contacts_are_edited(web: HttpClient, api: Api, case_id: int) -> None:
    transition = _created(
        api.post(
            f"/cases/{case_id}/care-transitions",
            {"from_setting": "inpatient_acute_care_hospital", "to_setting": "home",
             "admitted_on": TODAY, "transition_on": TODAY},
        )
    )  # fmt: skip
    contact = _created(
        api.post(
            f"/care-transitions/{transition['id']}/contacts",
            {"kind": "interactive", "status": "made", "occurred_on": TODAY, "mode": "phone"},
        )
    )
    page = f"/cases/{case_id}/transitions/"
    done = post(
        web,
        page,
        "transition_edit",
        str(transition["id"]),
        from_setting="inpatient_acute_care_hospital",
        to_setting="home",
        admitted_on=TODAY,
        transition_on=TODAY,
        receiving_provider="Dr. Lee",
        version="1",
    )
    assert done.status_code == 302, done.content.decode()[:3000]
    assert TransitionEvent.objects.get().receiving_provider == "Dr. Lee"
    done = post(
        web,
        page,
        "contact_edit",
        str(contact["id"]),
        kind="interactive",
        status="made",
        occurred_on=TODAY,
        mode="video",
        version="1",
    )
    assert done.status_code == 302, done.content.decode()[:3000]
    assert PostTransitionContact.objects.get().mode == "video"


def test_the_history_tab_lists_reassignments(
    web: HttpClient, case_id: int, supervisor: Any
) -> None:
    page = web.get(f"/cases/{case_id}/history/").content.decode()
    assert "Never reassigned" in page
    colleague = make_staff("cole_colleague", supervisor=supervisor.staff)
    case = Case.objects.get(pk=case_id)
    boss = signed_in(supervisor)
    response = boss.post(
        f"/supervision/reassign/{case_id}/",
        {"to_staff": colleague.staff.pk, "reason": "Balancing caseloads", "version": case.version},
    )
    assert response.status_code == 302
    assert CaseAssignment.objects.count() == 1
    page = boss.get(f"/cases/{case_id}/history/").content.decode()
    assert "Balancing caseloads" in page and "Cole_Colleague" in page


def test_alerts_followed_up_stay_on_the_overview(web: HttpClient, case_id: int) -> None:
    now = clock.now()
    CaseAlert.objects.create(
        case_id=case_id,
        kind="suicide_risk",
        reason="PHQ-9 item 9 answered above 0: assess suicide risk (e.g. C-SSRS) promptly",
        raised_at=now,
        resolved_at=now,
        follow_up="Safety plan made with the client",
    )
    page = web.get(f"/cases/{case_id}/").content.decode()
    assert "Alerts followed up" in page and "Safety plan made with the client" in page


def test_opening_a_case_shows_who_each_program_is_for(
    web: HttpClient, client_pk: int, program: Any
) -> None:
    program.eligibility_criteria = "Adults discharged after heart failure"
    program.save()
    page = web.get(f"/referrals/new/?client={client_pk}").content.decode()
    assert "Adults discharged after heart failure" in page
    assert "Hospital transitions" in page
