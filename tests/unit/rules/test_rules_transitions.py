"""TCM deadlines and code selection (spec 9.1), HEDIS medication reconciliation (spec 9.3)."""

from __future__ import annotations

from typing import Any

import pytest

from casework.rules import InvalidInput, evaluate

from .rules_spec_tables import DESTINATIONS, SETTINGS

QUALIFYING_SETTINGS = SETTINGS[:8]
QUALIFYING_DESTINATIONS = DESTINATIONS[:4]


def deadlines(discharge: str, setting: str = "inpatient_acute_care_hospital",
              to: str = "home") -> dict[str, Any]:  # fmt: skip
    return evaluate(
        "tcm_deadlines",
        {"discharge_date": discharge, "discharge_setting": setting, "discharged_to": to},
    )


def billing(discharge: str = "2024-03-04", **changes: Any) -> dict[str, Any]:
    data = {
        "discharge_date": discharge,
        "discharge_setting": "inpatient_acute_care_hospital",
        "discharged_to": "home",
        "mdm": "high",
        "contact_date": None,
        "unsuccessful_attempt_dates": [],
        "face_to_face_date": None,
        **changes,
    }
    return evaluate("tcm_billing", data)


# --- deadlines -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("discharge", "contact_deadline"),
    [
        ("2024-03-04", "2024-03-06"),  # Monday
        ("2024-03-06", "2024-03-08"),  # Wednesday
        ("2024-03-07", "2024-03-11"),  # Thursday: across the weekend
        ("2024-03-08", "2024-03-12"),  # Friday
        ("2024-03-09", "2024-03-12"),  # Saturday: the discharge day never counts
        ("2024-03-10", "2024-03-12"),  # Sunday
        ("2024-08-30", "2024-09-04"),  # Friday before Labor Day
        ("2024-07-03", "2024-07-08"),  # holiday eve: Independence Day Thursday
        ("2024-07-04", "2024-07-08"),  # discharged on the holiday itself
        ("2024-12-24", "2024-12-27"),  # Christmas Eve (not a holiday) -> skip Christmas
        ("2024-11-27", "2024-12-02"),  # Thanksgiving; the Friday after is a business day
        ("2021-12-30", "2022-01-04"),  # New Year 2022 observed Friday 2021-12-31
        ("2022-12-23", "2022-12-28"),  # Christmas Sunday observed Monday
        ("2021-06-17", "2021-06-22"),  # Juneteenth 2021 observed Friday
        ("2020-06-18", "2020-06-22"),  # ...but not yet a holiday in 2020
        ("2024-01-12", "2024-01-17"),  # Friday before MLK Day
    ],
)
def test_interactive_contact_deadline(discharge: str, contact_deadline: str) -> None:
    assert deadlines(discharge)["interactive_contact_deadline"] == contact_deadline


def test_deadlines_exact_output() -> None:
    assert deadlines("2024-03-08") == {
        "eligible": True,
        "interactive_contact_deadline": "2024-03-12",
        "face_to_face_deadline_99496": "2024-03-15",
        "face_to_face_deadline_99495": "2024-03-22",
        "service_period_end": "2024-04-06",
    }


def test_calendar_deadlines_cross_month_and_leap_day() -> None:
    result = deadlines("2024-02-20")
    assert result["face_to_face_deadline_99496"] == "2024-02-27"
    assert result["face_to_face_deadline_99495"] == "2024-03-05"
    assert result["service_period_end"] == "2024-03-20"
    assert deadlines("2023-12-25")["service_period_end"] == "2024-01-23"


@pytest.mark.parametrize("setting", QUALIFYING_SETTINGS)
@pytest.mark.parametrize("to", DESTINATIONS)
def test_eligibility_matrix(setting: str, to: str) -> None:
    assert deadlines("2024-03-04", setting, to)["eligible"] is (to in QUALIFYING_DESTINATIONS)


@pytest.mark.parametrize("setting", ["emergency_department", "nursing_facility_long_term", "other"])
def test_non_qualifying_settings_still_get_deadlines(setting: str) -> None:
    result = deadlines("2024-03-08", setting)
    assert result["eligible"] is False
    assert result["interactive_contact_deadline"] == "2024-03-12"
    assert result["service_period_end"] == "2024-04-06"


@pytest.mark.parametrize(
    ("field", "value"),
    [("discharge_setting", "hospice"), ("discharge_setting", "Emergency_Department"),
     ("discharged_to", "nursing_home"), ("discharged_to", "HOME"), ("discharge_date", "2024-3-8"),
     ("discharge_date", "2024-03-08T10:00:00"), ("discharge_date", "9999-12-20")],
)  # fmt: skip
def test_deadline_rejections(field: str, value: str) -> None:
    data = {"discharge_date": "2024-03-08", "discharge_setting": "other", "discharged_to": "home"}
    with pytest.raises(InvalidInput) as caught:
        evaluate("tcm_deadlines", {**data, field: value})
    assert caught.value.field == field


# --- billing -------------------------------------------------------------------------------
# Discharge Monday 2024-03-04: contact deadline Wed 03-06, day 7 = 03-11, day 14 = 03-18.
@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"contact_date": "2024-03-05", "face_to_face_date": "2024-03-11"}, "99496"),
        ({"contact_date": "2024-03-04", "face_to_face_date": "2024-03-04"}, "99496"),
        ({"contact_date": "2024-03-06", "face_to_face_date": "2024-03-12"}, "99495"),
        ({"contact_date": "2024-03-06", "face_to_face_date": "2024-03-18"}, "99495"),
        ({"contact_date": "2024-03-06", "face_to_face_date": "2024-03-19"}, None),
        ({"contact_date": "2024-03-07", "face_to_face_date": "2024-03-05"}, None),
        ({"contact_date": "2024-03-05", "face_to_face_date": None}, None),
        ({"mdm": "moderate", "contact_date": "2024-03-05", "face_to_face_date": "2024-03-05"},
         "99495"),
        ({"mdm": "moderate", "contact_date": "2024-03-05", "face_to_face_date": "2024-03-18"},
         "99495"),
        ({"mdm": "moderate", "contact_date": "2024-03-05", "face_to_face_date": "2024-03-19"},
         None),
        ({"mdm": "low", "contact_date": "2024-03-05", "face_to_face_date": "2024-03-05"}, None),
        ({"mdm": "straightforward", "contact_date": "2024-03-05",
          "face_to_face_date": "2024-03-05"}, None),
    ],
)  # fmt: skip
def test_code_selection(changes: dict[str, Any], code: str | None) -> None:
    assert billing(**changes)["billable_code"] == code


@pytest.mark.parametrize(
    ("changes", "met"),
    [
        ({}, False),
        ({"contact_date": "2024-03-04"}, True),
        ({"contact_date": "2024-03-06"}, True),
        ({"contact_date": "2024-03-07"}, False),
        ({"unsuccessful_attempt_dates": ["2024-03-04"]}, False),
        ({"unsuccessful_attempt_dates": ["2024-03-04", "2024-03-06"]}, True),
        ({"unsuccessful_attempt_dates": ["2024-03-05", "2024-03-05"]}, True),
        ({"unsuccessful_attempt_dates": ["2024-03-05", "2024-03-07"]}, False),
        ({"unsuccessful_attempt_dates": ["2024-03-04", "2024-03-05", "2024-03-20"]}, True),
        ({"contact_date": "2024-03-08",
          "unsuccessful_attempt_dates": ["2024-03-04", "2024-03-06"]}, True),
    ],
)  # fmt: skip
def test_contact_requirement(changes: dict[str, Any], met: bool) -> None:
    assert billing(**changes)["contact_requirement_met"] is met


def test_late_contact_is_not_billable_even_with_a_timely_visit() -> None:
    assert billing(contact_date="2024-03-07", face_to_face_date="2024-03-08") == {
        "billable_code": None,
        "contact_requirement_met": False,
    }


def test_two_attempts_allow_billing() -> None:
    result = billing(
        unsuccessful_attempt_dates=["2024-03-05", "2024-03-06"], face_to_face_date="2024-03-08"
    )
    assert result == {"billable_code": "99496", "contact_requirement_met": True}


def test_friday_discharge_contact_on_tuesday_is_timely() -> None:
    result = billing("2024-03-08", contact_date="2024-03-12", face_to_face_date="2024-03-15")
    assert result == {"billable_code": "99496", "contact_requirement_met": True}
    late = billing("2024-03-08", contact_date="2024-03-13", face_to_face_date="2024-03-15")
    assert late["billable_code"] is None


def test_holiday_extends_the_contact_window() -> None:
    # Discharge Wed 2024-07-03: Jul 4 is a holiday, so the deadline is Mon Jul 8.
    result = billing("2024-07-03", contact_date="2024-07-08", face_to_face_date="2024-07-10")
    assert result["contact_requirement_met"] is True
    assert result["billable_code"] == "99496"


@pytest.mark.parametrize(
    ("setting", "to"),
    [("emergency_department", "home"), ("inpatient_acute_care_hospital", "hospice_facility"),
     ("other", "other")],
)  # fmt: skip
def test_non_qualifying_discharge_is_never_billable(setting: str, to: str) -> None:
    result = billing(
        discharge_setting=setting,
        discharged_to=to,
        contact_date="2024-03-05",
        face_to_face_date="2024-03-06",
    )
    assert result == {"billable_code": None, "contact_requirement_met": True}


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"contact_date": "2024-03-03"}, "contact_date"),
        ({"face_to_face_date": "2024-03-01"}, "face_to_face_date"),
        ({"unsuccessful_attempt_dates": ["2024-03-05", "2024-03-03"]},
         "unsuccessful_attempt_dates[1]"),
        ({"unsuccessful_attempt_dates": ["2024-03-05", None]}, "unsuccessful_attempt_dates[1]"),
        ({"unsuccessful_attempt_dates": None}, "unsuccessful_attempt_dates"),
        ({"mdm": "very_high"}, "mdm"),
        ({"mdm": None}, "mdm"),
        ({"contact_date": "2024-02-30"}, "contact_date"),
    ],
)  # fmt: skip
def test_billing_rejections(changes: dict[str, Any], where: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        billing(**changes)
    assert caught.value.field == where


def test_dates_on_the_discharge_date_are_valid() -> None:
    result = billing(
        contact_date="2024-03-04",
        unsuccessful_attempt_dates=["2024-03-04"],
        face_to_face_date="2024-03-04",
    )
    assert result["billable_code"] == "99496"


# --- HEDIS MRP -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("discharge", "reconciled", "compliant", "window_end"),
    [
        ("2024-03-01", "2024-03-01", True, "2024-03-31"),
        ("2024-03-01", "2024-03-31", True, "2024-03-31"),
        ("2024-03-01", "2024-04-01", False, "2024-03-31"),
        ("2024-03-01", "2024-02-29", False, "2024-03-31"),
        ("2024-02-01", "2024-03-02", True, "2024-03-02"),
        ("2023-12-15", "2024-01-14", True, "2024-01-14"),
        ("2023-12-15", "2024-01-15", False, "2024-01-14"),
    ],
)
def test_hedis_mrp(discharge: str, reconciled: str, compliant: bool, window_end: str) -> None:
    result = evaluate("hedis_mrp", {"discharge_date": discharge, "reconciliation_date": reconciled})
    assert result == {"compliant": compliant, "window_end": window_end}


@pytest.mark.parametrize("missing", ["discharge_date", "reconciliation_date"])
def test_hedis_mrp_both_dates_required(missing: str) -> None:
    data = {"discharge_date": "2024-03-01", "reconciliation_date": "2024-03-02"}
    del data[missing]
    with pytest.raises(InvalidInput) as caught:
        evaluate("hedis_mrp", data)
    assert caught.value.field == missing
    with pytest.raises(InvalidInput) as caught:
        evaluate("hedis_mrp", {**data, missing: None})
    assert caught.value.field == missing
