"""Create and edit records under the project's rules: validated, atomic, version-checked.

Services call these so that every record type gets the same guarantees: the model's own
validation (``full_clean``) before anything is written, and an edit that carries a stale
version refused (412) by a conditional UPDATE, never silently overwriting another's change.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F

from casework.core import clock
from casework.core.errors import InvalidData, PreconditionFailed
from casework.core.models import VersionedModel

M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=VersionedModel)


def problem_from_validation(error: ValidationError) -> InvalidData:
    if hasattr(error, "error_dict"):
        errors: list[dict[str, str | None]] = [
            {"field": field, "message": str(message)}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": None, "message": str(m)} for m in error.messages]
    first = errors[0]
    field = None if first["field"] in (None, "__all__") else first["field"]
    detail = "; ".join(
        f"{e['field']}: {e['message']}"
        if e["field"] not in (None, "__all__")
        else str(e["message"])
        for e in errors
    )
    return InvalidData(detail, field=field, extra={"errors": errors})


def assign(obj: models.Model, data: dict[str, Any]) -> None:
    """Set fields from API data; a foreign key arrives as the related id under its name."""
    for name, value in data.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            setattr(obj, f"{name}_id", value)
        else:
            setattr(obj, name, value)


def validate(obj: models.Model, *, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        raise problem_from_validation(error) from error


def create_record(model: type[M], data: dict[str, Any], **fixed: Any) -> M:
    obj = model(**fixed)
    assign(obj, data)
    validate(obj)
    obj.save()
    return obj


def update_record(obj: V, changes: dict[str, Any], *, expected_version: int) -> V:
    """Apply ``changes`` if the stored record is still at ``expected_version``."""
    if obj.version != expected_version:
        raise PreconditionFailed(
            f"the record changed since you read it (now version {obj.version}); "
            "reload it and apply your change again",
            field="If-Match",
        )
    assign(obj, changes)
    validate(obj)
    concrete = {f.name: f.attname for f in obj._meta.concrete_fields}
    columns = {concrete[name]: getattr(obj, concrete[name]) for name in changes}
    columns.update(obj.derived_fields())
    updated = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, version=expected_version)
        .update(**columns, version=F("version") + 1, updated_at=clock.now())
    )
    if updated == 0:
        raise PreconditionFailed(
            "the record changed since you read it; reload it and apply your change again",
            field="If-Match",
        )
    obj.refresh_from_db()
    return obj
