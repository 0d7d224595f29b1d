"""The rule descriptor: one per kind of spec section 11, collected into ``KINDS``.

A descriptor ties together the published input schema, the output keys of the contract and
the compute function. ``Rule.evaluate`` always validates the whole input against the schema
before computing, so compute functions may assume well-typed, in-range values.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._validate import Schema, validate

Result = dict[str, Any]
Compute = Callable[[Mapping[str, Any]], Result]


@dataclass(frozen=True)
class Rule:
    """Descriptor of one rule kind (name, input schema, output keys, provenance)."""

    kind: str
    title: str
    schema: Schema
    output_keys: tuple[str, ...]
    compute: Compute = field(repr=False)
    source: str = ""
    # Help-text notes: every spec **Decision** and **Unconfirmed** item that shapes this rule.
    notes: tuple[str, ...] = ()

    def evaluate(self, data: object) -> Result:
        """Validate ``data`` strictly, then compute the rule's output."""
        validate(self.schema, data)
        assert isinstance(data, Mapping)  # guaranteed by the object schema
        return self.compute(data)

    def describe(self) -> dict[str, Any]:
        """A JSON-serialisable description for API listings and user-facing help."""
        return {
            "kind": self.kind,
            "title": self.title,
            "input_schema": copy.deepcopy(dict(self.schema)),
            "output_keys": list(self.output_keys),
            "source": self.source,
            "notes": list(self.notes),
        }


def band_for(total: int, bands: tuple[tuple[int, str], ...]) -> str:
    """Label of the last band whose inclusive lower bound ``total`` reaches.

    ``bands`` is ascending by lower bound and starts at the instrument's minimum total, so
    every valid total falls in exactly one band and bands are monotone in the total.
    """
    label = bands[0][1]
    for lower, name in bands:
        if total >= lower:
            label = name
    return label
