"""The one clock. Everything that asks "now" or "today" asks here, so tests can set it.

"Today" is the agency's calendar date (settings.TIME_ZONE), never the server's UTC date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    return timezone.localtime(now()).date()


@contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[None]:
    """Freeze the clock at an aware datetime for the duration of the block."""
    global _frozen
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous
