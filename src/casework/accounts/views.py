"""The second sign-in step: enter a code from an authenticator app, or enrol one first.

Plain pages with their own templates (``accounts/otp_*.html``); the web UI restyles them.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from casework.accounts.mfa import confirmed_device, second_factor_given
from casework.accounts.models import SealedTOTPDevice as TOTPDevice
from casework.audit.events import Action, Outcome, record


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "/"


def _throttled(device: TOTPDevice) -> int | None:
    """Seconds until the next code may be tried, when django-otp's backoff is in force."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    until = (info or {}).get("locked_until")
    if until is None:
        return 1
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


@dataclass
class Refusal:
    status: int
    message: str
    retry_after: int | None = None


def _check_code(request: HttpRequest, device: TOTPDevice) -> Refusal | None:
    """None when the code is right (and the session is then verified), else why not."""
    wait = _throttled(device)
    if wait is not None:
        return Refusal(429, f"Too many wrong codes; try again in {wait} seconds.", wait)
    code = "".join(request.POST.get("code", "").split())
    well_formed = code.isdigit() and len(code) <= 8
    # verify_token refuses a code used before (single use) and allows one step of drift;
    # a failure there counts towards django-otp's backoff.
    if well_formed and device.verify_token(code):
        otp_login(request, device)
        request.session.cycle_key()  # a new session id for the higher privilege
        record(Action.LOGIN, object_type="session", details={"step": "second_factor"})
        return None
    if not well_formed:
        device.throttle_increment()
    record(
        Action.LOGIN_FAILED,
        object_type="session",
        outcome=Outcome.DENIED,
        details={"step": "second_factor"},
    )
    return Refusal(401, "That code is not right, or was used already.")


def _refused(
    request: HttpRequest, template: str, context: dict[str, Any], refusal: Refusal
) -> HttpResponse:
    context["error"] = refusal.message
    response = render(request, template, context, status=refusal.status)
    if refusal.retry_after is not None:
        response["Retry-After"] = str(refusal.retry_after)
    return response


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    if device is None:
        return HttpResponseRedirect(reverse("accounts:otp_setup") + "?" + request.GET.urlencode())
    context: dict[str, Any] = {"next": _next(request)}
    if request.method == "POST":
        refusal = _check_code(request, device)
        if refusal is None:
            return HttpResponseRedirect(_next(request))
        return _refused(request, "accounts/otp_verify.html", context, refusal)
    return render(request, "accounts/otp_verify.html", context)


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator: allowed while the user has none, or once this session is
    verified (adding a second device needs the first)."""
    user = request.user
    if confirmed_device(user) is not None and not second_factor_given(request):
        return HttpResponseRedirect(reverse("accounts:otp_verify"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    context: dict[str, Any] = {
        "next": _next(request),
        "secret": base64.b32encode(device.bin_key).decode(),
        "uri": device.config_url,
    }
    if request.method == "POST":
        refusal = _check_code(request, device)
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record(
                Action.PERMISSION_CHANGE,
                object_type="user",
                object_id=user.pk,
                details={"change": "second_factor_enrolled"},
            )
            return HttpResponseRedirect(_next(request))
        return _refused(request, "accounts/otp_setup.html", context, refusal)
    return render(request, "accounts/otp_setup.html", context)
