"""The second factor (TOTP, django-otp): who needs it, and nothing before it is given.

Required for administrators (superusers), for everyone with a confirmed device, and for all
users when ``CASEWORK_MFA_FOR_ALL`` is on. Until it is given, a password-signed-in session
reaches only the second-factor pages and sign-out: web pages redirect to them, and the API
treats the session as no sign-in at all (401). API tokens are a separate credential, issued by
an administrator, and are not affected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from casework.accounts.models import SealedTOTPDevice as TOTPDevice

_OPEN_PREFIXES = ("/accounts/otp/", "/accounts/logout/", "/accounts/login/", "/static/")


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def needs_second_factor(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or getattr(settings, "CASEWORK_MFA_FOR_ALL", False):
        return True
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_given(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


class RequireSecondFactorMiddleware:
    """After django-otp's ``OTPMiddleware``, which tells whether this session gave a code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if needs_second_factor(user) and not second_factor_given(request):
            path = request.path_info
            if path.startswith("/api/"):
                request.user = AnonymousUser()
            elif not path.startswith(_OPEN_PREFIXES):
                target = reverse("accounts:otp_verify") + "?" + urlencode({"next": path})
                return HttpResponseRedirect(target)
        return self.get_response(request)
