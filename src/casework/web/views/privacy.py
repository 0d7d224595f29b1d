"""The client's privacy page (consents, restrictions, disclosures and their accounting, requests
to amend the record), the emergency access page, and the supervisors' review of emergency
accesses.

The forms follow the client profile's pattern: the POST names its form (``_form``) and the
record (``_record``); a form that fails, or that the service refuses, is shown again with the
reason beside it and nothing is stored. The forms of amendment requests post to their own URL
(``client_amendments``), which needs ``privacy.amend`` rather than ``privacy.write``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.cases.selectors import visible_cases
from casework.clients.models import Client
from casework.clients.selectors import visible_clients
from casework.core import clock
from casework.core.errors import Problem
from casework.privacy import release, services
from casework.privacy.models import AmendmentRequest, Consent, Restriction
from casework.web import records
from casework.web.access import acting_permission, staff_required
from casework.web.forms.privacy import (
    AcceptAmendmentForm,
    AmendmentRequestForm,
    BreakGlassForm,
    ConsentForm,
    DenyAmendmentForm,
    DisagreementForm,
    DisclosureForm,
    ExtendAmendmentForm,
    RebuttalForm,
    ReleaseForm,
    RestrictionEditForm,
    RestrictionForm,
    ReviewForm,
    RevokeForm,
)
from casework.web.workspace import prepare

# Why a disclosure was refused, in plain words (``privacy.decisions.Decision.reason``).
REFUSALS = {
    "consent_missing": gettext_lazy(
        "Not disclosed: no consent in effect names this recipient, this purpose and these "
        "kinds of information. Record the client's written consent first."
    ),
    "consent_revoked": gettext_lazy(
        "Not disclosed: the client revoked the consent that covered this disclosure."
    ),
    "consent_expired": gettext_lazy(
        "Not disclosed: the consent that covered this disclosure has expired."
    ),
    "restricted": gettext_lazy(
        "Not disclosed: the client asked that nothing be disclosed to this recipient, and the "
        "agency agreed."
    ),
    "purpose_not_allowed": gettext_lazy(
        "Not disclosed: this kind of record may not be released for this purpose."
    ),
}


@dataclass(frozen=True)
class PrivacyAction:
    """One form of the privacy page: how to build it (for the request, the client, the record
    it acts on and the posted data) and what saving it does (returns the message to show)."""

    build: Callable[[HttpRequest, Client, Any, Any], forms.BaseForm]
    save: Callable[[HttpRequest, Client, Any, Any], str]
    record: Callable[[Client, str], Any] | None = None
    anchor: str = ""  # where the page opens after saving (else the form's name)


def _consent_of(client: Client, key: str) -> Consent | None:
    return client.consents.filter(pk=int(key)).first() if key.isdigit() else None


def _record_consent(request: HttpRequest, client: Client, form: Any, record: Any) -> str:
    services.record_consent(actor=request.user, client=client, data=form.data_for_service())
    return _("Consent recorded.")


def _revoke(request: HttpRequest, client: Client, form: Any, consent: Any) -> str:
    services.revoke_consent(
        actor=request.user,
        consent=consent,
        revoked_on=form.cleaned_data["revoked_on"],
        note=form.cleaned_data["note"],
    )
    return _("Consent revoked.")


def _restrict(request: HttpRequest, client: Client, form: Any, record: Any) -> str:
    from casework.core.records import create_record

    create_record(Restriction, form.data_for_service(), client=client)
    return _("Restriction recorded.")


def _restriction_of(client: Client, key: str) -> Restriction | None:
    return client.restrictions.filter(pk=int(key)).first() if key.isdigit() else None


def _restriction_edit_form(q: HttpRequest, c: Client, record: Any, data: Any) -> forms.BaseForm:
    """Shown: the record itself. Submitted: a fresh copy for validation to change, so that the
    stored record stays as it was read until the edit is applied under its version."""
    instance = record if data is None else Restriction.objects.get(pk=record.pk)
    return RestrictionEditForm(data, instance=instance, initial={"version": record.version})


def _edit_restriction(request: HttpRequest, client: Client, form: Any, record: Any) -> str:
    records.update_from_form(request.user, "restrictions", record, form)
    return _("Restriction updated.")


@contextmanager
def _refusal_in_words() -> Iterator[None]:
    """A refused disclosure's reason in plain words (the form shows it by the consent)."""
    try:
        yield
    except Problem as problem:
        reason = problem.extra.get("reason", "")
        if reason in REFUSALS:
            problem.detail = str(REFUSALS[reason])
        raise


def _disclose(request: HttpRequest, client: Client, form: Any, record: Any) -> str:
    data = form.cleaned_data
    with _refusal_in_words():
        disclosure = services.disclose(
            actor=request.user,
            client=client,
            recipient_name=data["recipient_name"],
            recipient_kind=data["recipient_kind"],
            purpose=data["purpose"],
            categories=list(dict.fromkeys(data["categories"])),
            data_description=data["data_description"],
            channel=data["channel"],
            recipient_affiliation=data["recipient_affiliation"],
            emergency_nature=data["emergency_nature"],
        )
    if disclosure.notice:
        # The 42 CFR 2.32 notice must go with the data: show it where the user sends it from.
        request.session["disclosure_notice"] = disclosure.notice
    return _("Disclosure recorded in the accounting of disclosures.")


FORMS: dict[str, PrivacyAction] = {
    "consent": PrivacyAction(
        lambda q, c, r, d: ConsentForm(d, instance=Consent(client=c)), _record_consent
    ),
    "revoke": PrivacyAction(lambda q, c, r, d: RevokeForm(d), _revoke, record=_consent_of),
    "restriction": PrivacyAction(
        lambda q, c, r, d: RestrictionForm(d, instance=Restriction(client=c)), _restrict
    ),
    "restriction_edit": PrivacyAction(
        _restriction_edit_form, _edit_restriction, record=_restriction_of, anchor="restrictions"
    ),
    "disclose": PrivacyAction(lambda q, c, r, d: DisclosureForm(d), _disclose),
}
# The release form posts to its own URL, whose answer is the file (``client_release``).
RELEASE_FORMS: dict[str, PrivacyAction] = {
    "release": PrivacyAction(lambda q, c, r, d: ReleaseForm(d), lambda q, c, f, r: ""),
}


def _amendment_of(client: Client, key: str) -> AmendmentRequest | None:
    return client.amendment_requests.filter(pk=int(key)).first() if key.isdigit() else None


def _amendable_cases(request: HttpRequest, client: Client) -> Any:
    cases = visible_cases(request.user, "privacy.amend").filter(client=client)
    return cases.select_related("program").order_by("-opened_on", "-id")


def _record_amendment(request: HttpRequest, client: Client, form: Any, record: Any) -> str:
    data = form.data_for_service()
    data["record_type"] = data["record_type"] or ""
    services.record_amendment_request(
        actor=request.user, client=client, data=data, cases=_amendable_cases(request, client)
    )
    return _("Amendment request recorded. It must be answered within 60 days.")


def _extend(request: HttpRequest, client: Client, form: Any, record: Any) -> str:
    services.extend_amendment(actor=request.user, request=record, **form.cleaned_data)
    return _("Response time extended by 30 days. Tell the client why, in writing.")


def _accept(request: HttpRequest, client: Client, form: Any, record: Any) -> str:
    services.accept_amendment(actor=request.user, request=record, **form.cleaned_data)
    return _("Amendment accepted and linked to the record; the original is kept.")


def _deny(request: HttpRequest, client: Client, form: Any, record: Any) -> str:
    services.deny_amendment(actor=request.user, request=record, **form.cleaned_data)
    return _("Amendment request denied. Send the client the written denial.")


def _disagree(request: HttpRequest, client: Client, form: Any, record: Any) -> str:
    services.add_disagreement(actor=request.user, request=record, **form.cleaned_data)
    return _("Statement of disagreement linked to the request.")


def _rebut(request: HttpRequest, client: Client, form: Any, record: Any) -> str:
    services.add_rebuttal(actor=request.user, request=record, **form.cleaned_data)
    return _("Rebuttal linked to the statement of disagreement.")


# Posted to ``client_amendments`` (permission ``privacy.amend``).
AMENDMENT_FORMS: dict[str, PrivacyAction] = {
    "amendment": PrivacyAction(
        lambda q, c, r, d: AmendmentRequestForm(d, cases=_amendable_cases(q, c)),
        _record_amendment,
    ),
    "extend": PrivacyAction(lambda q, c, r, d: ExtendAmendmentForm(d), _extend, _amendment_of),
    "accept": PrivacyAction(lambda q, c, r, d: AcceptAmendmentForm(d), _accept, _amendment_of),
    "deny": PrivacyAction(lambda q, c, r, d: DenyAmendmentForm(d), _deny, _amendment_of),
    "disagreement": PrivacyAction(lambda q, c, r, d: DisagreementForm(d), _disagree, _amendment_of),
    "rebuttal": PrivacyAction(lambda q, c, r, d: RebuttalForm(d), _rebut, _amendment_of),
}
ALL_FORMS = {**FORMS, **AMENDMENT_FORMS, **RELEASE_FORMS}
Bound = tuple[str, str, forms.BaseForm]


def _visible_client(request: HttpRequest, client_id: int, write: str = "privacy.write") -> Client:
    permission = acting_permission(request, "privacy.read", write)
    client = visible_clients(request.user, permission).filter(pk=client_id).first()
    if client is None:
        raise Http404("no such client")
    return client


def _post(
    request: HttpRequest, client: Client, actions: dict[str, PrivacyAction], anchor: str = ""
) -> HttpResponse | Bound:
    """Save the form posted: a redirect to the page when done, else the form with its errors
    (nothing stored)."""
    name, key = request.POST.get("_form", ""), request.POST.get("_record", "")
    spec = actions.get(name)
    if spec is None:
        raise Http404("no such form")
    record = None
    if spec.record is not None:
        record = spec.record(client, key)
        if record is None:
            raise Http404("no such record")
    form = spec.build(request, client, record, request.POST)
    prepare(form, name, key)
    if form.is_valid():
        try:
            done = spec.save(request, client, form, record)
        except Problem as problem:
            form.add_problem(problem)  # type: ignore[attr-defined]
        else:
            messages.success(request, done)
            page = reverse("web:client_privacy", args=[client.pk])
            return redirect(page + f"#{anchor or spec.anchor or name}")
    messages.error(request, _("Nothing was saved. Please check the form marked below."))
    return name, key, form


def _amendment_rows(
    client: Client, form_for: Callable[[str, Any], forms.BaseForm | None], may_amend: bool
) -> list[dict[str, Any]]:
    today = clock.today()
    rows = []
    requests = client.amendment_requests.select_related(
        "case__program", "decided_by", "recorded_by"
    ).prefetch_related("entries__recorded_by")
    for r in requests:
        entries = {e.kind: e for e in r.entries.all()}
        pending = r.status == AmendmentRequest.Status.PENDING
        actions: dict[str, Any] = {}
        if may_amend:
            can_extend = pending and r.extended_on is None and today <= r.due_on
            wanted = {
                "extend": can_extend,
                "accept": pending,
                "deny": pending,
                "disagreement": r.status == "denied" and "disagreement" not in entries,
                "rebuttal": "disagreement" in entries and "rebuttal" not in entries,
            }
            actions = {name: form_for(name, r) for name, show in wanted.items() if show}
        rows.append(
            {
                "request": r,
                "overdue": r.overdue(today),
                "days_left": (r.due_on - today).days,
                "days_late": (today - r.due_on).days,
                "entries": entries,
                "actions": actions,
            }
        )
    return rows


def _render(
    request: HttpRequest, client: Client, bound: Bound | None = None, status: int = 200
) -> HttpResponse:
    def form_for(name: str, record: Any = None) -> forms.BaseForm:
        key = "" if record is None else str(record.pk)
        if bound and bound[0] == name and bound[1] == key:
            return bound[2]
        built = ALL_FORMS[name].build(request, client, record, None)
        prepare(built, name, key)
        return built

    consents = [
        {"consent": c, "revoke": None if c.revoked_on else form_for("revoke", c)}
        for c in client.consents.all()
    ]
    may_amend = visible_clients(request.user, "privacy.amend").filter(pk=client.pk).exists()
    may_write = visible_clients(request.user, "privacy.write").filter(pk=client.pk).exists()
    restrictions = [
        (r, form_for("restriction_edit", r) if may_write else None)
        for r in client.restrictions.all()
    ]
    amendments = _amendment_rows(client, form_for, may_amend)
    context = {
        "client": client,
        "consents": consents,
        "restrictions": restrictions,
        "disclosures": client.disclosures.select_related("disclosed_by"),
        "forms": {n: form_for(n) for n in ("consent", "restriction", "disclose", "release")},
        "notice": request.session.pop("disclosure_notice", "") if status == 200 else "",
        "amendments": amendments,
        "overdue_amendments": [row for row in amendments if row["overdue"]],
        "amendment_form": form_for("amendment") if may_amend else None,
        # Each form posts to the page it belongs to, whichever URL showed the page.
        "form_action": reverse("web:client_privacy", args=[client.pk]),
        "amend_action": reverse("web:client_amendments", args=[client.pk]),
        "release_action": reverse("web:client_release", args=[client.pk]),
    }
    return render(request, "web/clients/privacy.html", context, status=status)


@staff_required
def client_privacy(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _visible_client(request, client_id)
    if request.method != "POST":
        return _render(request, client)
    posted = _post(request, client, FORMS)
    if isinstance(posted, HttpResponse):
        return posted
    return _render(request, client, posted, 422)


@staff_required
def client_amendments(request: HttpRequest, client_id: int) -> HttpResponse:
    """The forms of the client's amendment requests post here (``privacy.amend``)."""
    client = _visible_client(request, client_id, "privacy.amend")
    if request.method != "POST":
        return redirect(reverse("web:client_privacy", args=[client.pk]) + "#amendments")
    posted = _post(request, client, AMENDMENT_FORMS, anchor="amendments")
    if isinstance(posted, HttpResponse):
        return posted
    return _render(request, client, posted, 422)


@staff_required
def emergency_access(request: HttpRequest) -> HttpResponse:
    """Break-glass: designated staff open one client outside their caseload for an hour."""
    staff = getattr(request.user, "staff", None)
    if staff is None or not staff.may_break_glass:
        raise Http404("not designated for emergency access")
    form = BreakGlassForm(request.POST or None, initial={"client_id": request.GET.get("client")})
    prepare(form, "break_glass", "")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                grant = services.break_glass(
                    actor=request.user,
                    client_id=form.cleaned_data["client_id"],
                    reason=form.cleaned_data["reason"],
                )
            except Problem as problem:
                if problem.field == "id":
                    problem.field = "client_id"
                    problem.detail = _("There is no client with this number.")
                form.add_problem(problem)
            else:
                messages.warning(
                    request,
                    _("Emergency access opened for one hour. Your supervisor will review it."),
                )
                return redirect("web:client", grant.client_id)
        status = 422
        messages.error(request, _("Nothing was saved. Please check the form marked below."))
    return render(request, "web/clients/emergency.html", {"form": form}, status=status)


@staff_required
def review_emergency_access(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = services.grants_to_review(request.user).filter(pk=grant_id).first()
    if grant is None:
        raise Http404("no such emergency access")
    form = ReviewForm(request.POST or None)
    prepare(form, "review", str(grant.pk))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_grant(
                    actor=request.user, grant=grant, note=form.cleaned_data["note"]
                )
            except Problem as problem:
                form.add_problem(problem)
            else:
                messages.success(request, _("Emergency access reviewed."))
                return redirect(reverse("web:supervisor") + "#emergency-access")
        status = 422
        messages.error(request, _("Nothing was saved. Please check the form marked below."))
    return render(
        request, "web/supervisor/review_access.html", {"grant": grant, "form": form}, status=status
    )


@staff_required
def client_release(request: HttpRequest, client_id: int) -> HttpResponse:
    """Release records: the disclosure is recorded (consent checked) and the answer is the file
    to hand over; a refusal shows the privacy page again, the reason by the form."""
    client = _visible_client(request, client_id)
    if request.method != "POST":
        return redirect(reverse("web:client_privacy", args=[client.pk]) + "#release")
    form = ReleaseForm(request.POST)
    prepare(form, "release", "")
    if form.is_valid():
        data = form.cleaned_data
        try:
            with _refusal_in_words():
                made = release.release(
                    actor=request.user, client=client,
                    recipient_name=data["recipient_name"], recipient_kind=data["recipient_kind"],
                    purpose=data["purpose"], categories=list(dict.fromkeys(data["categories"])),
                    data_description=data["data_description"],
                    recipient_affiliation=data["recipient_affiliation"],
                    emergency_nature=data["emergency_nature"],
                )  # fmt: skip
        except Problem as problem:
            form.add_problem(problem)
        else:
            response = JsonResponse(made.package, json_dumps_params={"indent": 2})
            response["Content-Disposition"] = (
                f'attachment; filename="{release.filename(made.package)}"'
            )
            return response
    messages.error(request, _("Nothing was released. Please check the form marked below."))
    return _render(request, client, ("release", "", form), 422)
