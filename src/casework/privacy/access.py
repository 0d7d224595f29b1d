"""Row-level rules for labelled records, used by every read path of notes and findings."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from casework.core.errors import Forbidden
from casework.privacy.labels import AUTHOR_ONLY, may_change_label


def author_only_filter(author_field: str) -> Any:
    """Hide author-only records (psychotherapy and SUD counselling notes) from all but their
    author, colleagues on the same team included."""

    def restrict(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.exclude(Q(sensitivity__in=AUTHOR_ONLY) & ~Q(**{author_field: user.pk}))

    return restrict


def guard_label(user: Any, obj: Any, changes: dict[str, Any]) -> None:
    if "sensitivity" in changes and not may_change_label(obj.sensitivity, changes["sensitivity"]):
        raise Forbidden(
            "a sensitivity label can be added but not removed or changed here; a privacy "
            "officer changes labels",
            field="sensitivity",
        )
