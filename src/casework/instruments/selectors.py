"""Which instrument results a user may read: those of the cases they may see, less the
author-only ones (a result labelled as a psychotherapy or SUD counselling record) that someone
else gave. Every read path of results goes through here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from casework.cases.selectors import visible_cases
from casework.instruments.models import InstrumentAdministration
from casework.privacy.access import author_only_filter

_author_only = author_only_filter("administered_by_id")


def readable_results(
    user: Any, rows: QuerySet[InstrumentAdministration] | None = None
) -> QuerySet[InstrumentAdministration]:
    found = rows if rows is not None else InstrumentAdministration.objects.all()
    return _author_only(user, found.filter(case__in=visible_cases(user)))
