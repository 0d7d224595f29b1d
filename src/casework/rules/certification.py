"""Case-manager certification eligibility and renewal: CCM, ACM-RN/SW, NASW C-SWCM/C-ASWCM.

Spec section 10. Experience is given in full-time-equivalent months (or hours where the
credential states hours); the caller converts part-time work.

**Unconfirmed** (kept in ``UNCONFIRMED`` and repeated in each rule's help notes): each body's
part-time conversion rules and recency windows; CCMC's detailed "acceptable employment"
conditions; ACM-SW licence requirement and ACM recency/supervisor conditions; every NASW
figure (secondary sources only), including NASW renewal hours and ethics share.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ._rule import Result, Rule
from ._validate import InvalidInput, boolean, enum, integer, number, obj

UNCONFIRMED: Final = {
    "all": "Part-time conversion rules and how recent the experience must be (every body).",
    "ccm": "CCMC Certification Guide section 5 'acceptable employment' conditions.",
    "acm": "ACM-SW licence requirement; recency window and CCM supervisor (not modelled).",
    "nasw": "All NASW C-SWCM/C-ASWCM figures (secondary summaries); renewal CE hours/ethics.",
}

# --- CCM (Commission for Case Manager Certification) ---------------------------------------
CCM_DEGREES: Final = ("none", "bachelor", "master", "doctorate")
CCM_CATEGORY_1_MONTHS: Final = 12  # full-time CM employment supervised by a CCM
CCM_CATEGORY_2_MONTHS: Final = 24  # full-time CM employment, any supervisor
CCM_CATEGORY_3_MONTHS: Final = 12  # full-time supervising people who provide CM
CCM_RENEWAL_CYCLE_YEARS: Final = 5
CCM_RENEWAL_CE_HOURS: Final = 80
CCM_RENEWAL_ETHICS_HOURS: Final = 8  # count toward the 80

# --- ACM-RN / ACM-SW (American Case Management Association) --------------------------------
ACM_DISCIPLINES: Final = ("RN", "SW")
ACM_SW_DEGREES: Final = ("BSW", "MSW", "none")
ACM_QUALIFYING_SW_DEGREES: Final = frozenset({"BSW", "MSW"})
# discipline -> (its own field, which must be given; the other field, which must be null)
ACM_DISCIPLINE_FIELDS: Final = {
    "RN": ("rn_license_active", "sw_degree"),
    "SW": ("sw_degree", "rn_license_active"),
}
ACM_EXPERIENCE_MONTHS: Final = 12  # lowered from 24 months in December 2016
ACM_RENEWAL_CYCLE_YEARS: Final = 4
ACM_RENEWAL_CE_HOURS: Final = 40
ACM_RENEWAL_CM_SPECIFIC_HOURS: Final = 30  # count toward the 40

# --- NASW C-SWCM / C-ASWCM (Unconfirmed: see UNCONFIRMED["nasw"]) --------------------------
NASW_REQUIRED_DEGREE: Final = {"C-SWCM": "BSW", "C-ASWCM": "MSW"}
NASW_MIN_HOURS: Final = {"C-SWCM": 4500, "C-ASWCM": 3000}  # post-degree paid supervised CM
NASW_MIN_CE_CONTACT_HOURS: Final = 20
NASW_RENEWAL_CYCLE_YEARS: Final = 2


def _ccm_eligibility(data: Mapping[str, Any]) -> Result:
    basis: str | None = None
    if data["license_independent_practice"]:
        basis = "license"  # reported when both bases hold
    elif data["degree_health_human_services"] != "none" and data["supervised_field_experience"]:
        basis = "degree"
    months: int = data["months_cm_full_time"]
    categories = [
        category
        for category, met in (
            (1, months >= CCM_CATEGORY_1_MONTHS and bool(data["supervised_by_ccm"])),
            (2, months >= CCM_CATEGORY_2_MONTHS),
            (3, data["months_supervising_cm"] >= CCM_CATEGORY_3_MONTHS),
        )
        if met
    ]
    return {
        "eligible": basis is not None and bool(categories),
        "education_basis": basis,
        "employment_categories": categories,
    }


def _not_more_than(data: Mapping[str, Any], part: str, whole: str) -> None:
    if data[part] > data[whole]:
        raise InvalidInput(part, f"cannot exceed {whole} ({data[part]!r} > {data[whole]!r})")


def _ccm_renewal(data: Mapping[str, Any]) -> Result:
    _not_more_than(data, "ethics_hours", "ce_hours")
    return {
        "meets_ce_requirement": data["ce_hours"] >= CCM_RENEWAL_CE_HOURS
        and data["ethics_hours"] >= CCM_RENEWAL_ETHICS_HOURS,
        "cycle_years": CCM_RENEWAL_CYCLE_YEARS,
    }


def _acm_eligibility(data: Mapping[str, Any]) -> Result:
    discipline: str = data["discipline"]
    # The discipline-specific field must be given and the other one must be null.
    own, other = ACM_DISCIPLINE_FIELDS[discipline]
    if data[own] is None:
        raise InvalidInput(own, f"required when discipline is {discipline}")
    if data[other] is not None:
        raise InvalidInput(other, f"must be null when discipline is {discipline}")
    if discipline == "RN":
        qualified = bool(data["rn_license_active"])
    else:
        qualified = data["sw_degree"] in ACM_QUALIFYING_SW_DEGREES
    eligible = (
        qualified and data["months_health_system_cm_full_time_supervised"] >= ACM_EXPERIENCE_MONTHS
    )
    return {"eligible": eligible, "credential": f"ACM-{discipline}" if eligible else None}


def _acm_renewal(data: Mapping[str, Any]) -> Result:
    _not_more_than(data, "cm_specific_hours", "ce_hours")
    return {
        "meets_ce_requirement": data["ce_hours"] >= ACM_RENEWAL_CE_HOURS
        and data["cm_specific_hours"] >= ACM_RENEWAL_CM_SPECIFIC_HOURS,
        "cycle_years": ACM_RENEWAL_CYCLE_YEARS,
    }


def _nasw(data: Mapping[str, Any]) -> Result:
    credential: str = data["credential"]
    eligible = (
        data["degree"] == NASW_REQUIRED_DEGREE[credential]
        and bool(data["cswe_accredited"])
        and data["post_degree_supervised_paid_cm_hours"] >= NASW_MIN_HOURS[credential]
        and bool(data["license_or_aswb_exam_at_level"])
        and data["ce_contact_hours"] >= NASW_MIN_CE_CONTACT_HOURS
    )
    return {"eligible": eligible, "cycle_years": NASW_RENEWAL_CYCLE_YEARS}


_HOURS: Final = number(minimum=0)

RULES: Final = (
    Rule(
        kind="ccm_eligibility",
        title="CCM exam eligibility (CCMC)",
        schema=obj(
            {
                "license_independent_practice": boolean(),
                "degree_health_human_services": enum(CCM_DEGREES),
                "supervised_field_experience": boolean(),
                "months_cm_full_time": integer(0),
                "supervised_by_ccm": boolean(),
                "months_supervising_cm": integer(0),
            }
        ),
        output_keys=("eligible", "education_basis", "employment_categories"),
        compute=_ccm_eligibility,
        source="CCMC: CCM Eligibility at a Glance; Certification Guide",
        notes=(f"Unconfirmed: {UNCONFIRMED['ccm']}", f"Unconfirmed: {UNCONFIRMED['all']}"),
    ),
    Rule(
        kind="ccm_renewal",
        title="CCM renewal continuing education",
        schema=obj({"ce_hours": _HOURS, "ethics_hours": _HOURS}),
        output_keys=("meets_ce_requirement", "cycle_years"),
        compute=_ccm_renewal,
        source="CCMC: Renewal FAQs; Renewal (ethics requirement)",
        notes=("80 CE hours per 5-year cycle, at least 8 ethics; renewal by exam also allowed.",),
    ),
    Rule(
        kind="acm_eligibility",
        title="ACM-RN / ACM-SW exam eligibility (ACMA)",
        schema=obj(
            {
                "discipline": enum(ACM_DISCIPLINES),
                "rn_license_active": boolean(True, description="RN only, else null"),
                "sw_degree": enum(ACM_SW_DEGREES, True, description="SW only, else null"),
                "months_health_system_cm_full_time_supervised": integer(0),
            }
        ),
        output_keys=("eligible", "credential"),
        compute=_acm_eligibility,
        source="ACMA: ACM Certification Exam information; press release 20 Dec 2016",
        notes=(f"Unconfirmed: {UNCONFIRMED['acm']}", f"Unconfirmed: {UNCONFIRMED['all']}"),
    ),
    Rule(
        kind="acm_renewal",
        title="ACM recertification continuing education",
        schema=obj({"ce_hours": _HOURS, "cm_specific_hours": _HOURS}),
        output_keys=("meets_ce_requirement", "cycle_years"),
        compute=_acm_renewal,
        source="ACMA: ACM Recertification requirements",
        notes=("40 CE hours per 4-year cycle, at least 30 specific to case management.",),
    ),
    Rule(
        kind="nasw_cm_eligibility",
        title="NASW C-SWCM / C-ASWCM eligibility",
        schema=obj(
            {
                "credential": enum(tuple(NASW_REQUIRED_DEGREE)),
                "degree": enum(("BSW", "MSW")),
                "cswe_accredited": boolean(),
                "post_degree_supervised_paid_cm_hours": integer(0),
                "license_or_aswb_exam_at_level": boolean(),
                "ce_contact_hours": _HOURS,
            }
        ),
        output_keys=("eligible", "cycle_years"),
        compute=_nasw,
        source="NASW Credentialing Center (figures from secondary summaries)",
        notes=(f"Unconfirmed: {UNCONFIRMED['nasw']}", f"Unconfirmed: {UNCONFIRMED['all']}"),
    ),
)
