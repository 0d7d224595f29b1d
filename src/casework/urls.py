"""URL map: the JSON API under /api/v1, the admin, and the web workspace."""

from django.contrib import admin
from django.urls import include, path

from casework.api import api

# A busy or unreachable database is 503 even when it fails before any view (core/busy.py).
handler500 = "casework.core.busy.server_error"

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # The second sign-in step (accounts:otp_verify, accounts:otp_setup), then Django's views.
    path("accounts/", include("casework.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("casework.web.urls")),
]
