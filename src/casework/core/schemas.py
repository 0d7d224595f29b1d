"""API schemas generated from the models, so field rules are written once.

Inputs are strict: unknown keys are refused, a boolean is not an integer, a string is not a
number, dates are ``YYYY-MM-DD`` strings, text has a length cap, choices are enumerations that
the OpenAPI document shows.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import models
from ninja import Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    field_validator,
)
from pydantic import create_model as pydantic_create_model

TEXT_CAP = 20_000
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: object) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


def _number(value: object) -> object:
    # JSON numbers only: a string or a boolean is not a number, whatever it looks like. A
    # Decimal comes from the database when a record is read back (never from JSON).
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be a number")
    return value


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("must include a time zone offset, e.g. 2026-01-31T14:00:00Z")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
AwareDateTime = Annotated[dt.datetime, AfterValidator(_aware)]


NUL_REFUSED = "must not contain the NUL character (U+0000)"


def refuse_nul(value: Any) -> Any:
    """Refuse text holding NUL anywhere in ``value`` (strings, lists, mappings and their keys).

    PostgreSQL can neither store nor compare it (SQLite can): without this the same request
    was a 201 on one engine and a 500 on the other (INPUT-04). Other control characters are
    stored as sent."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(NUL_REFUSED)
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(key)
            refuse_nul(item)
    elif isinstance(value, list | tuple):
        for item in value:
            refuse_nul(item)
    return value


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid")

    # After the field's own validation, so that a nested input names its own field.
    _no_nul = field_validator("*", mode="after")(refuse_nul)


def _python_type(field: models.Field[Any, Any]) -> Any:
    if field.is_relation:
        return Annotated[StrictInt, Field(ge=1)]
    if field.choices:
        values = [str(value) for value, _ in field.choices]
        # A blank choice field stores "" for "not given".
        return Literal[tuple(values + ([""] if field.blank and not field.null else []))]
    if isinstance(field, models.DecimalField):
        bound = 10 ** (field.max_digits - field.decimal_places) - 1
        return Annotated[
            float, BeforeValidator(_number), Field(ge=-bound, le=bound, allow_inf_nan=False)
        ]
    if isinstance(field, models.JSONField):
        return dict[str, Any]
    if isinstance(field, models.BooleanField):
        return StrictBool
    if isinstance(field, models.DateTimeField):
        return AwareDateTime
    if isinstance(field, models.DateField):
        return IsoDate
    if isinstance(field, models.PositiveSmallIntegerField | models.SmallIntegerField):
        low = 0 if isinstance(field, models.PositiveSmallIntegerField) else -32768
        return Annotated[StrictInt, Field(ge=low, le=32767)]
    if isinstance(field, models.IntegerField):
        low = 0 if isinstance(field, models.PositiveIntegerField) else -(2**31)
        return Annotated[StrictInt, Field(ge=low, le=2**31 - 1)]
    # A field that may not be blank says so in the schema (found by the schemathesis run).
    min_length = None if field.blank else 1
    if isinstance(field, models.CharField):
        return Annotated[str, Field(min_length=min_length, max_length=field.max_length)]
    if isinstance(field, models.TextField):
        return Annotated[str, Field(min_length=min_length, max_length=field.max_length or TEXT_CAP)]
    raise TypeError(f"no schema type for {field!r}; give it in overrides")


def model_schemas(
    model: type[models.Model],
    *,
    fields: list[str],
    read_only: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
    name: str | None = None,
) -> tuple[Any, Any, Any]:
    """(Create, Update, Read) schemas for ``fields`` of ``model``.

    Typed ``Any`` because they are built at run time; modules subclass them under a name so
    that the type checker and the OpenAPI document both see a real class.

    Create requires the fields without a default; Update makes every field optional (a PATCH);
    Read adds ``id``, ``version`` and the ``read_only`` fields. Foreign keys appear under the
    field name and carry the related id.
    """
    base = name or model.__name__
    overrides = overrides or {}
    create_fields: dict[str, Any] = {}
    update_fields: dict[str, Any] = {}
    read_fields: dict[str, Any] = {"id": (int, ...), "version": (int, ...)}
    for name_ in fields + (read_only or []):
        field = model._meta.get_field(name_)
        assert isinstance(field, models.Field)
        py = overrides.get(name_) or _python_type(field)
        nullable = field.null
        read_default = None if nullable else ...
        if field.is_relation:
            # The related id, read from the ``<name>_id`` column.
            read_fields[name_] = (
                int | None if nullable else int,
                Field(read_default, validation_alias=field.attname),
            )
        elif isinstance(py, type) and issubclass(py, Schema):
            read_fields[name_] = (dict[str, Any], read_default)
        else:
            read_fields[name_] = (py | None if nullable else py, read_default)
        if name_ in (read_only or []):
            continue
        if nullable:
            py = py | None
        if field.has_default() or nullable or (field.blank and not field.is_relation):
            default = field.get_default() if field.has_default() else (None if nullable else "")
            if isinstance(py, type) and issubclass(py, Schema):
                default = py.model_validate(default)
            create_fields[name_] = (py, default)
        else:
            create_fields[name_] = (py, ...)
        # Optional in a PATCH, but null only where the column takes null.
        update_fields[name_] = (py, None)
    create = pydantic_create_model(f"{base}Create", __base__=StrictInput, **create_fields)
    update = pydantic_create_model(f"{base}Update", __base__=StrictInput, **update_fields)
    read = pydantic_create_model(f"{base}Read", __base__=Schema, **read_fields)
    return create, update, read


# A database id as a filter: at most what a BigAutoField holds. An unbounded integer in a query
# string reached the database and failed there (a 500 found by the schemathesis run).
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class PageQuery(Schema):
    limit: int = Field(25, ge=1, le=200, description="how many items (at most 200)")
    offset: int = Field(0, ge=0, le=10**9)
