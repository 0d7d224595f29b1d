"""Reads and writes of the records that hang off a case, a client or a staff member, through
the API's own declarations.

Each record type is declared once as a ``RecordResource`` in its domain's ``api`` module (what
is visible to whom, who and when is stamped on create, what happens after a create, what an
edit must pass). The web goes through the same declarations so a page can never show or
change more than the API allows.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from casework.careplans.api import CAREPLAN_RECORDS
from casework.cases.api import CASE_RECORDS
from casework.cases.models import Case
from casework.cases.services import refuse_if_closed
from casework.clients.api import CLIENT_RECORDS
from casework.core.records import update_record
from casework.core.routes import RecordResource, create_child
from casework.privacy.api import PRIVACY_RECORDS
from casework.staff.api import STAFF_RECORDS
from casework.transitions.api import TRANSITION_RECORDS


@cache
def resource(plural: str) -> RecordResource:
    declarations = (
        *CASE_RECORDS, *CAREPLAN_RECORDS, *TRANSITION_RECORDS, *CLIENT_RECORDS, *STAFF_RECORDS,
        *PRIVACY_RECORDS,
    )  # fmt: skip
    for declared in declarations:
        if declared.plural == plural:
            return declared
    raise KeyError(plural)


def rows(user: Any, plural: str, **filters: Any) -> QuerySet[Any]:
    """The records of one type the user may see, in the API's order."""
    declared = resource(plural)
    found: QuerySet[Any] = declared.visible(user).filter(**filters)
    return found.order_by(*declared.ordering)


def create(user: Any, plural: str, parent: Any, data: dict[str, Any]) -> Any:
    return create_child(resource(plural), user, parent, data)


def one(user: Any, plural: str, record_id: str | int) -> Any:
    """A record the user may see, or None."""
    try:
        pk = int(record_id)
    except (TypeError, ValueError):
        return None
    return resource(plural).visible(user).filter(pk=pk).first()


def update(user: Any, plural: str, obj: Any, changes: dict[str, Any], version: int) -> Any:
    """Edit under the API's rules: closed cases refuse, guards run, a stale version is 412."""
    declared = resource(plural)
    with transaction.atomic():
        root = declared.root_of(obj)
        if isinstance(root, Case):
            refuse_if_closed(root)
        guard = getattr(declared, "guard_update", None)
        if guard is not None:
            guard(user, obj, changes)
        return update_record(obj, changes, expected_version=version)


def update_from_form(user: Any, plural: str, obj: Any, form: Any) -> Any:
    """Save an edit form's changes under the version it was shown with; a stale one is refused
    in words a person acts on (the form shows it, nothing is saved)."""
    from django.utils.translation import gettext as _

    from casework.core.errors import PreconditionFailed

    try:
        return update(user, plural, obj, form.data_for_service(), form.cleaned_data["version"])
    except PreconditionFailed as stale:
        raise PreconditionFailed(
            _(
                "Someone changed this record after you opened it, so nothing was saved. "
                "Reload the page and make your change again."
            )
        ) from stale
