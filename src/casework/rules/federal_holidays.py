"""US federal holiday calendar and business days (spec section 9.2).

Owns the computed calendar: the legal public holidays of 5 U.S.C. § 6103(a) on their observed
dates (a Saturday holiday is observed the preceding Friday, a Sunday holiday the following
Monday; 5 U.S.C. § 6103(b), Executive Order 11582). Computed, never fetched, so rule code stays
pure. The current statute is applied to every year; the only historical change modelled is
Juneteenth, a holiday from 2021 (spec 9.2). The `holidays` package's US calendar agrees
(cross-checked in the tests); it is not used here so this package needs only the stdlib.

Not holidays here: the day after Thanksgiving, Christmas Eve, ad-hoc executive-order closures,
Inauguration Day and state holidays.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Final

JUNETEENTH_FIRST_YEAR: Final = 2021

MONDAY: Final = 0
THURSDAY: Final = 3
FRIDAY: Final = 4
SATURDAY: Final = 5
SUNDAY: Final = 6

_DAY: Final = timedelta(days=1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    # The last such weekday is at most 6 days before the 1st of the next month; May only
    # (Memorial Day), so the next month never leaves the year.
    first_of_next = date(year, month + 1, 1)
    return first_of_next - timedelta(days=(first_of_next.weekday() - weekday - 1) % 7 + 1)


def _observed(day: date) -> date:
    if day.weekday() == SATURDAY:
        return day - _DAY
    if day.weekday() == SUNDAY:
        return day + _DAY
    return day


def legal_public_holidays(year: int) -> dict[str, date]:
    """The statutory (actual, not observed) dates of ``year``'s legal public holidays."""
    days = {
        "New Year's Day": date(year, 1, 1),
        "Birthday of Martin Luther King, Jr.": _nth_weekday(year, 1, MONDAY, 3),
        "Washington's Birthday": _nth_weekday(year, 2, MONDAY, 3),
        "Memorial Day": _last_weekday(year, 5, MONDAY),
        "Juneteenth National Independence Day": date(year, 6, 19),
        "Independence Day": date(year, 7, 4),
        "Labor Day": _nth_weekday(year, 9, MONDAY, 1),
        "Columbus Day": _nth_weekday(year, 10, MONDAY, 2),
        "Veterans Day": date(year, 11, 11),
        "Thanksgiving Day": _nth_weekday(year, 11, THURSDAY, 4),
        "Christmas Day": date(year, 12, 25),
    }
    if year < JUNETEENTH_FIRST_YEAR:
        del days["Juneteenth National Independence Day"]
    return days


@lru_cache(maxsize=512)
def _observed_in_year(year: int) -> Mapping[date, str]:
    observed: dict[date, str] = {}
    for name, day in legal_public_holidays(year).items():
        when = _observed(day)
        if when.year == year:
            observed[when] = name if when == day else f"{name} (observed)"
    # Next year's New Year's Day on a Saturday is observed on Dec 31 of this year (Dec 31 is
    # then a Friday). Tested by weekday so year 9999 needs no date in year 10000.
    if date(year, 12, 31).weekday() == FRIDAY:
        observed[date(year, 12, 31)] = "New Year's Day (observed)"
    return MappingProxyType(observed)


def federal_holidays(year: int) -> dict[date, str]:
    """Observed federal holidays that fall in calendar ``year``, date -> name, in date order.

    In a year whose Jan 1 is a Saturday, New Year's Day is observed in the previous year, so
    it is absent here and appears as Dec 31 in the previous year's calendar.
    """
    return dict(sorted(_observed_in_year(year).items()))


def is_federal_holiday(day: date) -> bool:
    """True when ``day`` is the observed date of a federal holiday."""
    return day in _observed_in_year(day.year)


def is_business_day(day: date) -> bool:
    """Monday to Friday except observed federal holidays (CMS TCM business-day definition)."""
    return day.weekday() < SATURDAY and not is_federal_holiday(day)


def add_business_days(start: date, n: int) -> date:
    """The ``n``-th business day strictly after ``start`` (before it when ``n`` < 0).

    ``start`` itself never counts, whatever weekday it is; ``n == 0`` returns ``start``.
    Raises ``OverflowError`` when the result would fall outside the ``date`` range.
    """
    step = _DAY if n >= 0 else -_DAY
    day = start
    for _ in range(abs(n)):
        day += step
        while not is_business_day(day):
            day += step
    return day
