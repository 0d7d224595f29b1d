"""Case-manager certification eligibility and renewal (spec section 10)."""

from __future__ import annotations

from typing import Any

import pytest

from casework.rules import KINDS, InvalidInput, evaluate


# --- CCM eligibility -----------------------------------------------------------------------
def ccm(**changes: Any) -> dict[str, Any]:
    data = {
        "license_independent_practice": False,
        "degree_health_human_services": "none",
        "supervised_field_experience": False,
        "months_cm_full_time": 0,
        "supervised_by_ccm": False,
        "months_supervising_cm": 0,
        **changes,
    }
    return evaluate("ccm_eligibility", data)


@pytest.mark.parametrize(
    ("changes", "basis"),
    [
        ({}, None),
        ({"license_independent_practice": True}, "license"),
        ({"degree_health_human_services": "bachelor"}, None),  # no field experience
        ({"supervised_field_experience": True}, None),  # no degree
        ({"degree_health_human_services": "bachelor", "supervised_field_experience": True},
         "degree"),
        ({"degree_health_human_services": "master", "supervised_field_experience": True},
         "degree"),
        ({"degree_health_human_services": "doctorate", "supervised_field_experience": True},
         "degree"),
        ({"license_independent_practice": True, "degree_health_human_services": "master",
          "supervised_field_experience": True}, "license"),  # both hold -> license
    ],
)  # fmt: skip
def test_ccm_education_basis(changes: dict[str, Any], basis: str | None) -> None:
    assert ccm(**changes)["education_basis"] == basis


@pytest.mark.parametrize(
    ("changes", "categories"),
    [
        ({"months_cm_full_time": 11, "supervised_by_ccm": True}, []),
        ({"months_cm_full_time": 12, "supervised_by_ccm": True}, [1]),
        ({"months_cm_full_time": 12, "supervised_by_ccm": False}, []),
        ({"months_cm_full_time": 23}, []),
        ({"months_cm_full_time": 24}, [2]),
        ({"months_cm_full_time": 24, "supervised_by_ccm": True}, [1, 2]),
        ({"months_supervising_cm": 11}, []),
        ({"months_supervising_cm": 12}, [3]),
        ({"months_cm_full_time": 30, "supervised_by_ccm": True, "months_supervising_cm": 12},
         [1, 2, 3]),
        ({"months_cm_full_time": 12, "months_supervising_cm": 12}, [3]),
    ],
)  # fmt: skip
def test_ccm_employment_categories(changes: dict[str, Any], categories: list[int]) -> None:
    assert ccm(**changes)["employment_categories"] == categories


def test_ccm_eligible_needs_both() -> None:
    assert ccm(license_independent_practice=True)["eligible"] is False
    assert ccm(months_cm_full_time=24)["eligible"] is False
    assert ccm(license_independent_practice=True, months_cm_full_time=24) == {
        "eligible": True,
        "education_basis": "license",
        "employment_categories": [2],
    }
    assert ccm(
        degree_health_human_services="bachelor",
        supervised_field_experience=True,
        months_supervising_cm=12,
    ) == {"eligible": True, "education_basis": "degree", "employment_categories": [3]}


# --- CCM renewal ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ce", "ethics", "meets"),
    [(80, 8, True), (79.5, 8, False), (80, 7.9, False), (120, 8.0, True), (80.0, 80, True),
     (0, 0, False), (100, 7, False)],
)  # fmt: skip
def test_ccm_renewal(ce: float, ethics: float, meets: bool) -> None:
    assert evaluate("ccm_renewal", {"ce_hours": ce, "ethics_hours": ethics}) == {
        "meets_ce_requirement": meets,
        "cycle_years": 5,
    }


def test_ccm_renewal_ethics_cannot_exceed_total() -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate("ccm_renewal", {"ce_hours": 10, "ethics_hours": 10.5})
    assert caught.value.field == "ethics_hours"


# --- ACM -----------------------------------------------------------------------------------
def acm(discipline: str, rn: bool | None, sw: str | None, months: int) -> dict[str, Any]:
    return evaluate(
        "acm_eligibility",
        {
            "discipline": discipline,
            "rn_license_active": rn,
            "sw_degree": sw,
            "months_health_system_cm_full_time_supervised": months,
        },
    )


@pytest.mark.parametrize(
    ("args", "credential"),
    [
        (("RN", True, None, 12), "ACM-RN"),
        (("RN", True, None, 11), None),
        (("RN", False, None, 24), None),
        (("SW", None, "BSW", 12), "ACM-SW"),
        (("SW", None, "MSW", 40), "ACM-SW"),
        (("SW", None, "none", 40), None),
        (("SW", None, "MSW", 11), None),
    ],
)
def test_acm_eligibility(args: tuple[Any, ...], credential: str | None) -> None:
    assert acm(*args) == {"eligible": credential is not None, "credential": credential}


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (("RN", None, None, 12), "rn_license_active"),
        (("RN", True, "BSW", 12), "sw_degree"),
        (("RN", True, "none", 12), "sw_degree"),
        (("SW", None, None, 12), "sw_degree"),
        (("SW", True, "MSW", 12), "rn_license_active"),
        (("SW", False, "MSW", 12), "rn_license_active"),
        (("SW", None, "DSW", 12), "sw_degree"),
        (("LPN", None, None, 12), "discipline"),
        (("rn", True, None, 12), "discipline"),
    ],
)
def test_acm_discipline_specific_fields(args: tuple[Any, ...], where: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        acm(*args)
    assert caught.value.field == where


@pytest.mark.parametrize(
    ("ce", "cm", "meets"),
    [(40, 30, True), (39.9, 30, False), (40, 29.5, False), (60, 30, True), (40, 40, True)],
)
def test_acm_renewal(ce: float, cm: float, meets: bool) -> None:
    assert evaluate("acm_renewal", {"ce_hours": ce, "cm_specific_hours": cm}) == {
        "meets_ce_requirement": meets,
        "cycle_years": 4,
    }


def test_acm_renewal_cm_hours_cannot_exceed_total() -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate("acm_renewal", {"ce_hours": 30, "cm_specific_hours": 31})
    assert caught.value.field == "cm_specific_hours"


# --- NASW ----------------------------------------------------------------------------------
def nasw(**changes: Any) -> bool:
    data = {
        "credential": "C-SWCM",
        "degree": "BSW",
        "cswe_accredited": True,
        "post_degree_supervised_paid_cm_hours": 4500,
        "license_or_aswb_exam_at_level": True,
        "ce_contact_hours": 20,
        **changes,
    }
    eligible: bool = evaluate("nasw_cm_eligibility", data)["eligible"]
    return eligible


@pytest.mark.parametrize(
    ("changes", "eligible"),
    [
        ({}, True),
        ({"post_degree_supervised_paid_cm_hours": 4499}, False),
        ({"degree": "MSW"}, False),  # degree must match the credential
        ({"cswe_accredited": False}, False),
        ({"license_or_aswb_exam_at_level": False}, False),
        ({"ce_contact_hours": 19.5}, False),
        ({"ce_contact_hours": 20.0}, True),
        ({"credential": "C-ASWCM", "degree": "MSW", "post_degree_supervised_paid_cm_hours": 3000},
         True),
        ({"credential": "C-ASWCM", "degree": "MSW", "post_degree_supervised_paid_cm_hours": 2999},
         False),
        ({"credential": "C-ASWCM", "degree": "BSW", "post_degree_supervised_paid_cm_hours": 9000},
         False),
    ],
)  # fmt: skip
def test_nasw(changes: dict[str, Any], eligible: bool) -> None:
    assert nasw(**changes) is eligible


def test_unconfirmed_items_are_in_the_help_notes() -> None:
    for kind in ("ccm_eligibility", "acm_eligibility", "nasw_cm_eligibility"):
        assert any(note.startswith("Unconfirmed") for note in KINDS[kind].notes), kind
    assert any("AIDS" in note for note in KINDS["lace"].notes)
