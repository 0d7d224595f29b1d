"""API tokens for integrations (random, shown once, stored only as a SHA-256 digest), and TOTP
devices with sealed seeds."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.accounts import totp


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100, blank=True)
    # The first characters let a user recognise a token in a list without revealing it.
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.WRITE)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class SealedTOTPDevice(TOTPDevice):
    """django-otp's TOTP device with its seed sealed at rest (see ``accounts.totp``). Every
    device Casework creates or checks goes through this proxy."""

    class Meta:
        proxy = True
        verbose_name = "TOTP device"

    @property
    def bin_key(self) -> bytes:
        return totp.open_seed(self.stored_key)

    @property
    def stored_key(self) -> str:
        return str(self.key)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not totp.is_sealed(self.stored_key):
            self.key = totp.seal(self.stored_key)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "key"}
        super().save(*args, **kwargs)
