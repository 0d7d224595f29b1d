"""The access matrix applied to web pages, before any view runs.

Every page is looked up by its URL name in the matrix's ``[web]`` table (``admin:*`` covers
the Django admin). A page the matrix does not name is refused to everyone; a public page is
served to anyone; any other needs a signed-in user (else the sign-in page) holding the
permission named for the request's method (else 403). Which records the page then shows is
the views' business, through the same visibility selectors as the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from casework.accounts.permissions import PUBLIC, has_permission, matrix

_SKIPPED_PREFIXES = ("/api/", "/static/")


class PageAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.path_info.startswith(_SKIPPED_PREFIXES):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        permission = matrix().page_permission(name, request.method or "GET")
        if permission is None:
            raise PermissionDenied("this page is not in the access matrix")
        if permission == PUBLIC:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_permission(request.user, permission):
            raise PermissionDenied(f"your role does not allow this page ('{permission}')")
        return None
