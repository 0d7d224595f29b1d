from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "casework.web"
    label = "web"

    def ready(self) -> None:
        from django.contrib import admin
        from django.utils.translation import gettext_lazy as _

        # The admin is the administrators' part of the product: call it by our name.
        admin.site.site_header = _("Casework administration")
        admin.site.site_title = _("Casework administration")
        admin.site.index_title = _("Users, roles, programs and staff")
