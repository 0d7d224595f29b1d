"""US federal holiday calendar and business days (spec section 9.2)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from casework.rules import add_business_days, federal_holidays, is_business_day
from casework.rules.federal_holidays import is_federal_holiday, legal_public_holidays

D = date.fromisoformat

# Observed federal holidays, hand-checked against OPM's published calendars.
OPM = {
    2020: ["2020-01-01", "2020-01-20", "2020-02-17", "2020-05-25", "2020-07-03", "2020-09-07",
           "2020-10-12", "2020-11-11", "2020-11-26", "2020-12-25"],
    2021: ["2021-01-01", "2021-01-18", "2021-02-15", "2021-05-31", "2021-06-18", "2021-07-05",
           "2021-09-06", "2021-10-11", "2021-11-11", "2021-11-25", "2021-12-24", "2021-12-31"],
    2022: ["2022-01-17", "2022-02-21", "2022-05-30", "2022-06-20", "2022-07-04", "2022-09-05",
           "2022-10-10", "2022-11-11", "2022-11-24", "2022-12-26"],
    2023: ["2023-01-02", "2023-01-16", "2023-02-20", "2023-05-29", "2023-06-19", "2023-07-04",
           "2023-09-04", "2023-10-09", "2023-11-10", "2023-11-23", "2023-12-25"],
    2024: ["2024-01-01", "2024-01-15", "2024-02-19", "2024-05-27", "2024-06-19", "2024-07-04",
           "2024-09-02", "2024-10-14", "2024-11-11", "2024-11-28", "2024-12-25"],
    2025: ["2025-01-01", "2025-01-20", "2025-02-17", "2025-05-26", "2025-06-19", "2025-07-04",
           "2025-09-01", "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25"],
    2026: ["2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03",
           "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25"],
    2027: ["2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18", "2027-07-05",
           "2027-09-06", "2027-10-11", "2027-11-11", "2027-11-25", "2027-12-24", "2027-12-31"],
}  # fmt: skip


@pytest.mark.parametrize("year", sorted(OPM))
def test_calendar_matches_published_years(year: int) -> None:
    assert [d.isoformat() for d in federal_holidays(year)] == OPM[year]


def test_juneteenth_starts_in_2021() -> None:
    assert date(2020, 6, 19) not in federal_holidays(2020)
    assert "Juneteenth National Independence Day" not in legal_public_holidays(2020)
    assert federal_holidays(2021)[D("2021-06-18")] == (
        "Juneteenth National Independence Day (observed)"
    )
    assert is_business_day(D("2020-06-19"))  # a Friday, not yet a holiday
    assert not is_business_day(D("2021-06-18"))


def test_new_year_2022_observed_on_2021_12_31() -> None:
    assert federal_holidays(2021)[D("2021-12-31")] == "New Year's Day (observed)"
    assert D("2022-01-01") not in federal_holidays(2022)
    assert is_federal_holiday(D("2021-12-31"))
    assert not is_business_day(D("2021-12-31"))
    assert is_federal_holiday(D("2010-12-31"))  # New Year 2011 was a Saturday too


def test_dec_31_is_a_business_day_otherwise() -> None:
    assert is_business_day(D("2024-12-31"))  # Tuesday
    assert is_business_day(D("2020-12-31"))  # Thursday


def test_sunday_holiday_observed_monday() -> None:
    assert D("2023-01-01").weekday() == 6
    assert not is_business_day(D("2023-01-02"))
    assert D("2022-12-25").weekday() == 6
    assert not is_business_day(D("2022-12-26"))
    assert D("2022-06-19").weekday() == 6
    assert federal_holidays(2022)[D("2022-06-20")].endswith("(observed)")


def test_saturday_holiday_observed_friday() -> None:
    assert D("2020-07-04").weekday() == 5
    assert not is_business_day(D("2020-07-03"))
    assert D("2023-11-11").weekday() == 5
    assert not is_business_day(D("2023-11-10"))


@pytest.mark.parametrize(
    "day",
    ["2024-11-29", "2024-12-24", "2021-01-20", "2024-03-18", "2024-02-14", "2024-04-15",
     "2025-12-31", "2023-12-26"],
)  # fmt: skip
def test_not_holidays(day: str) -> None:
    # Day after Thanksgiving, Christmas Eve, Inauguration Day 2021 (a Wednesday), weekdays
    # near holidays that are not observed days.
    assert is_business_day(D(day))


def test_weekends_are_never_business_days() -> None:
    day = D("2024-01-06")
    for offset in range(0, 700, 7):
        assert not is_business_day(day + timedelta(days=offset))
        assert not is_business_day(day + timedelta(days=offset + 1))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-03-04", 2, "2024-03-06"),  # Monday -> Wednesday
        ("2024-03-07", 2, "2024-03-11"),  # Thursday -> Monday
        ("2024-03-08", 2, "2024-03-12"),  # Friday -> Tuesday
        ("2024-03-09", 2, "2024-03-12"),  # Saturday -> Tuesday
        ("2024-03-10", 2, "2024-03-12"),  # Sunday -> Tuesday
        ("2024-03-08", 1, "2024-03-11"),
        ("2024-03-08", 0, "2024-03-08"),
        ("2024-08-30", 2, "2024-09-04"),  # Labor Day Monday skipped
        ("2021-12-30", 2, "2022-01-04"),  # Dec 31 observed New Year
        ("2024-03-06", 5, "2024-03-13"),
        ("2024-03-11", -1, "2024-03-08"),
        ("2024-09-03", -1, "2024-08-30"),
    ],
)
def test_add_business_days(start: str, n: int, expected: str) -> None:
    assert add_business_days(D(start), n) == D(expected)


def test_calendar_is_valid_at_the_ends_of_the_date_range() -> None:
    assert len(federal_holidays(1)) == 10
    assert len(federal_holidays(9999)) == 12
    assert not is_business_day(date.min)  # 0001-01-01, a Monday and New Year's Day
    # 9999-12-31 is a Friday, so it observes year 10000's New Year's Day (a Saturday); the
    # rule is decided by weekday, without constructing a date in year 10000.
    assert not is_business_day(date.max)
    assert add_business_days(date.min, 1) == date(1, 1, 2)


def test_every_year_has_the_right_number_of_holidays() -> None:
    for year in range(1990, 2101):
        count = len(legal_public_holidays(year))
        assert count == (11 if year >= 2021 else 10)
        observed = federal_holidays(year)
        assert all(d.weekday() < 5 for d in observed)
        # Only a Saturday New Year moves out of its year (to the previous Dec 31).
        jan1_saturday = date(year, 1, 1).weekday() == 5
        dec31_friday = date(year, 12, 31).weekday() == 4
        assert len(observed) == count - jan1_saturday + dec31_friday


def test_matches_the_holidays_package_us_calendar() -> None:
    # Since 1986 (MLK Day) the statute is unchanged apart from Juneteenth in 2021.
    for year in range(1986, 2101):
        theirs = {d for d in holidays.US(years=year) if d.weekday() < 5 and d.year == year}
        assert set(federal_holidays(year)) == theirs, year
