"""HTTP details shared by the API routes: ETags and conditional requests."""

from __future__ import annotations

import re

from django.http import HttpRequest

from casework.core.errors import PreconditionFailed, PreconditionRequired
from casework.core.models import VersionedModel

_ETAG = re.compile(r'^(?:W/)?"(\d+)-(\d+)"$')


def if_match_version(request: HttpRequest, obj: VersionedModel, *, required: bool) -> int | None:
    """The version the caller last read, from ``If-Match``; 428 when required and absent."""
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            raise PreconditionRequired(
                "send the ETag you read as 'If-Match' so that a stale edit cannot overwrite "
                "another change",
                field="If-Match",
            )
        return None
    if header.strip() == "*":
        return obj.version
    match = _ETAG.match(header.strip())
    if match is None or int(match.group(1)) != obj.pk:
        raise PreconditionFailed("If-Match does not carry this record's ETag", field="If-Match")
    return int(match.group(2))
