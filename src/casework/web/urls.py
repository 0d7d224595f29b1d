"""URLs of the web workspace."""

from django.urls import path
from django.views.i18n import set_language

from casework.audit.middleware import MARK as AUDIT

# Importing the tab modules registers the workspace's tabs (see ``workspace``).
from casework.web.views import (  # noqa: F401
    administration,
    audit,
    case,
    caseload,
    clients,
    instruments,
    printing,
    privacy,
    referral,
    rules,
    staff,
    supervisor,
    tabs_care,
    tabs_plan,
    tabs_process,
)

# Pages that show client data are audited: one row per request, with the object type named
# here and the id from the URL (``casework.audit.middleware``). The live instrument score is
# not: it scores the answers being typed and shows nothing stored; nor are the rule
# calculators, which compute on values typed in.
app_name = "web"
urlpatterns = [
    path("", caseload.caseload, {AUDIT: "caseload"}, name="caseload"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("clients/", clients.client_search, {AUDIT: "clients"}, name="client_search"),
    path("clients/<int:client_id>/", clients.client_profile, {AUDIT: "client"}, name="client"),
    path(
        "clients/<int:client_id>/privacy/",
        privacy.client_privacy,
        {AUDIT: {"object_type": "privacy", "id": "client_id"}},
        name="client_privacy",
    ),
    path(
        "clients/<int:client_id>/privacy/release/",
        privacy.client_release,
        {AUDIT: {"object_type": "releases", "id": "client_id", "action": {"POST": "disclosure"}}},
        name="client_release",
    ),
    path(
        "clients/<int:client_id>/privacy/amendments/",
        privacy.client_amendments,
        {AUDIT: {"object_type": "amendments", "id": "client_id"}},
        name="client_amendments",
    ),
    path(
        "clients/emergency-access/",
        privacy.emergency_access,
        {AUDIT: "break_glass"},
        name="emergency_access",
    ),
    path("referrals/new/", referral.new_referral, {AUDIT: "referral"}, name="new_referral"),
    path("cases/<int:case_id>/", case.case_tab, {AUDIT: "case"}, name="case"),
    path(
        "cases/<int:case_id>/plan/print/", printing.print_plan, {AUDIT: "case"}, name="print_plan"
    ),
    path(
        "cases/<int:case_id>/instruments/<slug:key>/",
        instruments.instrument,
        {AUDIT: "case"},
        name="instrument",
    ),
    path(
        "cases/<int:case_id>/instruments/<slug:key>/score/",
        instruments.instrument_score,
        name="instrument_score",
    ),
    path("cases/<int:case_id>/<slug:tab>/", case.case_tab, {AUDIT: "case"}, name="case_tab"),
    path("supervision/", supervisor.dashboard, {AUDIT: "caseload"}, name="supervisor"),
    path(
        "supervision/reassign/<int:case_id>/", supervisor.reassign, {AUDIT: "case"}, name="reassign"
    ),
    path(
        "supervision/emergency-access/<int:grant_id>/",
        privacy.review_emergency_access,
        {AUDIT: {"object_type": "break_glass", "id": "grant_id"}},
        name="review_emergency_access",
    ),
    path("rules/", rules.rule_list, name="rules"),
    path("rules/<slug:kind>/", rules.rule, name="rule"),
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/<int:staff_id>/", staff.staff_detail, name="staff_detail"),
    path("administration/", administration.administration, name="administration"),
    # The auditor's trail: viewing it is a query of the audit log, recorded like any other; an
    # export records its own "export" row (with its filters and row count) in the view.
    path("audit/", audit.audit_log, {AUDIT: "audit"}, name="audit"),
    path("audit/export.csv", audit.audit_export, name="audit_export"),
]
