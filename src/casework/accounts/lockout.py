"""The answer to a locked-out sign-in: 429 with ``Retry-After``, whoever the name was.

The same answer for an unknown name and a known one with a wrong password, so that a lock-out
reveals nothing about which accounts exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string


def retry_after_seconds(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    if isinstance(cool_off, dt.timedelta):
        return max(1, int(cool_off.total_seconds()))
    return 15 * 60


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    seconds = retry_after_seconds(request)
    minutes = max(1, round(seconds / 60))
    detail = f"too many failed sign-ins; try again in {minutes} minutes"
    response: HttpResponse
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        body = {"type": "about:blank", "title": "Too many requests", "status": 429,
                "detail": detail}  # fmt: skip
        response = JsonResponse(body, status=429, content_type="application/problem+json")
    else:
        html = render_to_string("accounts/locked_out.html", {"minutes": minutes}, request)
        response = HttpResponse(html, status=429)
    response["Retry-After"] = str(seconds)
    return response
