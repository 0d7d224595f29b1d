"""The casework command, run in-process against the test database."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient

from casework.cli import main
from tests.conftest import Api


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_token_create_prints_a_token_that_works(
    case_manager: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "token", "create", "carla_cm", "--scope", "read")
    assert code == 0
    raw = out.strip()
    assert raw.startswith("cw_")
    assert "scope read" in err
    response = HttpClient().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    refused = HttpClient().post(
        "/api/v1/clients", "{}", content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )  # fmt: skip
    assert refused.status_code == 403  # a read token cannot write
    code, out, _ = run(capsys, "token", "revoke", raw[:10])
    assert code == 0
    again = HttpClient().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert again.status_code == 401


def test_token_for_an_unknown_user_fails_with_one_line(
    db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "token", "create", "nobody")
    assert code == 1
    assert err.strip() == "casework token: no user 'nobody'"


def test_createuser_makes_a_staff_member(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "createuser", "newcm", "--password", "a long enough password", "--discipline",
        "social_work",
    )  # fmt: skip
    assert code == 0
    assert "created user newcm (case_manager) (staff)" in out
    code, _, err = run(capsys, "createuser", "newcm", "--password", "a long enough password")
    assert code == 1
    assert "taken" in err


def test_createuser_gives_roles_and_refuses_unknown_ones(
    db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "createuser", "pm", "--password", "a long enough password", "--discipline",
        "nurse", "--role", "program_manager", "--role", "supervisor",
    )  # fmt: skip
    assert code == 0 and "(program_manager, supervisor)" in out
    code, _, err = run(
        capsys, "createuser", "x", "--password", "a long enough password", "--role", "boss"
    )
    assert code == 1 and "unknown role 'boss'" in err


def test_a_data_command_needs_an_account_whose_role_allows_it(
    db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "createuser", "aud", "--password", "a long enough password", "--role", "auditor")
    code, _, err = run(capsys, "cases", "list", "--as", "aud")
    assert code == 1 and "needs the 'case.read' permission" in err


def test_data_commands_need_a_named_account(
    case_id: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CASEWORK_USER", raising=False)
    code, _, err = run(capsys, "cases", "list")
    assert code == 1
    assert "--as USERNAME" in err


def test_lists_and_shows_clients_and_cases(
    api: Api, case_id: int, client_id: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "clients", "list", "--q", "gomez", "--as", "carla_cm")
    assert code == 0 and "María Gómez" in out
    code, out, _ = run(capsys, "clients", "show", str(client_id), "--as", "carla_cm")
    assert code == 0 and "Spanish (interpreter)" in out
    code, out, _ = run(capsys, "cases", "list", "--as", "carla_cm")
    assert code == 0 and "screening" in out
    code, out, _ = run(capsys, "cases", "show", str(case_id), "--as", "carla_cm")
    assert code == 0
    assert "no eligibility decision has been recorded at screening" in out
    code, _, err = run(capsys, "cases", "show", str(case_id), "--as", "sam_supervisor")
    assert code == 0


def test_a_refused_move_is_one_line_and_a_non_zero_exit(
    case_id: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "cases", "move", str(case_id), "assessment", "--as", "carla_cm")
    assert code == 1
    assert err.count("\n") == 1
    assert "no eligibility decision has been recorded at screening" in err


def test_an_outsider_cannot_see_the_case(
    case_id: int, outsider: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "cases", "show", str(case_id), "--as", "olga_outsider")
    assert code == 1
    assert f"no case {case_id}" in err


def test_a_bad_date_is_one_clear_line(case_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "cases", "show", str(case_id), "--as-of", "yesterday", "--as", "carla_cm"
    )
    assert code == 1
    assert "--as-of must be a date written YYYY-MM-DD" in err


def test_stratify_scores_a_population_from_csv(
    db: Any, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv

    def write(name: str, rows: list[dict[str, str]]) -> str:
        path = tmp_path / name
        with path.open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        return str(path)

    members = write("m.csv", [{"member_id": "001", "birth_date": "1940-01-01"},
                              {"member_id": "002", "birth_date": "1990-06-01"}])  # fmt: skip
    diagnoses = write("d.csv", [{"member_id": "001", "icd10_code": "I50.9"},
                                {"member_id": "001", "icd10_code": "E11.40"},
                                {"member_id": "002", "icd10_code": "J45.909"}])  # fmt: skip
    encounters = write("e.csv", [{"member_id": "001", "encounter_type": "inpatient",
                                  "admit_date": "2026-03-01", "discharge_date": "2026-03-08",
                                  "acute": "true"}])  # fmt: skip
    output = tmp_path / "out.csv"
    code, out, err = run(
        capsys, "stratify", "--members", members, "--diagnoses", diagnoses,
        "--encounters", encounters, "--output", str(output), "--as-of", "2026-04-01",
    )  # fmt: skip
    assert code == 0, err
    assert "tier high" in out
    rows = {r["member_id"]: r for r in csv.DictReader(output.open())}
    assert rows["001"]["charlson_1987"] == "3"
    assert rows["001"]["lace_total"] == "11"  # L 5 (7 days) + A 3 + C 3 + E 0
    assert rows["002"]["tier"] == "moderate"


def test_stratify_with_a_missing_file_is_one_line(
    db: Any, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "stratify", "--members", str(tmp_path / "none.csv"), "--diagnoses", "x",
        "--encounters", "y", "--output", str(tmp_path / "o.csv"),
    )  # fmt: skip
    assert code == 1
    assert err.strip().endswith("none.csv")


def test_staff_credentials_command(case_manager: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "staff", "credentials", "carla_cm")
    assert code == 0
    for credential in ("CCM", "ACM-RN", "ACM-SW", "C-SWCM", "C-ASWCM"):
        assert credential in out
