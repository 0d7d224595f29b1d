"""Casework's clinical rule library: pure, framework-free scoring and timing rules.

The contract is ``shared/specs/clinical-rules.md``. Every kind of its section 11 is reachable
by name through ``evaluate(kind, data)``, which validates the whole input strictly (section 1)
and returns a dict of JSON values (dates as ``YYYY-MM-DD`` strings). ``KINDS`` maps each kind
to its descriptor (input schema, output keys, source and help notes) for API listings.

No clock, database, network or Django here: only the standard library.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from . import (
    certification,
    charlson,
    depression,
    function,
    readmission,
    social,
    substance,
    suicide,
    transitions,
)
from ._rule import Result, Rule
from ._validate import InvalidInput, UnknownKind
from .federal_holidays import add_business_days, federal_holidays, is_business_day

__all__ = [
    "KINDS",
    "InvalidInput",
    "Rule",
    "UnknownKind",
    "add_business_days",
    "evaluate",
    "federal_holidays",
    "is_business_day",
]

_ALL_RULES: Final = (
    *depression.RULES,
    *substance.RULES,
    *function.RULES,
    *social.RULES,
    *suicide.RULES,
    *readmission.RULES,
    *charlson.RULES,
    *transitions.RULES,
    *certification.RULES,
)

KINDS: Final[Mapping[str, Rule]] = MappingProxyType({rule.kind: rule for rule in _ALL_RULES})


def evaluate(kind: str, data: Mapping[str, Any]) -> Result:
    """Validate ``data`` for rule ``kind`` and compute its output.

    Raises ``UnknownKind`` for a kind that does not exist and ``InvalidInput`` (naming the
    field, also available as ``.field``) for any input that breaks the strict contract.
    """
    rule = KINDS.get(kind) if isinstance(kind, str) else None
    if rule is None:
        raise UnknownKind(kind)
    return rule.evaluate(data)
