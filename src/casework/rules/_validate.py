"""Strict input validation shared by every rule (spec section 1).

This module owns the error types, the tiny JSON-schema subset the rule schemas are written in,
and the validator that enforces it. The same schema dict is published through ``KINDS`` for
API listings and drives validation here, so the listing can never drift from what is enforced.

Supported schema keywords: ``type`` (a name or a list of names, ``"null"`` allowed),
``enum``, ``minimum``, ``maximum``, ``exclusiveMinimum``, ``format: "date"``, ``items``,
``minItems``, ``maxItems``, ``uniqueItems``, ``properties``, ``required``,
``additionalProperties: false``; ``description`` and ``default`` are documentation only.
Cross-field constraints (e.g. ethics hours <= CE hours) are checked by the rules themselves.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

Schema = Mapping[str, Any]

# ``[0-9]`` rather than ``\d``: ``\d`` also matches non-ASCII digits, and ``fullmatch`` because
# ``$`` would accept a trailing newline. ``date.fromisoformat`` alone is too lenient on 3.11+
# (it accepts "20240105" and week dates), hence the shape check first.
_DATE_SHAPE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class InvalidInput(ValueError):
    """Input rejected by strict validation; ``field`` is the dotted path of the culprit.

    Paths look like ``items[3]``, ``responses.telephone`` or ``codes[0]``; the empty string
    means the input as a whole (e.g. it is not an object).
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field or 'input'}: {problem}")


class UnknownKind(KeyError):
    """``evaluate`` was asked for a rule kind that does not exist.

    A ``KeyError`` (hence also a ``LookupError``) so dict-style callers can catch it; ``str()``
    is overridden because ``KeyError`` would otherwise wrap the message in quotes.
    """

    def __init__(self, kind: object) -> None:
        self.kind = kind
        super().__init__(kind)

    def __str__(self) -> str:
        return f"unknown rule kind: {self.kind!r}"


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _matches_type(value: object, name: str) -> bool:
    # ``type(...) is`` on purpose: bool is a subclass of int but is not an integer here, and
    # an int is not a boolean (spec section 1).
    if name == "null":
        return value is None
    if name == "boolean":
        return type(value) is bool
    if name == "integer":
        return type(value) is int
    if name == "number":
        return type(value) is int or (type(value) is float and math.isfinite(value))
    if name == "string":
        return type(value) is str
    if name == "array":
        return isinstance(value, list | tuple)
    if name == "object":
        return isinstance(value, Mapping)
    raise AssertionError(f"schema uses unsupported type {name!r}")


def child(path: str, key: str | int) -> str:
    """Dotted path of a property (``str``) or list element (``int``) below ``path``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def validate(schema: Schema, value: object, path: str = "") -> None:
    """Raise ``InvalidInput`` for the first violation of ``schema`` found in ``value``."""
    types = schema["type"]
    names: Sequence[str] = [types] if isinstance(types, str) else types
    if not any(_matches_type(value, name) for name in names):
        got = _type_name(value)
        if type(value) is float and not math.isfinite(value):
            got = "a non-finite number"
        raise InvalidInput(path, f"expected {' or '.join(names)}, got {got}")
    if value is None:
        return
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(repr(v) for v in schema["enum"])
        raise InvalidInput(path, f"unknown value {value!r}; expected one of {allowed}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        _check_range(schema, value, path)
    if isinstance(value, str) and schema.get("format") == "date":
        parse_date(value, path)
    if isinstance(value, list | tuple):
        _check_array(schema, value, path)
    if isinstance(value, Mapping):
        _check_object(schema, value, path)


def _check_range(schema: Schema, value: float, path: str) -> None:
    if "minimum" in schema and value < schema["minimum"]:
        raise InvalidInput(path, f"{value!r} is below the minimum {schema['minimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        raise InvalidInput(path, f"{value!r} is above the maximum {schema['maximum']}")
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        raise InvalidInput(path, f"{value!r} must be greater than {schema['exclusiveMinimum']}")


def _check_array(schema: Schema, value: Sequence[object], path: str) -> None:
    low, high = schema.get("minItems"), schema.get("maxItems")
    if low is not None and low == high and len(value) != low:
        raise InvalidInput(path, f"expected exactly {low} elements, got {len(value)}")
    if low is not None and len(value) < low:
        raise InvalidInput(path, f"expected at least {low} elements, got {len(value)}")
    if high is not None and len(value) > high:
        raise InvalidInput(path, f"expected at most {high} elements, got {len(value)}")
    for index, element in enumerate(value):
        validate(schema["items"], element, child(path, index))
    if schema.get("uniqueItems"):
        seen: list[object] = []
        for index, element in enumerate(value):
            # A list scan, not a set: elements may be unhashable in general.
            if element in seen:
                raise InvalidInput(child(path, index), f"duplicate value {element!r}")
            seen.append(element)


def _check_object(schema: Schema, value: Mapping[Any, object], path: str) -> None:
    properties: Mapping[str, Schema] = schema.get("properties", {})
    for key in schema.get("required", ()):
        if key not in value:
            raise InvalidInput(child(path, key), "required field is missing")
    if schema.get("additionalProperties", True) is False:
        extra = sorted(str(key) for key in value if key not in properties)
        if extra:
            raise InvalidInput(child(path, extra[0]), "unknown field (not allowed)")
    for key, sub_schema in properties.items():
        if key in value:
            validate(sub_schema, value[key], child(path, key))


def parse_date(text: str, path: str) -> date:
    """Parse a strict ``YYYY-MM-DD`` calendar date or raise ``InvalidInput`` naming ``path``."""
    if not _DATE_SHAPE.fullmatch(text):
        raise InvalidInput(path, f"{text!r} is not a date in YYYY-MM-DD form")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(path, f"{text!r} is not a valid calendar date") from None


# --- schema constructors: keep the per-rule schemas short and uniform ----------------------


def integer(minimum: int | None = None, maximum: int | None = None, **doc: Any) -> dict[str, Any]:
    """An integer property with an optional inclusive range."""
    out: dict[str, Any] = {"type": "integer", **doc}
    if minimum is not None:
        out["minimum"] = minimum
    if maximum is not None:
        out["maximum"] = maximum
    return out


def number(**constraints: Any) -> dict[str, Any]:
    """A finite number (int or float, never bool); pass ``minimum``/``exclusiveMinimum``."""
    return {"type": "number", **constraints}


def boolean(nullable: bool = False, **doc: Any) -> dict[str, Any]:
    """A JSON boolean, optionally also allowing ``null``."""
    return {"type": ["boolean", "null"] if nullable else "boolean", **doc}


def enum(values: Sequence[str], nullable: bool = False, **doc: Any) -> dict[str, Any]:
    """A string restricted to ``values`` (``null`` too when ``nullable``)."""
    allowed: list[str | None] = list(values)
    if nullable:
        allowed.append(None)
    return {"type": ["string", "null"] if nullable else "string", "enum": allowed, **doc}


def iso_date(nullable: bool = False, **doc: Any) -> dict[str, Any]:
    """A ``YYYY-MM-DD`` calendar date string."""
    return {"type": ["string", "null"] if nullable else "string", "format": "date", **doc}


def array(items: Schema, length: int | None = None, **constraints: Any) -> dict[str, Any]:
    """An array of ``items``; ``length`` fixes the exact number of elements."""
    out: dict[str, Any] = {"type": "array", "items": dict(items), **constraints}
    if length is not None:
        out["minItems"] = out["maxItems"] = length
    return out


def obj(
    properties: Mapping[str, Schema], optional: Sequence[str] = (), **doc: Any
) -> dict[str, Any]:
    """A closed object: every property is required unless listed in ``optional``."""
    return {
        "type": "object",
        "properties": {key: dict(value) for key, value in properties.items()},
        "required": [key for key in properties if key not in optional],
        "additionalProperties": False,
        **doc,
    }
