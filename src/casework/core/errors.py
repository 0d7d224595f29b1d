"""Domain errors that the API turns into RFC 9457 problem documents.

Services raise these; ``casework.api`` maps them to ``application/problem+json``, the web views
to messages beside the form field, and the CLI to one line and a non-zero exit.
"""

from __future__ import annotations

from typing import Any


class Problem(Exception):
    status = 400
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.extra = extra or {}


class NotFound(Problem):
    status = 404
    title = "Not found"


class Forbidden(Problem):
    status = 403
    title = "Forbidden"


class Conflict(Problem):
    status = 409
    title = "Conflict"


class InvalidData(Problem):
    """Well-formed input that breaks a domain rule (a date order, an unknown reference)."""

    status = 422
    title = "Invalid data"


class PreconditionFailed(Problem):
    status = 412
    title = "Precondition failed"


class PreconditionRequired(Problem):
    status = 428
    title = "Precondition required"
