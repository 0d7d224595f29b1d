"""URLs of the web workspace."""

from django.urls import path
from django.views.i18n import set_language

# Importing the tab modules registers the workspace's tabs (see ``workspace``).
from casework.web.views import (  # noqa: F401
    administration,
    case,
    caseload,
    clients,
    instruments,
    printing,
    referral,
    staff,
    supervisor,
    tabs_care,
    tabs_plan,
    tabs_process,
)

app_name = "web"
urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("clients/", clients.client_search, name="client_search"),
    path("clients/<int:client_id>/", clients.client_profile, name="client"),
    path("referrals/new/", referral.new_referral, name="new_referral"),
    path("cases/<int:case_id>/", case.case_tab, name="case"),
    path("cases/<int:case_id>/plan/print/", printing.print_plan, name="print_plan"),
    path("cases/<int:case_id>/instruments/<slug:key>/", instruments.instrument, name="instrument"),
    path(
        "cases/<int:case_id>/instruments/<slug:key>/score/",
        instruments.instrument_score,
        name="instrument_score",
    ),
    path("cases/<int:case_id>/<slug:tab>/", case.case_tab, name="case_tab"),
    path("supervision/", supervisor.dashboard, name="supervisor"),
    path("supervision/reassign/<int:case_id>/", supervisor.reassign, name="reassign"),
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/<int:staff_id>/", staff.staff_detail, name="staff_detail"),
    path("administration/", administration.administration, name="administration"),
]
