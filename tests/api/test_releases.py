"""Releases: the client's records packaged for a recipient outside the care team (issue #4
item 4; AUTHZ-04/06, PRIV-02/03). The consent check, the accounting row and the data travel
together, and a release never holds more than its consent covers or its author may read."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from casework.audit.models import AuditEvent
from casework.cases.models import CareTeamMember
from casework.cli import main
from casework.core import clock
from casework.core.models import IdempotencyKey
from casework.privacy.labels import PART2_NOTICE
from casework.privacy.models import Disclosure
from tests.api.test_bad_input import assert_problem
from tests.api.test_privacy import NOTE, consent_body
from tests.conftest import Api, api_for, make_staff

CLINIC = {"recipient_name": "Harbor Clinic", "recipient_kind": "organisation",
          "purpose": "treatment", "data_description": "treatment summary"}  # fmt: skip


def _note(api: Api, case_id: int, text: str, label: str = "") -> int:
    body = {**NOTE, "assessment": text, **({"sensitivity": label} if label else {})}
    made = api.create(f"/cases/{case_id}/notes", body)
    assert made.status_code == 201, made.content
    return int(made.json()["id"])


def _release(api: Api, client_id: int, categories: list[str], key: str | None = None) -> Any:
    return api.create(f"/clients/{client_id}/releases", {**CLINIC, "categories": categories}, key)


def _texts(package: dict[str, Any]) -> str:
    return " ".join(str(n["assessment"]) for n in package["notes"])


def test_a_general_release_carries_the_record_without_labelled_notes(
    api: Api, client_id: int, case_id: int
) -> None:
    _note(api, case_id, "SENTINEL-PLAIN walked to the pharmacy")
    _note(api, case_id, "SENTINEL-SUD methadone dose", "part2_sud")
    start = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    made = _release(api, client_id, ["general"])
    assert made.status_code == 201, made.content
    assert made["Content-Disposition"].startswith('attachment; filename="casework-release-client')
    package = made.json()
    assert package["format"] == "casework-release/1"
    assert package["client"]["id"] == client_id and package["client"]["family_name"]
    assert [c["id"] for c in package["cases"]] == [case_id]
    assert "SENTINEL-PLAIN" in _texts(package)
    assert "SENTINEL-SUD" not in made.content.decode()
    assert package["notice"] == "" and package["consent"] is None
    assert package["disclosure"]["basis"] == "tpo"
    disclosure = Disclosure.objects.get(pk=package["disclosure"]["id"])
    assert disclosure.channel == "export" and disclosure.categories == ["general"]
    row = AuditEvent.objects.get(seq__gt=start or 0, object_type="releases")
    assert row.action == "disclosure" and row.object_id == str(disclosure.pk)
    assert row.client_id == client_id


def test_part2_data_leave_only_under_consent_with_notice_codes_and_consent_copy(
    api: Api, client_id: int, case_id: int
) -> None:
    _note(api, case_id, "SENTINEL-PLAIN walked to the pharmacy")
    _note(api, case_id, "SENTINEL-SUD methadone dose", "part2_sud")
    keys = IdempotencyKey.objects.count()
    refused = _release(api, client_id, ["part2_sud"])
    assert_problem(refused, 409, "consent")
    assert refused.json()["reason"] == "consent_missing"
    assert Disclosure.objects.count() == 0 and IdempotencyKey.objects.count() == keys
    consent = api.create(f"/clients/{client_id}/consents", consent_body()).json()
    package = _release(api, client_id, ["part2_sud"]).json()
    assert "SENTINEL-SUD" in _texts(package) and "SENTINEL-PLAIN" not in _texts(package)
    assert package["notes"][0]["security"] == ["42CFRPart2", "ETH"]
    assert package["notice"] == PART2_NOTICE
    assert package["consent"]["id"] == consent["id"]
    assert package["consent"]["recipient_name"] == "Harbor Clinic"
    assert package["client"] == {"id": client_id} and package["cases"] == []
    revocation = {"revoked_on": clock.today().isoformat(), "note": "client asked"}
    assert api.post(f"/consents/{consent['id']}/revoke", revocation).status_code == 200
    again = _release(api, client_id, ["part2_sud"])
    assert again.status_code == 409 and again.json()["reason"] == "consent_revoked"
    assert Disclosure.objects.count() == 1


def test_psychotherapy_notes_leave_only_with_their_consent_and_only_by_their_author(
    api: Api, client_id: int, case_id: int, case_manager: Any
) -> None:
    _note(api, case_id, "SENTINEL-PSY grief work", "psychotherapy_note")
    general = _release(api, client_id, ["general"])
    assert "SENTINEL-PSY" not in general.content.decode()  # a general export omits them
    refused = _release(api, client_id, ["psychotherapy_note"])
    assert_problem(refused, 409, "consent")
    api.create(f"/clients/{client_id}/consents",
               consent_body(categories=["psychotherapy_note"]))  # fmt: skip
    by_author = _release(api, client_id, ["psychotherapy_note"]).json()
    assert "SENTINEL-PSY" in _texts(by_author)
    colleague = make_staff("tom_team", supervisor=case_manager.staff.supervisor)
    CareTeamMember.objects.create(case_id=case_id, staff=colleague.staff, role="co-manager")
    by_colleague = _release(api_for(colleague), client_id, ["psychotherapy_note"])
    assert by_colleague.status_code == 201
    assert "SENTINEL-PSY" not in by_colleague.content.decode()


def test_a_retried_release_is_one_disclosure(api: Api, client_id: int, case_id: int) -> None:
    key = uuid.uuid4().hex
    first = _release(api, client_id, ["general"], key)
    second = _release(api, client_id, ["general"], key)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Disclosure.objects.count() == 1
    unkeyed = api.post(f"/clients/{client_id}/releases", {**CLINIC, "categories": ["general"]})
    assert_problem(unkeyed, 400, "Idempotency-Key")


def test_a_release_needs_the_write_permission_and_the_client_in_scope(
    client_id: int, case_id: int, outsider: Any
) -> None:
    assert_problem(_release(api_for(outsider), client_id, ["general"]), 404)
    assert Disclosure.objects.count() == 0


def test_bad_input_names_the_field_and_stores_nothing(api: Api, client_id: int) -> None:
    assert_problem(_release(api, client_id, []), 422, "categories")
    assert_problem(_release(api, client_id, ["gossip"]), 422, "categories[0]")
    urgent = {**CLINIC, "purpose": "medical_emergency", "categories": ["general"]}
    emergency = api.create(f"/clients/{client_id}/releases", urgent)
    assert_problem(emergency, 422, "recipient_affiliation")
    assert Disclosure.objects.count() == 0


def test_the_command_line_releases_to_a_new_file_and_refuses_with_one_line(
    api: Api, client_id: int, case_id: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _note(api, case_id, "SENTINEL-SUD methadone dose", "part2_sud")
    out = tmp_path / "release.json"
    argv = ["clients", "release", str(client_id), "--as", "carla_cm", "--recipient",
            "Harbor Clinic", "--recipient-kind", "organisation", "--purpose", "treatment",
            "--category", "part2_sud", "--description", "treatment summary",
            "--output", str(out)]  # fmt: skip
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no consent in effect" in err
    assert not out.exists() and not Disclosure.objects.exists()
    bad = ["gossip" if a == "treatment" else a for a in argv]
    assert main(bad) == 1 and "purpose is one of" in capsys.readouterr().err
    api.create(f"/clients/{client_id}/consents", consent_body())
    assert main(argv) == 0
    assert PART2_NOTICE in capsys.readouterr().out
    package = json.loads(out.read_text())
    assert "SENTINEL-SUD" in _texts(package)
    disclosure = Disclosure.objects.get()
    row = AuditEvent.objects.filter(action="disclosure", object_type="clients").last()
    assert row is not None and row.client_id == client_id and row.outcome == "success"
    assert main(argv) == 1 and "exists" in capsys.readouterr().err  # never overwritten
    assert Disclosure.objects.get() == disclosure
