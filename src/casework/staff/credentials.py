"""Certification eligibility and renewal for a staff member, in plain words. Pure.

The thresholds are the rule library's (``rules.certification``, spec section 10); this module
turns a staff record into the rules' inputs and explains what is met and what is missing.
Experience is kept as dated periods with a full-time percentage: a period's full-time
equivalent months are its calendar months times the percentage, and hours are full-time
months times 2,080 / 12 (Unconfirmed: each body's own part-time conversion).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from casework import rules
from casework.rules import certification as thresholds

DAYS_PER_MONTH = 365.25 / 12
HOURS_PER_FULL_TIME_MONTH = 2080 / 12
RENEWAL_WARNING_DAYS = 90

BSW_LEVEL_LICENCES = frozenset({"LBSW", "LSW", "RSW", "BSW"})
MSW_LEVEL_LICENCES = frozenset({"LMSW", "LGSW", "LCSW", "LICSW", "LISW", "LCSW-C", "LCSW-R"})
ASWB_AT_BSW_LEVEL = frozenset({"bachelors", "masters", "advanced", "clinical"})
ASWB_AT_MSW_LEVEL = frozenset({"masters", "advanced", "clinical"})


@dataclass(frozen=True)
class LicenceFact:
    licence_type: str
    expires_on: dt.date
    independent_practice: bool = False


@dataclass(frozen=True)
class DegreeFact:
    level: str  # associate, bachelor, master, doctorate
    field: str  # nursing, social_work, counseling, public_health, other_health, other
    awarded_on: dt.date
    cswe_accredited: bool = False
    supervised_field_experience: bool = False


@dataclass(frozen=True)
class ExperienceFact:
    role: str  # case_manager or supervisor
    started_on: dt.date
    ended_on: dt.date | None
    fte_percent: int = 100
    supervised: bool = True
    supervised_by_ccm: bool = False
    health_delivery_system: bool = False
    social_work: bool = False
    paid: bool = True


@dataclass(frozen=True)
class EducationFact:
    completed_on: dt.date
    hours: float
    ethics_hours: float = 0.0
    cm_specific_hours: float = 0.0


@dataclass(frozen=True)
class HeldCertification:
    kind: str
    issued_on: dt.date
    expires_on: dt.date


@dataclass(frozen=True)
class StaffFacts:
    today: dt.date
    licences: Sequence[LicenceFact] = ()
    degrees: Sequence[DegreeFact] = ()
    experience: Sequence[ExperienceFact] = ()
    education: Sequence[EducationFact] = ()
    aswb_exam: str = ""
    certifications: Sequence[HeldCertification] = ()


@dataclass
class CredentialStatus:
    credential: str
    eligible: bool
    met: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    renewal: dict[str, Any] | None = None


def full_time_months(
    periods: Sequence[ExperienceFact], today: dt.date, *, since: dt.date | None = None
) -> float:
    total = 0.0
    for p in periods:
        start = max(p.started_on, since) if since else p.started_on
        end = min(p.ended_on or today, today)
        if end > start:
            total += (end - start).days / DAYS_PER_MONTH * p.fte_percent / 100
    return total


def _active(licence: LicenceFact, today: dt.date) -> bool:
    return licence.expires_on >= today


def _months(value: float) -> str:
    whole = int(value)
    return f"{whole} month" + ("" if whole == 1 else "s")


def _more(needed: float, have: float) -> int:
    return max(1, int(needed - int(have)))


def ccm(f: StaffFacts) -> CredentialStatus:
    cm = [p for p in f.experience if p.role == "case_manager"]
    supervising = [p for p in f.experience if p.role == "supervisor"]
    total = full_time_months(cm, f.today)
    under_ccm = full_time_months([p for p in cm if p.supervised_by_ccm], f.today)
    supervisor = full_time_months(supervising, f.today)
    hhs = [d for d in f.degrees if d.field != "other" and d.level != "associate"]
    best = max(
        (d.level for d in hhs), key=["bachelor", "master", "doctorate"].index, default="none"
    )
    result = rules.evaluate(
        "ccm_eligibility",
        {
            "license_independent_practice": any(
                lic.independent_practice and _active(lic, f.today) for lic in f.licences
            ),
            "degree_health_human_services": best,
            "supervised_field_experience": any(d.supervised_field_experience for d in hhs),
            "months_cm_full_time": int(total),
            "supervised_by_ccm": under_ccm >= thresholds.CCM_CATEGORY_1_MONTHS,
            "months_supervising_cm": int(supervisor),
        },
    )
    status = CredentialStatus("CCM", bool(result["eligible"]))
    basis = result["education_basis"]
    if basis == "license":
        status.met.append("a current licence allowing independent practice")
    elif basis == "degree":
        status.met.append("a health or human services degree with supervised field experience")
    else:
        status.missing.append(
            "a current licence that allows independent practice (such as RN or LCSW), or a "
            "bachelor's or higher degree in a health or human services field with a "
            "supervised field experience"
        )
    categories = result["employment_categories"]
    labels = {
        1: f"{_months(under_ccm)} of full-time case management supervised by a CCM",
        2: f"{_months(total)} of full-time case management",
        3: f"{_months(supervisor)} supervising case managers",
    }
    status.met.extend(labels[c] for c in categories)
    if not categories:
        status.missing.append(
            f"{_more(thresholds.CCM_CATEGORY_1_MONTHS, under_ccm)} more months of full-time "
            "case management experience supervised by a CCM, or "
            f"{_more(thresholds.CCM_CATEGORY_2_MONTHS, total)} more months of full-time case "
            f"management experience, or {_more(thresholds.CCM_CATEGORY_3_MONTHS, supervisor)} "
            "more months of full-time experience supervising case managers"
        )
    return status


def _health_system_months(f: StaffFacts) -> float:
    return full_time_months(
        [
            p
            for p in f.experience
            if p.role == "case_manager" and p.supervised and p.health_delivery_system
        ],
        f.today,
    )


def acm(f: StaffFacts, credential: str) -> CredentialStatus:
    months = _health_system_months(f)
    status = CredentialStatus(credential, False)
    if credential == "ACM-RN":
        rn = any(lic.licence_type.upper() == "RN" and _active(lic, f.today) for lic in f.licences)
        data = {"discipline": "RN", "rn_license_active": rn, "sw_degree": None}
        (status.met if rn else status.missing).append("a current, active RN licence")
    else:
        sw = [
            d for d in f.degrees if d.field == "social_work" and d.level in ("bachelor", "master")
        ]
        degree = "MSW" if any(d.level == "master" for d in sw) else ("BSW" if sw else "none")
        data = {"discipline": "SW", "rn_license_active": None, "sw_degree": degree}
        if degree == "none":
            status.missing.append("a bachelor's or master's degree in social work")
        else:
            status.met.append(f"a {degree}")
    data["months_health_system_cm_full_time_supervised"] = int(months)
    result = rules.evaluate("acm_eligibility", data)
    status.eligible = bool(result["eligible"])
    if months >= thresholds.ACM_EXPERIENCE_MONTHS:
        status.met.append(f"{_months(months)} of supervised health-system case management")
    else:
        status.missing.append(
            f"{_more(thresholds.ACM_EXPERIENCE_MONTHS, months)} more months of full-time, "
            "supervised health-delivery-system case management experience"
        )
    return status


def nasw(f: StaffFacts, credential: str) -> CredentialStatus:
    degree = thresholds.NASW_REQUIRED_DEGREE[credential]
    level = "bachelor" if degree == "BSW" else "master"
    status = CredentialStatus(credential, False)
    held = [d for d in f.degrees if d.field == "social_work" and d.level == level]
    ce_hours = sum(e.hours for e in f.education)
    if not held:
        status.missing.append(f"a {degree} from a CSWE-accredited programme")
        return status
    d = max(held, key=lambda x: x.awarded_on)
    after_degree = [
        p
        for p in f.experience
        if p.role == "case_manager" and p.social_work and p.paid and p.supervised
    ]
    hours = full_time_months(after_degree, f.today, since=d.awarded_on) * HOURS_PER_FULL_TIME_MONTH
    licences = BSW_LEVEL_LICENCES | MSW_LEVEL_LICENCES if degree == "BSW" else MSW_LEVEL_LICENCES
    exams = ASWB_AT_BSW_LEVEL if degree == "BSW" else ASWB_AT_MSW_LEVEL
    at_level = any(
        lic.licence_type.upper() in licences and _active(lic, f.today) for lic in f.licences
    ) or (f.aswb_exam in exams)
    result = rules.evaluate(
        "nasw_cm_eligibility",
        {
            "credential": credential,
            "degree": degree,
            "cswe_accredited": d.cswe_accredited,
            "post_degree_supervised_paid_cm_hours": int(hours),
            "license_or_aswb_exam_at_level": at_level,
            "ce_contact_hours": ce_hours,
        },
    )
    status.eligible = bool(result["eligible"])
    needed = thresholds.NASW_MIN_HOURS[credential]
    checks = [
        (d.cswe_accredited, f"a {degree} from a CSWE-accredited programme",
         f"a {degree} from a CSWE-accredited programme (yours is not recorded as accredited)"),
        (hours >= needed, f"{int(hours):,} hours of paid, supervised post-{degree} "
         "social-work case management", f"{needed - int(hours):,} more hours of paid, "
         f"supervised post-{degree} social-work case management ({needed:,} needed)"),
        (at_level, f"a {degree}-level licence or ASWB exam",
         f"a current {degree}-level social-work licence or a passing ASWB exam at that level"),
        (ce_hours >= thresholds.NASW_MIN_CE_CONTACT_HOURS, f"{ce_hours:g} CE contact hours",
         f"{thresholds.NASW_MIN_CE_CONTACT_HOURS - ce_hours:g} more contact hours of relevant "
         "continuing education"),
    ]  # fmt: skip
    for ok, met, missing in checks:
        (status.met if ok else status.missing).append(met if ok else missing)
    return status


def renewal(f: StaffFacts, held: HeldCertification) -> dict[str, Any]:
    """Where a held certification stands against its expiry and its CE requirement."""
    days_left = (held.expires_on - f.today).days
    state = (
        "expired" if days_left < 0 else ("due" if days_left <= RENEWAL_WARNING_DAYS else "current")
    )
    in_cycle = [e for e in f.education if held.issued_on <= e.completed_on <= held.expires_on]
    ce = sum(e.hours for e in in_cycle)
    out: dict[str, Any] = {
        "expires_on": held.expires_on.isoformat(),
        "days_left": days_left,
        "status": state,
        "ce_hours_in_cycle": ce,
        "meets_ce_requirement": None,
        "missing": [],
    }
    if held.kind == "CCM":
        ethics = sum(e.ethics_hours for e in in_cycle)
        result = rules.evaluate("ccm_renewal", {"ce_hours": ce, "ethics_hours": min(ethics, ce)})
        out["meets_ce_requirement"] = result["meets_ce_requirement"]
        if ce < thresholds.CCM_RENEWAL_CE_HOURS:
            out["missing"].append(f"{thresholds.CCM_RENEWAL_CE_HOURS - ce:g} more CE hours")
        if ethics < thresholds.CCM_RENEWAL_ETHICS_HOURS:
            out["missing"].append(
                f"{thresholds.CCM_RENEWAL_ETHICS_HOURS - ethics:g} more hours of ethics CE"
            )
    elif held.kind in ("ACM-RN", "ACM-SW"):
        specific = sum(e.cm_specific_hours for e in in_cycle)
        result = rules.evaluate(
            "acm_renewal", {"ce_hours": ce, "cm_specific_hours": min(specific, ce)}
        )
        out["meets_ce_requirement"] = result["meets_ce_requirement"]
        if ce < thresholds.ACM_RENEWAL_CE_HOURS:
            out["missing"].append(f"{thresholds.ACM_RENEWAL_CE_HOURS - ce:g} more CE hours")
        if specific < thresholds.ACM_RENEWAL_CM_SPECIFIC_HOURS:
            out["missing"].append(
                f"{thresholds.ACM_RENEWAL_CM_SPECIFIC_HOURS - specific:g} more hours of "
                "case-management-specific CE"
            )
    else:
        out["missing"].append("check the certifying body's current CE requirement (not modelled)")
    return out


def credentials(f: StaffFacts) -> list[CredentialStatus]:
    statuses = [
        ccm(f),
        acm(f, "ACM-RN"),
        acm(f, "ACM-SW"),
        nasw(f, "C-SWCM"),
        nasw(f, "C-ASWCM"),
    ]
    for status in statuses:
        held = [c for c in f.certifications if c.kind == status.credential]
        if held:
            status.renewal = renewal(f, max(held, key=lambda c: c.expires_on))
    return statuses
