"""ninja's limit/offset pagination with an offset a database can take.

ninja bounds ``limit`` but not ``offset``; an offset past 2**63 made SQLite and PostgreSQL fail
(a 500, found by the schemathesis fuzz run). Routes import ``LimitOffsetPagination`` and
``paginate`` from here.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination as _NinjaLimitOffset
from ninja.pagination import paginate

MAX_OFFSET = 10**9

__all__ = ["MAX_OFFSET", "LimitOffsetPagination", "paginate"]


class LimitOffsetPagination(_NinjaLimitOffset):
    class Input(Schema):
        limit: int = Field(
            ninja_settings.PAGINATION_PER_PAGE, ge=1, le=ninja_settings.PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
