"""Staff enter their own credential records from the staff page (issue #5): licences,
certifications, degrees, experience and continuing education, for themselves (scope ``own``)
or, as an administrator, for anyone (scope ``agency``); others see no form. The API's rules
apply: refused input is shown beside its field with 422 and stores nothing, and a stale edit
is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client as HttpClient
from django_otp import DEVICE_ID_SESSION_KEY

from casework.accounts import mfa
from casework.audit.models import AuditEvent
from casework.core import clock
from casework.staff.models import (
    Certification,
    ContinuingEducation,
    Degree,
    ExperiencePeriod,
    Licence,
)
from casework.staff.services import create_user
from tests.conftest import PASSWORD
from tests.web.conftest import signed_in
from tests.web.test_views import post

NEXT_YEAR = (clock.today() + dt.timedelta(days=365)).isoformat()
LICENCE = {
    "licence_type": "RN",
    "issuing_state": "NY",
    "number": "RN-123",
    "expires_on": NEXT_YEAR,
    "independent_practice": "on",
}


def _page(staff: Any) -> str:
    return f"/staff/{staff.pk}/"


def _with_second_factor(user: Any) -> HttpClient:
    """Signed in with the second factor given, as an administrator must be."""
    web = signed_in(user)
    device = mfa.TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    session = web.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return web


def test_a_case_manager_adds_their_own_licence(web: HttpClient, case_manager: Any) -> None:
    page = web.get(_page(case_manager.staff)).content.decode()
    assert 'id="licences"' in page  # the add form is offered to the person themselves
    response = post(web, _page(case_manager.staff), "licences", **LICENCE)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"].endswith("#licences-section")
    licence = Licence.objects.get()
    assert (licence.staff, licence.number, licence.independent_practice) == (
        case_manager.staff,
        "RN-123",
        True,
    )
    shown = web.get(_page(case_manager.staff)).content.decode()
    assert "RN-123" in shown and "The licence is recorded." in shown
    row = AuditEvent.objects.filter(object_type="licences").get()
    assert (row.action, row.object_id, row.user_id) == ("create", str(licence.pk), case_manager.pk)


def test_a_case_manager_cannot_add_one_for_a_colleague(
    web: HttpClient, case_manager: Any, outsider: Any
) -> None:
    page = web.get(_page(outsider.staff))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="_form"' not in body  # the colleague's page shows no form
    response = post(web, _page(outsider.staff), "licences", **LICENCE)
    assert response.status_code == 404
    assert not Licence.objects.exists()


def test_an_administrator_adds_and_edits_anyones_credentials(
    administrator: Any, case_manager: Any
) -> None:
    web = _with_second_factor(administrator)
    assert 'id="certifications"' in web.get(_page(case_manager.staff)).content.decode()
    response = post(
        web,
        _page(case_manager.staff),
        "certifications",
        kind="CCM",
        number="C-1",
        issued_on="2024-01-15",
        expires_on="2029-01-15",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    cert = Certification.objects.get()
    assert (cert.staff, cert.kind) == (case_manager.staff, "CCM")
    edit = post(
        web,
        _page(case_manager.staff),
        "certifications_edit",
        str(cert.pk),
        kind="CCM",
        number="C-2",
        issued_on="2024-01-15",
        expires_on="2029-01-15",
        version=str(cert.version),
    )
    assert edit.status_code == 302, edit.content.decode()[:3000]
    cert.refresh_from_db()
    assert (cert.number, cert.version) == ("C-2", 2)


def test_others_see_no_forms(case_manager: Any, supervisor: Any) -> None:
    auditor = create_user(username="audi_auditor", password=PASSWORD, roles=("auditor",))
    for user in (auditor, supervisor):
        page = signed_in(user).get(_page(case_manager.staff))
        assert page.status_code == 200, user
        assert 'name="_form"' not in page.content.decode(), user
    # An auditor may not post at all (no credential.write): the matrix refuses it.
    assert (
        post(signed_in(auditor), _page(case_manager.staff), "licences", **LICENCE).status_code
        == 403
    )


def test_a_bad_date_is_shown_beside_the_field_and_nothing_is_stored(
    web: HttpClient, case_manager: Any
) -> None:
    response = post(
        web, _page(case_manager.staff), "licences", **{**LICENCE, "expires_on": "2026-13-45"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Enter a valid date." in body
    assert 'id="id_licences-expires_on_error"' in body  # the message is tied to its input
    assert "field-invalid field-expires_on" in body
    assert "Nothing was saved." in body
    assert not Licence.objects.exists()


def test_a_model_rule_is_shown_beside_its_field(web: HttpClient, case_manager: Any) -> None:
    response = post(
        web,
        _page(case_manager.staff),
        "experience",
        role="case_manager",
        started_on="2024-05-01",
        ended_on="2024-01-01",
        fte_percent="100",
        supervised="on",
        paid="on",
    )
    assert response.status_code == 422
    assert "a period cannot end before it starts" in response.content.decode()
    assert "field-invalid field-ended_on" in response.content.decode()
    assert not ExperiencePeriod.objects.exists()


def test_a_stale_edit_is_refused_with_a_message(web: HttpClient, case_manager: Any) -> None:
    degree = Degree.objects.create(
        staff=case_manager.staff, level="bachelor", field="nursing", awarded_on=dt.date(2010, 6, 1)
    )
    fields = {"level": "master", "field": "nursing", "awarded_on": "2012-06-01"}
    first = post(
        web, _page(case_manager.staff), "degrees_edit", str(degree.pk), **fields, version="1"
    )
    assert first.status_code == 302, first.content.decode()[:3000]
    stale = post(
        web,
        _page(case_manager.staff),
        "degrees_edit",
        str(degree.pk),
        **{**fields, "level": "doctorate"},
        version="1",
    )
    assert stale.status_code == 422
    assert "Someone changed this record after you opened it" in stale.content.decode()
    degree.refresh_from_db()
    assert (degree.level, degree.version) == ("master", 2)


def test_an_edit_of_a_colleagues_record_is_404(
    web: HttpClient, case_manager: Any, outsider: Any
) -> None:
    theirs = ContinuingEducation.objects.create(
        staff=outsider.staff, title="Ethics", completed_on=dt.date(2025, 1, 1), hours=2
    )
    # Through the colleague's page (out of scope) and through one's own (not one's record).
    for staff in (outsider.staff, case_manager.staff):
        response = post(
            web,
            _page(staff),
            "continuing-education_edit",
            str(theirs.pk),
            title="Mine now",
            completed_on="2025-01-01",
            hours="2",
            ethics_hours="0",
            cm_specific_hours="0",
            version="1",
        )
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Ethics"


def test_every_kind_of_credential_can_be_added(web: HttpClient, case_manager: Any) -> None:
    page = _page(case_manager.staff)
    sent = {
        "degrees": {"level": "master", "field": "social_work", "awarded_on": "2015-05-20",
                    "cswe_accredited": "on"},
        "experience": {"role": "case_manager", "employer": "County", "started_on": "2018-01-01",
                       "fte_percent": "80", "supervised": "on", "paid": "on"},
        "continuing-education": {"title": "Care transitions", "completed_on": "2025-02-01",
                                 "hours": "3.5", "ethics_hours": "1", "cm_specific_hours": "2"},
    }  # fmt: skip
    for form, fields in sent.items():
        response = post(web, page, form, **fields)
        assert response.status_code == 302, (form, response.content.decode()[:3000])
    assert Degree.objects.get().cswe_accredited
    assert ExperiencePeriod.objects.get().fte_percent == 80
    assert str(ContinuingEducation.objects.get().hours) == "3.50"
    shown = web.get(page).content.decode()
    assert "Care transitions" in shown and "County" in shown


def test_the_forms_read_in_spanish(web: HttpClient, case_manager: Any) -> None:
    page = web.get(_page(case_manager.staff), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Añadir una licencia" in page
    assert "Formación continua" in page
