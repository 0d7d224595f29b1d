from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.accounts.models import ApiToken, SealedTOTPDevice


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "scope", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
    list_filter = ["scope"]


# TOTP devices through the sealed proxy only, so that none made here keeps its seed in the clear.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(SealedTOTPDevice)
class SealedTOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    fields = ["user", "name", "confirmed"]
    raw_id_fields = ["user"]
