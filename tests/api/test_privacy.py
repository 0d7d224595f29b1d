"""Sensitive records, consents and the accounting of disclosures through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from casework.cases.models import CareTeamMember
from casework.core import clock
from casework.privacy.labels import PART2_NOTICE
from casework.privacy.models import Disclosure
from tests.api.test_bad_input import assert_problem
from tests.conftest import Api, api_for, make_staff

NOTE = {"occurred_at": "2026-01-05T15:00:00Z", "mode": "in_person", "format": "soap",
        "assessment": "SENTINEL-PSY-1 processing grief"}  # fmt: skip


def consent_body(**changes: Any) -> dict[str, Any]:
    today = clock.today()
    body = {
        "recipient_name": "Harbor Clinic", "recipient_kind": "organisation",
        "purposes": ["treatment"], "categories": ["general", "part2_sud"],
        "information_description": "SUD treatment plan and attendance",
        "effective_on": (today - dt.timedelta(days=1)).isoformat(),
        "expires_on": (today + dt.timedelta(days=365)).isoformat(),
        "signed_by": "María Gómez", "signer": "self", "signed_on": today.isoformat(),
        "right_to_revoke_explained": True,
    }  # fmt: skip
    body.update(changes)
    return body


def test_psychotherapy_notes_are_visible_to_their_author_only(
    api: Api, case_id: int, case_manager: Any
) -> None:
    note = api.create(f"/cases/{case_id}/notes", {**NOTE, "sensitivity": "psychotherapy_note"})
    assert note.status_code == 201, note.content
    colleague = make_staff("tom_team", supervisor=case_manager.staff.supervisor)
    CareTeamMember.objects.create(case_id=case_id, staff=colleague.staff, role="co-manager")
    other = api_for(colleague)
    assert other.get(f"/cases/{case_id}").status_code == 200
    assert_problem(other.get(f"/notes/{note.json()['id']}"), 404)
    listed = other.get(f"/cases/{case_id}/notes").json()
    assert listed["count"] == 0
    assert "SENTINEL-PSY-1" not in str(listed)
    assert api.get(f"/cases/{case_id}/notes").json()["count"] == 1


def test_a_label_cannot_be_removed_through_the_api(api: Api, case_id: int) -> None:
    note = api.create(f"/cases/{case_id}/notes", {**NOTE, "sensitivity": "part2_sud"}).json()
    etag = api.get(f"/notes/{note['id']}")["ETag"]
    refused = api.patch(f"/notes/{note['id']}", {"sensitivity": ""}, headers={"If-Match": etag})
    assert_problem(refused, 403, "sensitivity")
    plain = api.create(f"/cases/{case_id}/notes", NOTE).json()
    etag = api.get(f"/notes/{plain['id']}")["ETag"]
    added = api.patch(
        f"/notes/{plain['id']}", {"sensitivity": "part2_sud"}, headers={"If-Match": etag}
    )
    assert added.status_code == 200


def test_a_consent_missing_an_element_is_refused_naming_it(api: Api, client_id: int) -> None:
    body = consent_body(right_to_revoke_explained=False)
    assert_problem(api.create(f"/clients/{client_id}/consents", body), 422,
                   "right_to_revoke_explained")  # fmt: skip
    no_end = consent_body(expires_on=None)
    assert_problem(api.create(f"/clients/{client_id}/consents", no_end), 422, "expires_on")


def test_part2_disclosure_needs_consent_and_carries_the_notice(api: Api, client_id: int) -> None:
    share = {"recipient_name": "Harbor Clinic", "recipient_kind": "organisation",
             "purpose": "treatment", "categories": ["part2_sud"],
             "data_description": "treatment summary"}  # fmt: skip
    refused = api.create(f"/clients/{client_id}/disclosures", share)
    assert_problem(refused, 409, "consent")
    assert refused.json()["reason"] == "consent_missing"
    assert Disclosure.objects.count() == 0
    consent = api.create(f"/clients/{client_id}/consents", consent_body())
    assert consent.status_code == 201, consent.content
    done = api.create(f"/clients/{client_id}/disclosures", share)
    assert done.status_code == 201, done.content
    assert done.json()["notice"] == PART2_NOTICE
    assert done.json()["consent"] == consent.json()["id"]
    revocation = {"revoked_on": clock.today().isoformat(), "note": "client asked"}
    revoke = api.post(f"/consents/{consent.json()['id']}/revoke", revocation)
    assert revoke.status_code == 200
    again = api.create(f"/clients/{client_id}/disclosures", share)
    assert again.json()["reason"] == "consent_revoked"
    accounting = api.get(f"/clients/{client_id}/disclosures").json()
    assert accounting["count"] == 1
    assert accounting["items"][0]["recipient_name"] == "Harbor Clinic"


def test_unlabelled_treatment_disclosure_is_recorded_without_notice(
    api: Api, client_id: int
) -> None:
    share = {"recipient_name": "Dr Lee", "recipient_kind": "person", "purpose": "treatment",
             "categories": ["general"], "data_description": "care plan"}  # fmt: skip
    done = api.create(f"/clients/{client_id}/disclosures", share)
    assert done.status_code == 201
    assert done.json()["notice"] == "" and done.json()["basis"] == "tpo"


def test_a_restriction_against_a_payer_blocks_only_that_payer(api: Api, client_id: int) -> None:
    api.post(f"/clients/{client_id}/restrictions",
             {"recipient_name": "Acme Health Plan", "scope": "paid out of pocket",
              "requested_on": clock.today().isoformat(), "agreed": True})  # fmt: skip
    share = {"recipient_name": "Acme Health Plan", "recipient_kind": "payer", "purpose": "payment",
             "categories": ["general"], "data_description": "claim support"}  # fmt: skip
    assert api.create(f"/clients/{client_id}/disclosures", share).json()["reason"] == "restricted"
    other = {**share, "recipient_name": "Medicaid"}
    assert api.create(f"/clients/{client_id}/disclosures", other).status_code == 201


def test_break_glass_is_for_designated_staff_one_client_one_hour(
    case_id: int, client_id: int, outsider: Any, supervisor: Any
) -> None:
    other = api_for(outsider)
    assert_problem(other.post(f"/clients/{client_id}/break-glass", {"reason": "ER"}), 403)
    outsider.staff.may_break_glass = True
    outsider.staff.supervisor = supervisor.staff
    outsider.staff.save()
    assert_problem(other.post(f"/clients/{client_id}/break-glass", {"reason": " "}), 422, "reason")
    assert_problem(other.get(f"/cases/{case_id}"), 404)
    grant = other.post(f"/clients/{client_id}/break-glass",
                       {"reason": "Found unresponsive; ED needs medication list"})  # fmt: skip
    assert grant.status_code == 201, grant.content
    assert other.get(f"/cases/{case_id}").status_code == 200
    later = clock.now() + dt.timedelta(minutes=61)
    with clock.frozen_at(later):
        assert_problem(other.get(f"/cases/{case_id}"), 404)
    queue = api_for(supervisor).get("/break-glass", unreviewed=True).json()
    assert [g["user"] for g in queue["items"]] == ["olga_outsider"]
    reviewed = api_for(supervisor).post(f"/break-glass/{grant.json()['id']}/review",
                                        {"note": "appropriate"})  # fmt: skip
    assert reviewed.status_code == 200
    assert api_for(supervisor).get("/break-glass", unreviewed=True).json()["count"] == 0


def test_a_retried_create_does_not_duplicate(api: Api, case_id: int) -> None:
    from casework.cases.models import ContactNote

    first = api.create(f"/cases/{case_id}/notes", NOTE, key="note-1")
    again = api.create(f"/cases/{case_id}/notes", NOTE, key="note-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert ContactNote.objects.count() == 1
    other_body = api.create(f"/cases/{case_id}/notes", {**NOTE, "plan": "x"}, key="note-1")
    assert_problem(other_body, 422, "Idempotency-Key")
    assert_problem(api.post(f"/cases/{case_id}/notes", NOTE), 400, "Idempotency-Key")
    refused = api.create(f"/cases/{case_id}/notes", {**NOTE, "mode": "fax"}, key="note-2")
    assert refused.status_code == 422
    fixed = api.create(f"/cases/{case_id}/notes", NOTE | {"plan": "y"}, key="note-2")
    assert fixed.status_code == 201  # a refused request did not use up its key
    assert ContactNote.objects.count() == 2


def test_an_emergency_disclosure_records_the_2_51_elements_and_tells_the_officer(
    api: Api,
    client_id: int,
    settings: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.CASEWORK_PRIVACY_OFFICER_EMAILS = ["privacy@agency.example"]
    share = {"recipient_name": "Dr Amara Obi", "recipient_kind": "person",
             "purpose": "medical_emergency", "categories": ["general", "part2_sud"],
             "data_description": "current medications and SUD treatment",
             "recipient_affiliation": "St. Mary's Emergency Department",
             "emergency_nature": "unresponsive on arrival; possible overdose"}  # fmt: skip
    for missing in ("recipient_affiliation", "emergency_nature"):
        refused = api.create(f"/clients/{client_id}/disclosures", {**share, missing: " "})
        assert_problem(refused, 422, missing)
    assert Disclosure.objects.count() == 0 and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        done = api.create(f"/clients/{client_id}/disclosures", share)
    assert done.status_code == 201, done.content
    body = done.json()
    assert body["basis"] == "emergency" and body["consent"] is None
    assert body["notice"] == PART2_NOTICE
    assert body["disclosed_by"] == "carla_cm" and body["disclosed_at"]
    assert body["recipient_affiliation"] == "St. Mary's Emergency Department"
    assert body["emergency_nature"] == "unresponsive on arrival; possible overdose"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["privacy@agency.example"]
    assert f"client #{client_id}" in mailoutbox[0].body
    assert "overdose" not in mailoutbox[0].body and "Gómez" not in mailoutbox[0].body


def test_emergency_access_tells_the_privacy_officer(
    client_id: int,
    outsider: Any,
    settings: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.CASEWORK_PRIVACY_OFFICER_EMAILS = ["privacy@agency.example"]
    outsider.staff.may_break_glass = True
    outsider.staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        grant = api_for(outsider).post(f"/clients/{client_id}/break-glass", {"reason": "ED"})
    assert grant.status_code == 201
    assert [m.subject for m in mailoutbox] == ["[Casework] emergency access"]
    assert "olga_outsider" in mailoutbox[0].body
