"""Response headers for every answer, and plain HTTP refused by the API in HTTPS mode.

Django's ``SecurityMiddleware`` already sends ``nosniff``, the referrer policy, HSTS (on HTTPS)
and the opener policy, and ``XFrameOptionsMiddleware`` sends ``DENY``. This adds what Django
lacks: a Content Security Policy with no inline script (the API docs page works under it: its
scripts are static files and its settings a JSON data block) and ``Cache-Control: no-store`` on
everything that has not said otherwise, so no page or API answer with client data stays in a
browser or proxy cache. Static files keep the long caching WhiteNoise gives them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            getattr(settings, "CASEWORK_HTTPS", False)
            and request.path_info.startswith("/api/")
            and not request.is_secure()
        ):
            # Redirecting would have sent the token in clear already; refusing teaches the
            # integrator to fix the URL.
            response: HttpResponse = JsonResponse(
                {"type": "about:blank", "title": "HTTPS required", "status": 403,
                 "detail": "this API is served over HTTPS only", "instance": request.path},
                status=403,
                content_type="application/problem+json",
            )  # fmt: skip
        else:
            response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "same-origin")
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
