"""Issue #5: every feature of the API can be done from the web workspace.

``PARITY`` names, for every /api/v1 operation of the access matrix (``[api]`` in
``accounts/access.toml``), the web page (URL name) that offers the same feature to the people
who have it, or says why there is none:

- ``"api-only: ..."``: meant for integrations only, with the reason;
- ``"gap: ..."``: a feature the web still lacks, with what is missing (each one is known and
  reported; a new one must be added here on purpose).

A new API operation fails this test until someone says where the web offers it.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, get_resolver

from casework.accounts.permissions import matrix

CASE = "web:case"  # the case workspace's overview (moves, alerts, care team, referral)
TAB = "web:case_tab"  # the workspace's other tabs: screening, assessment, risk, plan ...

PARITY: dict[str, str] = {
    # Clients: search, registration with the duplicate check, the profile and its records.
    "GET /clients": "web:client_search",
    "POST /clients": "web:new_referral",
    "GET /clients/matches": "web:new_referral",
    "GET /clients/{client_id}": "web:client",
    "PATCH /clients/{client_id}": "web:client",
    "GET /clients/{client_id}/support-people": "web:client",
    "POST /clients/{client_id}/support-people": "web:client",
    "GET /support-people/{record_id}": "web:client",
    "PATCH /support-people/{record_id}": "web:client",
    "GET /clients/{client_id}/conditions": "web:client",
    "POST /clients/{client_id}/conditions": "web:client",
    "GET /conditions/{record_id}": "web:client",
    "PATCH /conditions/{record_id}": "web:client",
    "GET /clients/{client_id}/encounters": "web:client",
    "POST /clients/{client_id}/encounters": "web:client",
    "GET /encounters/{record_id}": "web:client",
    "PATCH /encounters/{record_id}": "web:client",
    "GET /clients/{client_id}/instrument-results": "web:client",  # trend charts; and the tab
    # Staff and their credentials: the directory, and each person's page, where they (and
    # administrators) enter licences, certifications, degrees, experience and CE.
    "GET /staff": "web:staff_list",
    "POST /staff": "admin:staff_staffmember_add",  # administrators; the user first
    "GET /staff/{staff_id}": "web:staff_detail",
    "PATCH /staff/{staff_id}": "admin:staff_staffmember_change",  # roles: admin:auth_user_change
    "GET /staff/{staff_id}/credentials": "web:staff_detail",
    "GET /staff/{staff_id}/licences": "web:staff_detail",
    "POST /staff/{staff_id}/licences": "web:staff_detail",
    "GET /licences/{record_id}": "web:staff_detail",
    "PATCH /licences/{record_id}": "web:staff_detail",
    "GET /staff/{staff_id}/certifications": "web:staff_detail",
    "POST /staff/{staff_id}/certifications": "web:staff_detail",
    "GET /certifications/{record_id}": "web:staff_detail",
    "PATCH /certifications/{record_id}": "web:staff_detail",
    "GET /staff/{staff_id}/degrees": "web:staff_detail",
    "POST /staff/{staff_id}/degrees": "web:staff_detail",
    "GET /degrees/{record_id}": "web:staff_detail",
    "PATCH /degrees/{record_id}": "web:staff_detail",
    "GET /staff/{staff_id}/experience": "web:staff_detail",
    "POST /staff/{staff_id}/experience": "web:staff_detail",
    "GET /experience/{record_id}": "web:staff_detail",
    "PATCH /experience/{record_id}": "web:staff_detail",
    "GET /staff/{staff_id}/continuing-education": "web:staff_detail",
    "POST /staff/{staff_id}/continuing-education": "web:staff_detail",
    "GET /continuing-education/{record_id}": "web:staff_detail",
    "PATCH /continuing-education/{record_id}": "web:staff_detail",
    # Programs: who each is for is shown when a case is opened; administrators edit them in
    # the Django admin. (Program managers, who may edit their own programs' rules through the
    # API, have no page for it: not a case manager's or supervisor's feature.)
    "GET /programs": "web:new_referral",
    "POST /programs": "admin:cases_program_add",
    "GET /programs/{program_id}": "web:new_referral",
    "PATCH /programs/{program_id}": "admin:cases_program_change",
    # Cases: the caseload (and, for supervisors, the team's), a new referral, the workspace.
    "GET /cases": "web:caseload",  # with the team's on web:supervisor, a client's on web:client
    "POST /cases": "web:new_referral",
    "GET /caseload": "web:caseload",
    "GET /cases/{case_id}": CASE,  # and "as of a date" on the history tab
    "PATCH /cases/{case_id}": CASE,  # "Correct the referral"
    "POST /cases/{case_id}/transitions": CASE,  # the moves, with what each still needs
    "GET /cases/{case_id}/assignments": TAB,  # history tab: "Case managers of the case"
    "POST /cases/{case_id}/assignments": "web:reassign",
    "GET /cases/{case_id}/care-team": CASE,
    "POST /cases/{case_id}/care-team": CASE,
    "GET /care-team/{record_id}": CASE,
    "PATCH /care-team/{record_id}": CASE,
    "GET /cases/{case_id}/screenings": TAB,
    "POST /cases/{case_id}/screenings": TAB,
    "GET /screenings/{record_id}": TAB,
    "PATCH /screenings/{record_id}": TAB,
    "GET /cases/{case_id}/findings": TAB,
    "POST /cases/{case_id}/findings": TAB,
    "GET /findings/{record_id}": TAB,
    "PATCH /findings/{record_id}": TAB,
    "GET /cases/{case_id}/needs": TAB,
    "POST /cases/{case_id}/needs": TAB,
    "GET /needs/{record_id}": TAB,
    "PATCH /needs/{record_id}": TAB,
    "GET /cases/{case_id}/notes": TAB,
    "POST /cases/{case_id}/notes": TAB,
    "GET /notes/{record_id}": TAB,
    "PATCH /notes/{record_id}": TAB,
    "GET /cases/{case_id}/tiers": TAB,
    "POST /cases/{case_id}/tiers": TAB,
    "GET /tiers/{record_id}": TAB,
    "POST /cases/{case_id}/tiers/compute": TAB,
    "GET /cases/{case_id}/risk-scores": TAB,
    "GET /cases/{case_id}/goals": TAB,
    "POST /cases/{case_id}/goals": TAB,
    "GET /goals/{record_id}": TAB,
    "PATCH /goals/{record_id}": TAB,
    "GET /goals/{goal_id}/interventions": TAB,
    "POST /goals/{goal_id}/interventions": TAB,
    "GET /interventions/{record_id}": TAB,
    "PATCH /interventions/{record_id}": TAB,
    "GET /cases/{case_id}/agreements": TAB,
    "POST /cases/{case_id}/agreements": TAB,
    "GET /agreements/{record_id}": TAB,
    "GET /goals/{goal_id}/progress": TAB,
    "POST /goals/{goal_id}/progress": TAB,
    "GET /progress/{record_id}": TAB,
    "PATCH /progress/{record_id}": TAB,
    "GET /goals/{goal_id}/outcomes": TAB,
    "POST /goals/{goal_id}/outcomes": TAB,
    "GET /outcomes/{record_id}": TAB,
    "PATCH /outcomes/{record_id}": TAB,
    "GET /cases/{case_id}/evaluations": TAB,
    "POST /cases/{case_id}/evaluations": TAB,
    "GET /evaluations/{record_id}": TAB,
    "PATCH /evaluations/{record_id}": TAB,
    "GET /cases/{case_id}/care-transitions": TAB,
    "POST /cases/{case_id}/care-transitions": TAB,
    "GET /care-transitions/{record_id}": TAB,
    "PATCH /care-transitions/{record_id}": TAB,
    "GET /care-transitions/{transition_id}/checklist": TAB,
    "GET /checklist/{record_id}": TAB,
    "PATCH /checklist/{record_id}": TAB,
    "GET /care-transitions/{transition_id}/contacts": TAB,
    "POST /care-transitions/{transition_id}/contacts": TAB,
    "GET /contacts/{record_id}": TAB,
    "PATCH /contacts/{record_id}": TAB,
    # Rules and instruments.
    # The calculators list every kind and run any rule on values typed in (web:rule, one
    # page per kind, its form generated from the input schema); the workspace also runs the
    # same rules on the case's own records.
    "GET /rules": "web:rules",
    "POST /rules/{kind}": "web:rule",  # the kind's form, evaluated, with its result
    "GET /instruments": TAB,  # the instruments tab lists the catalogue
    "POST /cases/{case_id}/instruments": "web:instrument",
    "GET /cases/{case_id}/instruments": TAB,
    "GET /cases/{case_id}/alerts": CASE,  # open alerts, and those followed up
    "POST /alerts/{alert_id}/follow-up": CASE,
    # Privacy.
    "GET /clients/{client_id}/consents": "web:client_privacy",
    "POST /clients/{client_id}/consents": "web:client_privacy",
    "GET /consents/{record_id}": "web:client_privacy",
    "GET /clients/{client_id}/restrictions": "web:client_privacy",
    "POST /clients/{client_id}/restrictions": "web:client_privacy",
    "GET /restrictions/{record_id}": "web:client_privacy",
    "PATCH /restrictions/{record_id}": "web:client_privacy",  # an edit form per restriction
    "POST /consents/{consent_id}/revoke": "web:client_privacy",
    "POST /clients/{client_id}/disclosures": "web:client_privacy",
    "POST /clients/{client_id}/releases": "web:client_release",
    "GET /clients/{client_id}/disclosures": "web:client_privacy",
    "GET /clients/{client_id}/amendments": "web:client_privacy",
    "POST /clients/{client_id}/amendments": "web:client_amendments",
    "GET /amendments/{record_id}": "web:client_privacy",
    "POST /amendments/{amendment_id}/extend": "web:client_amendments",
    "POST /amendments/{amendment_id}/accept": "web:client_amendments",
    "POST /amendments/{amendment_id}/deny": "web:client_amendments",
    "POST /amendments/{amendment_id}/disagreement": "web:client_amendments",
    "POST /amendments/{amendment_id}/rebuttal": "web:client_amendments",
    "POST /clients/{client_id}/break-glass": "web:emergency_access",
    "GET /break-glass": "web:supervisor",
    "POST /break-glass/{grant_id}/review": "web:review_emergency_access",
    # The audit trail and its switches.
    "GET /audit": "web:audit",  # and the CSV export, web:audit_export
    "GET /audit/settings": "web:administration",
    "PUT /audit/settings/{part}": "web:administration",
}

REASONED = ("api-only:", "gap:")


def _page_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: object, namespace: str) -> None:
        for name in resolver.reverse_dict:  # type: ignore[attr-defined]
            if isinstance(name, str):
                names.add(f"{namespace}:{name}" if namespace else name)
        for ns, (_, inner) in resolver.namespace_dict.items():  # type: ignore[attr-defined]
            walk(inner, f"{namespace}:{ns}" if namespace else ns)

    walk(get_resolver(), "")
    return names


def test_every_api_operation_says_where_the_web_offers_it() -> None:
    operations = set(matrix().api)
    missing = sorted(operations - set(PARITY))
    assert missing == [], "API operations with no web page named in PARITY"
    gone = sorted(set(PARITY) - operations)
    assert gone == [], "PARITY names operations the API no longer has"


def test_every_page_named_exists() -> None:
    pages = _page_names()
    wrong = [
        f"{op}: {target}"
        for op, target in PARITY.items()
        if not target.startswith(REASONED) and target not in pages
    ]
    assert wrong == [], "\n".join(wrong)


def test_every_exception_gives_its_reason() -> None:
    for op, target in PARITY.items():
        if target.startswith(REASONED):
            reason = target.split(":", 1)[1].strip()
            assert len(reason) > 20, op


# Whom issue #5 is about: what they may do through the API, they may do on the page named.
PEOPLE = ("case_manager", "supervisor")


def test_the_pages_named_are_open_to_whom_the_operation_is() -> None:
    """A page named for an operation must be one the same people may use: a case manager or
    supervisor holding the operation's permission may open the page (or post to it)."""
    roles = [matrix().roles[name] for name in PEOPLE]
    wrong = []
    for op, target in PARITY.items():
        if target.startswith(REASONED):
            continue
        method = op.split(" ", 1)[0]
        needed = matrix().api[op]
        page = matrix().page_permission(target, "GET" if method == "GET" else "POST")
        if page is None:
            raise NoReverseMatch(target)
        for role in roles:
            if needed in role.grants and page not in ("signed_in", "public"):
                if page not in role.grants:
                    wrong.append(f"{op} -> {target}: {role.name} has {needed}, not {page}")
    assert wrong == [], "\n".join(wrong)
