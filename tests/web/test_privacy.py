"""The client's privacy page, emergency access and its review, through the test client:
each action's happy path, and a refusal shown beside the form with nothing stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client as HttpClient

from casework.core import clock
from casework.privacy.labels import PART2_NOTICE
from casework.privacy.models import BreakGlassGrant, Consent, Disclosure, Restriction
from casework.staff.models import StaffMember
from tests.conftest import make_staff
from tests.web.conftest import signed_in
from tests.web.test_views import post


def _page(client_id: int) -> str:
    return f"/clients/{client_id}/privacy/"


def _consent(web: HttpClient, client_id: int, **changes: Any) -> Any:
    today = clock.today().isoformat()
    fields: dict[str, Any] = {
        "recipient_name": "Dr Ana Ruiz",
        "recipient_kind": "person",
        "purposes": ["care_coordination"],
        "categories": ["general", "part2_sud"],
        "information_description": "Treatment summary",
        "effective_on": today,
        "expires_on": (clock.today() + dt.timedelta(days=365)).isoformat(),
        "signed_by": "María Gómez",
        "signer": "self",
        "signed_on": today,
        "right_to_revoke_explained": "on",
    }
    fields.update(changes)
    return post(web, _page(client_id), "consent", **fields)


def _disclose(web: HttpClient, client_id: int, **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "recipient_name": "Dr Ana Ruiz",
        "recipient_kind": "person",
        "purpose": "care_coordination",
        "categories": ["part2_sud"],
        "data_description": "Treatment summary",
        "channel": "printed",
    }
    fields.update(changes)
    return post(web, _page(client_id), "disclose", **fields)


def test_the_privacy_page_renders_and_is_linked_from_the_profile(
    web: HttpClient, client_id: int
) -> None:
    assert _page(client_id) in web.get(f"/clients/{client_id}/").content.decode()
    response = web.get(_page(client_id))
    assert response.status_code == 200
    assert "Accounting of disclosures" in response.content.decode()


def test_an_outsider_gets_404_for_the_privacy_page(client_id: int, outsider: Any) -> None:
    web = signed_in(outsider)
    assert web.get(_page(client_id)).status_code == 404
    assert _consent(web, client_id).status_code == 404
    assert not Consent.objects.exists()


def test_a_consent_is_recorded_and_listed(web: HttpClient, client_id: int) -> None:
    response = _consent(web, client_id)
    assert response.status_code == 302, response.content.decode()[:2000]
    consent = Consent.objects.get()
    assert consent.purposes == ["care_coordination"]
    assert consent.categories == ["general", "part2_sud"]
    page = web.get(_page(client_id)).content.decode()
    assert "Dr Ana Ruiz" in page
    assert "Care coordination" in page


def test_a_consent_without_expiry_or_right_to_revoke_is_refused_beside_the_fields(
    web: HttpClient, client_id: int
) -> None:
    response = _consent(web, client_id, expires_on="", right_to_revoke_explained="")
    assert response.status_code == 422
    form = response.context["forms"]["consent"]
    assert "expires_on" in form.errors
    assert "right_to_revoke_explained" in form.errors
    assert "give an expiry date or the event on which consent ends" in response.content.decode()
    assert not Consent.objects.exists()


def test_a_consent_is_revoked_and_a_revocation_before_signing_is_refused(
    web: HttpClient, client_id: int
) -> None:
    _consent(web, client_id)
    consent = Consent.objects.get()
    early = (consent.signed_on - dt.timedelta(days=3)).isoformat()
    refused = post(web, _page(client_id), "revoke", str(consent.pk), revoked_on=early)
    assert refused.status_code == 422
    assert "a consent cannot be revoked before it was signed" in refused.content.decode()
    consent.refresh_from_db()
    assert consent.revoked_on is None
    done = post(
        web, _page(client_id), "revoke", str(consent.pk), revoked_on=clock.today().isoformat()
    )
    assert done.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_on == clock.today()


def test_a_restriction_is_recorded_and_a_bad_one_stores_nothing(
    web: HttpClient, client_id: int
) -> None:
    refused = post(web, _page(client_id), "restriction", recipient_name="", scope="all")
    assert refused.status_code == 422
    assert not Restriction.objects.exists()
    done = post(
        web,
        _page(client_id),
        "restriction",
        recipient_name="Her brother",
        scope="Everything",
        requested_on=clock.today().isoformat(),
        agreed="on",
    )
    assert done.status_code == 302
    assert "Her brother" in web.get(_page(client_id)).content.decode()


def test_a_disclosure_without_consent_is_refused_in_plain_words(
    web: HttpClient, client_id: int
) -> None:
    response = _disclose(web, client_id)
    assert response.status_code == 422
    assert "no consent in effect names this recipient" in response.content.decode()
    assert not Disclosure.objects.exists()


def test_a_disclosure_to_a_restricted_recipient_is_refused(web: HttpClient, client_id: int) -> None:
    Restriction.objects.create(
        client_id=client_id,
        recipient_name="Dr Ana Ruiz",
        scope="All",
        requested_on=clock.today(),
        agreed=True,
    )
    response = _disclose(web, client_id, categories=["general"])
    assert response.status_code == 422
    assert "asked that nothing be disclosed to this recipient" in response.content.decode()
    assert not Disclosure.objects.exists()


def test_a_disclosure_under_a_revoked_consent_is_refused(web: HttpClient, client_id: int) -> None:
    _consent(web, client_id)
    Consent.objects.update(revoked_on=clock.today())
    response = _disclose(web, client_id)
    assert response.status_code == 422
    assert "revoked the consent" in response.content.decode()
    assert not Disclosure.objects.exists()


def test_a_part2_disclosure_under_consent_is_recorded_with_the_notice(
    web: HttpClient, client_id: int
) -> None:
    _consent(web, client_id)
    response = _disclose(web, client_id)
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    assert disclosure.basis == "consent"
    page = web.get(_page(client_id)).content.decode()
    assert PART2_NOTICE in page
    assert "Treatment summary" in page


def _designated(username: str, supervisor: Any) -> Any:
    user = make_staff(username, supervisor=supervisor.staff)
    StaffMember.objects.filter(user=user).update(may_break_glass=True)
    user.refresh_from_db()
    return user


def test_emergency_access_is_only_for_designated_staff(web: HttpClient, client_id: int) -> None:
    assert 'href="/clients/emergency-access/"' not in web.get("/clients/").content.decode()
    assert web.get("/clients/emergency-access/").status_code == 404


def test_emergency_access_opens_the_client_and_the_supervisor_reviews_it(
    client_id: int, supervisor: Any
) -> None:
    er = signed_in(_designated("erin_er", supervisor))
    assert er.get(f"/clients/{client_id}/").status_code == 404
    assert 'href="/clients/emergency-access/"' in er.get("/clients/").content.decode()
    assert er.get("/clients/emergency-access/").status_code == 200
    refused = post(er, "/clients/emergency-access/", "break_glass", client_id="999999", reason="x")
    assert refused.status_code == 422
    assert "There is no client with this number." in refused.content.decode()
    no_reason = post(er, "/clients/emergency-access/", "break_glass", client_id=str(client_id))
    assert no_reason.status_code == 422
    assert not BreakGlassGrant.objects.exists()
    done = post(
        er,
        "/clients/emergency-access/",
        "break_glass",
        client_id=str(client_id),
        reason="Unconscious in the ED",
    )
    assert done.status_code == 302
    assert er.get(f"/clients/{client_id}/").status_code == 200
    grant = BreakGlassGrant.objects.get()

    boss = signed_in(supervisor)
    dashboard = boss.get("/supervision/").content.decode()
    assert "Emergency access to review" in dashboard
    assert "Unconscious in the ED" in dashboard
    review = f"/supervision/emergency-access/{grant.pk}/"
    assert (
        boss.post(review, {"_form": "review", f"review-{grant.pk}-note": "Justified"}).status_code
        == 302
    )
    grant.refresh_from_db()
    assert grant.reviewed_by == supervisor
    again = boss.post(review, {"_form": "review", f"review-{grant.pk}-note": "Again"})
    assert again.status_code == 422
    assert "already reviewed" in again.content.decode()
    grant.refresh_from_db()
    assert grant.review_note == "Justified"


def test_only_the_supervisor_reviews_emergency_access(
    client_id: int, supervisor: Any, outsider: Any
) -> None:
    user = _designated("erin_er", supervisor)
    grant = BreakGlassGrant.objects.create(
        user=user,
        client_id=client_id,
        reason="ED",
        started_at=clock.now(),
        expires_at=clock.now() + dt.timedelta(hours=1),
    )
    assert signed_in(outsider).get(f"/supervision/emergency-access/{grant.pk}/").status_code == 403


def test_the_privacy_page_and_a_refusal_read_in_spanish(web: HttpClient, client_id: int) -> None:
    web.cookies["django_language"] = "es"
    page = web.get(_page(client_id)).content.decode()
    assert "Registro de divulgaciones" in page
    assert "Registrar un consentimiento por escrito" in page
    refused = _disclose(web, client_id).content.decode()
    assert "No se divulgó: ningún consentimiento vigente" in refused
    bad = _consent(web, client_id, expires_on="").content.decode()
    assert "indique la fecha de vencimiento o el hecho" in bad
