"""Simulated time for the demo: working days, moments within a day, and case schedules.

Every record of a demo case is written with the clock frozen at a moment of the case's own
story, so phase changes, stamps (``recorded_at``, ``assigned_at``) and dates all move forward
the way they would have in a real agency. Moves happen on business days (weekends and US
federal holidays skipped), during office hours, in the agency's time zone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.utils import timezone

from casework.rules.federal_holidays import is_business_day

OFFICE_OPENS = dt.time(8, 30)


def aware(day: dt.date, at: dt.time = OFFICE_OPENS) -> dt.datetime:
    """``day`` at ``at`` in the agency's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, at), timezone.get_default_timezone())


def business_day_on_or_after(day: dt.date) -> dt.date:
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def business_day_on_or_before(day: dt.date) -> dt.date:
    while not is_business_day(day):
        day -= dt.timedelta(days=1)
    return day


class WorkingDay:
    """Successive moments of one working day, a few minutes apart, from the morning on."""

    def __init__(self, day: dt.date, rng: random.Random) -> None:
        self.day = day
        self._rng = rng
        self._moment = aware(day) + dt.timedelta(minutes=rng.randint(0, 75))

    def tick(self, low: int = 2, high: int = 9) -> dt.datetime:
        self._moment += dt.timedelta(minutes=self._rng.randint(low, high))
        return self._moment


def schedule(gaps: Sequence[int], *, last_by: dt.date) -> list[dt.date]:
    """Business days for a case: the day it opens, then one day per move.

    ``gaps[i]`` is the number of calendar days from one day to the next (at least 1; a day that
    falls on a weekend or holiday moves to the next business day). The whole schedule is placed
    so that its last day is on or before ``last_by``, as close to it as weekdays allow.
    """
    start = last_by - dt.timedelta(days=sum(gaps))
    while True:
        days = [business_day_on_or_after(start)]
        for gap in gaps:
            days.append(business_day_on_or_after(days[-1] + dt.timedelta(days=max(1, gap))))
        if days[-1] <= last_by:
            return days
        start -= dt.timedelta(days=7)


def spread(first: dt.date, last: dt.date, count: int, rng: random.Random) -> list[dt.date]:
    """Up to ``count`` distinct business days strictly between ``first`` and ``last``, in order."""
    candidates = [
        first + dt.timedelta(days=n)
        for n in range(1, (last - first).days)
        if is_business_day(first + dt.timedelta(days=n))
    ]
    if len(candidates) <= count:
        return candidates
    return sorted(rng.sample(candidates, count))
