"""Transitions of care: CMS TCM deadlines and code selection (99495/99496), HEDIS MRP window.

Spec sections 9.1 and 9.3. Business days come from the computed federal holiday calendar in
``federal_holidays`` (section 9.2); ``add_business_days`` and ``is_business_day`` are
re-exported here for callers that think of them as transition-of-care helpers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, Final

from ._rule import Result, Rule
from ._validate import InvalidInput, array, child, enum, iso_date, obj, parse_date
from .federal_holidays import add_business_days, is_business_day

__all__ = ["RULES", "add_business_days", "is_business_day", "tcm_dates"]

# Known values only (strict input): unknown values are rejected, known non-qualifying ones
# give eligible = false. Decision: the non-qualifying values are exactly the examples the spec
# names, with "other" as the catch-all.
QUALIFYING_DISCHARGE_SETTINGS: Final = (
    "inpatient_acute_care_hospital",
    "inpatient_psychiatric_hospital",
    "long_term_care_hospital",
    "skilled_nursing_facility",
    "inpatient_rehabilitation_facility",
    "hospital_outpatient_observation",
    "partial_hospitalization",
    "cmhc_partial_hospitalization",
)
OTHER_DISCHARGE_SETTINGS: Final = ("emergency_department", "nursing_facility_long_term", "other")
QUALIFYING_DESTINATIONS: Final = ("home", "domiciliary", "rest_home", "assisted_living")
OTHER_DESTINATIONS: Final = (
    "skilled_nursing_facility",
    "inpatient_hospital",
    "hospice_facility",
    "other",
)
MDM_LEVELS: Final = ("straightforward", "low", "moderate", "high")

CONTACT_BUSINESS_DAYS: Final = 2  # interactive contact within 2 business days after discharge
MIN_UNSUCCESSFUL_ATTEMPTS: Final = 2  # "two or more separate unsuccessful attempts"
# Decision: discharge date is day 0, so the visit must be on or before discharge + 7 / + 14.
FACE_TO_FACE_DAYS: Final = {"99496": 7, "99495": 14}
MDM_FOR_CODE: Final = {"99496": frozenset({"high"}), "99495": frozenset({"moderate", "high"})}
CODE_PREFERENCE: Final = ("99496", "99495")  # the higher-paying code wins when both fit
SERVICE_PERIOD_LAST_DAY: Final = 29  # 30 days: the discharge date plus the next 29
HEDIS_MRP_WINDOW_DAYS: Final = 30  # discharge date through 30 days after (31 days in all)

# Every date computed is at most this far after the discharge date; later discharge dates
# cannot be computed within the ``date`` range and are rejected as invalid input.
_MAX_OFFSET: Final = timedelta(days=HEDIS_MRP_WINDOW_DAYS + 14)


def _discharge(data: Mapping[str, Any]) -> date:
    discharge = parse_date(data["discharge_date"], "discharge_date")
    if discharge > date.max - _MAX_OFFSET:
        raise InvalidInput("discharge_date", "too late in the calendar to compute deadlines")
    return discharge


def tcm_dates(discharge: date) -> dict[str, date]:
    """TCM deadlines for a discharge date (all inclusive last days)."""
    return {
        "interactive_contact_deadline": add_business_days(discharge, CONTACT_BUSINESS_DAYS),
        "face_to_face_deadline_99496": discharge + timedelta(days=FACE_TO_FACE_DAYS["99496"]),
        "face_to_face_deadline_99495": discharge + timedelta(days=FACE_TO_FACE_DAYS["99495"]),
        "service_period_end": discharge + timedelta(days=SERVICE_PERIOD_LAST_DAY),
    }


def _eligible(data: Mapping[str, Any]) -> bool:
    return (
        data["discharge_setting"] in QUALIFYING_DISCHARGE_SETTINGS
        and data["discharged_to"] in QUALIFYING_DESTINATIONS
    )


def _tcm_deadlines(data: Mapping[str, Any]) -> Result:
    dates = tcm_dates(_discharge(data))
    # Deadlines are computed even when the discharge does not qualify.
    return {"eligible": _eligible(data), **{key: d.isoformat() for key, d in dates.items()}}


def _not_before(discharge: date, text: str | None, path: str) -> date | None:
    if text is None:
        return None
    day = parse_date(text, path)
    if day < discharge:
        raise InvalidInput(path, f"{text} is before the discharge date")
    return day


def _tcm_billing(data: Mapping[str, Any]) -> Result:
    discharge = _discharge(data)
    contact = _not_before(discharge, data["contact_date"], "contact_date")
    attempt_texts: list[str] = data["unsuccessful_attempt_dates"]
    attempts = [
        _not_before(discharge, text, child("unsuccessful_attempt_dates", index))
        for index, text in enumerate(attempt_texts)
    ]
    visit = _not_before(discharge, data["face_to_face_date"], "face_to_face_date")

    deadline = add_business_days(discharge, CONTACT_BUSINESS_DAYS)
    # Decision: attempts are "timely" when inside the same window as a contact. Each list
    # entry is one attempt; two on the same day are still two separate attempts.
    timely_attempts = sum(1 for day in attempts if day is not None and day <= deadline)
    contact_met = (contact is not None and contact <= deadline) or (
        timely_attempts >= MIN_UNSUCCESSFUL_ATTEMPTS
    )

    code: str | None = None
    if _eligible(data) and contact_met and visit is not None:
        for candidate in CODE_PREFERENCE:
            last_day = discharge + timedelta(days=FACE_TO_FACE_DAYS[candidate])
            if data["mdm"] in MDM_FOR_CODE[candidate] and visit <= last_day:
                code = candidate
                break
    return {"billable_code": code, "contact_requirement_met": contact_met}


def _hedis_mrp(data: Mapping[str, Any]) -> Result:
    discharge = _discharge(data)
    reconciled = parse_date(data["reconciliation_date"], "reconciliation_date")
    window_end = discharge + timedelta(days=HEDIS_MRP_WINDOW_DAYS)
    return {
        # A reconciliation before discharge is valid input; it simply does not count.
        "compliant": discharge <= reconciled <= window_end,
        "window_end": window_end.isoformat(),
    }


_DISCHARGE_PROPERTIES: Final = {
    "discharge_date": iso_date(),
    "discharge_setting": enum(
        QUALIFYING_DISCHARGE_SETTINGS + OTHER_DISCHARGE_SETTINGS,
        description="setting discharged from",
    ),
    "discharged_to": enum(
        QUALIFYING_DESTINATIONS + OTHER_DESTINATIONS, description="community setting"
    ),
}
_DEADLINE_KEYS: Final = (
    "eligible",
    "interactive_contact_deadline",
    "face_to_face_deadline_99496",
    "face_to_face_deadline_99495",
    "service_period_end",
)
_TCM_SOURCE: Final = "CMS MLN908628 Transitional Care Management Services; CMS TCM FAQs (2016)"

RULES: Final = (
    Rule(
        kind="tcm_deadlines",
        title="Transitional Care Management deadlines",
        schema=obj(_DISCHARGE_PROPERTIES),
        output_keys=_DEADLINE_KEYS,
        compute=_tcm_deadlines,
        source=_TCM_SOURCE,
        notes=(
            "Business days: Monday-Friday except observed US federal holidays.",
            "The interactive-contact deadline is the 2nd business day after discharge.",
            "Decision: the discharge date is day 0 for the 7- and 14-day visit windows.",
        ),
    ),
    Rule(
        kind="tcm_billing",
        title="Transitional Care Management code selection (99495/99496)",
        schema=obj(
            {
                **_DISCHARGE_PROPERTIES,
                "mdm": enum(MDM_LEVELS, description="medical decision making complexity"),
                "contact_date": iso_date(True, description="interactive contact, or null"),
                "unsuccessful_attempt_dates": array(
                    iso_date(), description="dates of documented unsuccessful contact attempts"
                ),
                "face_to_face_date": iso_date(True, description="face-to-face visit, or null"),
            }
        ),
        output_keys=("billable_code", "contact_requirement_met"),
        compute=_tcm_billing,
        source=_TCM_SOURCE,
        notes=(
            "99496: high MDM and visit by day 7; 99495: moderate or high MDM, visit by day 14.",
            "Decision: unsuccessful attempts count when within the contact window; at least 2.",
            "Dates before the discharge date are rejected.",
        ),
    ),
    Rule(
        kind="hedis_mrp",
        title="HEDIS medication reconciliation post-discharge",
        schema=obj({"discharge_date": iso_date(), "reconciliation_date": iso_date()}),
        output_keys=("compliant", "window_end"),
        compute=_hedis_mrp,
        source="NCQA HEDIS Transitions of Care (TRC)",
        notes=("Compliant when reconciled on the discharge date through 30 days after.",),
    ),
)
