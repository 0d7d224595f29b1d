"""Certification eligibility and renewal explained from a staff record (no database)."""

from __future__ import annotations

import datetime as dt

from casework.staff.credentials import (
    CredentialStatus,
    DegreeFact,
    EducationFact,
    ExperienceFact,
    HeldCertification,
    LicenceFact,
    StaffFacts,
    credentials,
    full_time_months,
)

TODAY = dt.date(2026, 11, 30)


def years_ago(years: float) -> dt.date:
    return TODAY - dt.timedelta(days=round(years * 365.25))


def by_name(facts: StaffFacts) -> dict[str, CredentialStatus]:
    return {c.credential: c for c in credentials(facts)}


RN = LicenceFact("RN", TODAY + dt.timedelta(days=400), independent_practice=True)


def test_full_time_months_count_part_time_and_open_periods() -> None:
    half = ExperienceFact("case_manager", years_ago(2), None, fte_percent=50)
    assert round(full_time_months([half], TODAY)) == 12


def test_ccm_with_a_licence_and_eight_months_names_what_is_missing() -> None:
    facts = StaffFacts(
        TODAY,
        licences=[RN],
        experience=[
            ExperienceFact("case_manager", years_ago(8 / 12), None, supervised_by_ccm=True)
        ],
    )
    ccm = by_name(facts)["CCM"]
    assert not ccm.eligible
    assert ccm.met == ["a current licence allowing independent practice"]
    assert ccm.missing == [
        "4 more months of full-time case management experience supervised by a CCM, or 16 more "
        "months of full-time case management experience, or 12 more months of full-time "
        "experience supervising case managers"
    ]


def test_ccm_eligible_by_category_two() -> None:
    work = [ExperienceFact("case_manager", years_ago(2.1), None)]
    facts = StaffFacts(TODAY, licences=[RN], experience=work)
    ccm = by_name(facts)["CCM"]
    assert ccm.eligible


def test_an_expired_licence_does_not_count() -> None:
    old = LicenceFact("RN", TODAY - dt.timedelta(days=1), independent_practice=True)
    facts = StaffFacts(TODAY, licences=[old],
                       experience=[ExperienceFact("case_manager", years_ago(3), None)])  # fmt: skip
    result = by_name(facts)
    assert not result["CCM"].eligible
    assert "a current, active RN licence" in result["ACM-RN"].missing


def test_acm_rn_needs_twelve_months_of_supervised_health_system_work() -> None:
    period = ExperienceFact("case_manager", years_ago(1.05), None, health_delivery_system=True)
    assert by_name(StaffFacts(TODAY, licences=[RN], experience=[period]))["ACM-RN"].eligible
    short = ExperienceFact("case_manager", years_ago(0.5), None, health_delivery_system=True)
    acm = by_name(StaffFacts(TODAY, licences=[RN], experience=[short]))["ACM-RN"]
    assert acm.missing == [
        "6 more months of full-time, supervised health-delivery-system case management experience"
    ]


def test_nasw_c_aswcm_counts_post_degree_hours_only() -> None:
    msw = DegreeFact("master", "social_work", years_ago(3), cswe_accredited=True)
    work = ExperienceFact("case_manager", years_ago(4), None, social_work=True)
    facts = StaffFacts(
        TODAY,
        licences=[LicenceFact("LMSW", TODAY + dt.timedelta(days=300))],
        degrees=[msw],
        experience=[work],
        education=[EducationFact(years_ago(1), 20)],
    )
    status = by_name(facts)["C-ASWCM"]
    assert status.eligible
    assert not by_name(facts)["C-SWCM"].eligible  # no BSW
    recent = StaffFacts(TODAY, degrees=[DegreeFact("master", "social_work", years_ago(1), True)],
                        experience=[work], aswb_exam="masters")  # fmt: skip
    missing = by_name(recent)["C-ASWCM"].missing
    assert any(m.endswith("(3,000 needed)") for m in missing)
    assert "20 more contact hours of relevant continuing education" in missing


def test_renewal_status_and_ce_in_the_cycle() -> None:
    held = HeldCertification("CCM", years_ago(4.9), TODAY + dt.timedelta(days=30))
    facts = StaffFacts(
        TODAY,
        certifications=[held],
        education=[EducationFact(years_ago(2), 75, ethics_hours=6),
                   EducationFact(years_ago(6), 40)],  # before the cycle: not counted
    )  # fmt: skip
    renewal = by_name(facts)["CCM"].renewal
    assert renewal["status"] == "due"
    assert renewal["ce_hours_in_cycle"] == 75
    assert renewal["meets_ce_requirement"] is False
    assert renewal["missing"] == ["5 more CE hours", "2 more hours of ethics CE"]
    expired = HeldCertification("ACM-RN", years_ago(5), TODAY - dt.timedelta(days=1))
    status = by_name(StaffFacts(TODAY, certifications=[expired]))["ACM-RN"].renewal
    assert status["status"] == "expired"
