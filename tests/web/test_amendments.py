"""PRIV-04 on the client's privacy page: record a request to amend the record, extend it, accept
it with the amendment, deny it with the reason, add the client's statement of disagreement;
overdue requests flagged; a bad value shown beside its field with nothing stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client as HttpClient

from casework.core import clock
from casework.privacy.models import AmendmentEntry, AmendmentRequest
from tests.conftest import make_staff
from tests.web.conftest import signed_in
from tests.web.test_views import post


def _page(client_id: int) -> str:
    return f"/clients/{client_id}/privacy/"


def _url(client_id: int) -> str:
    return f"/clients/{client_id}/privacy/amendments/"


def _request(web: HttpClient, client_id: int, **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "received_on": clock.today().isoformat(),
        "information": "Assessment of 3 March: says she lives alone",
        "requested_change": "Her daughter moved in with her in February.",
    }
    fields.update(changes)
    return post(web, _url(client_id), "amendment", **fields)


def test_the_page_offers_to_record_a_request_posting_to_its_own_url(
    web: HttpClient, client_id: int
) -> None:
    page = web.get(_page(client_id)).content.decode()
    assert "Requests to amend the record" in page
    assert f'action="{_url(client_id)}" id="amendment"' in page
    # The page's other forms still post to the page itself.
    assert f'action="{_page(client_id)}" id="consent"' in page
    assert web.get(_url(client_id)).status_code == 302


def test_a_request_is_recorded_and_a_bad_one_stores_nothing(
    web: HttpClient, client_id: int, case_id: int
) -> None:
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    future = _request(web, client_id, received_on=tomorrow)
    assert future.status_code == 422
    assert "received_on" in future.context["amendment_form"].errors
    assert "a request cannot be received in the future" in future.content.decode()
    blank = _request(web, client_id, requested_change="")
    assert blank.status_code == 422
    assert "requested_change" in blank.context["amendment_form"].errors
    wrong = _request(web, client_id, record_type="notes", record_id="999999")
    assert wrong.status_code == 422
    assert "record_id" in wrong.context["amendment_form"].errors
    assert not AmendmentRequest.objects.exists()
    done = _request(web, client_id, case=str(case_id))
    assert done.status_code == 302
    assert done["Location"] == _page(client_id) + "#amendments"
    made = AmendmentRequest.objects.get()
    assert made.case_id == case_id
    assert made.due_on == clock.today() + dt.timedelta(days=60)
    page = web.get(_page(client_id)).content.decode()
    assert "Her daughter moved in with her in February." in page
    assert "60 days left" in page


def test_extend_then_accept_keeps_the_amendment_linked(web: HttpClient, client_id: int) -> None:
    _request(web, client_id)
    made = AmendmentRequest.objects.get()
    key = str(made.pk)
    no_reason = post(web, _url(client_id), "extend", key, extended_on=clock.today().isoformat())
    assert no_reason.status_code == 422
    assert "extension_reason" in no_reason.context["amendments"][0]["actions"]["extend"].errors
    made.refresh_from_db()
    assert made.extended_on is None
    extended = post(web, _url(client_id), "extend", key,
                    extended_on=clock.today().isoformat(),
                    extension_reason="Waiting for the hospital's records")  # fmt: skip
    assert extended.status_code == 302
    made.refresh_from_db()
    assert made.due_on == made.received_on + dt.timedelta(days=90)
    page = web.get(_page(client_id)).content.decode()
    assert "Waiting for the hospital&#x27;s records" in page
    assert 'id="extend-' not in page  # once only
    accepted = post(web, _url(client_id), "accept", key, decided_on=clock.today().isoformat(),
                    amendment="Lives with her daughter since February.")  # fmt: skip
    assert accepted.status_code == 302
    made.refresh_from_db()
    assert made.status == "accepted"
    assert made.entries.get().text == "Lives with her daughter since February."
    assert made.information == "Assessment of 3 March: says she lives alone"


def test_deny_then_the_statement_of_disagreement(web: HttpClient, client_id: int) -> None:
    _request(web, client_id)
    key = str(AmendmentRequest.objects.get().pk)
    today = clock.today().isoformat()
    no_basis = post(web, _url(client_id), "deny", key, decided_on=today, explanation="x")
    assert no_basis.status_code == 422
    assert "denial_basis" in no_basis.context["amendments"][0]["actions"]["deny"].errors
    assert AmendmentRequest.objects.get().status == "pending"
    denied = post(web, _url(client_id), "deny", key, decided_on=today,
                  denial_basis="accurate_and_complete",
                  explanation="The assessment records what you said that day.")  # fmt: skip
    assert denied.status_code == 302
    page = web.get(_page(client_id)).content.decode()
    assert "Accurate and complete" in page
    assert 'id="disagreement-' in page
    said = post(web, _url(client_id), "disagreement", key, received_on=today,
                statement="My daughter had already moved in.")  # fmt: skip
    assert said.status_code == 302
    kinds = set(AmendmentEntry.objects.values_list("kind", flat=True))
    assert kinds == {"denial", "disagreement"}
    page = web.get(_page(client_id)).content.decode()
    assert "My daughter had already moved in." in page
    assert 'id="rebuttal-' in page


def test_an_overdue_request_is_flagged_on_the_page_and_the_case(
    web: HttpClient, client_id: int, case_id: int, case_manager: Any
) -> None:
    _request(web, client_id)
    made = AmendmentRequest.objects.get()
    with clock.frozen_at(clock.now() + dt.timedelta(days=61)):
        web = signed_in(case_manager)  # the first session timed out meanwhile
        page = web.get(_page(client_id)).content.decode()
        assert "1 request to amend the record is overdue." in page
        assert "1 day late" in page
        assert 'id="extend-' not in page  # too late to extend
        case_page = web.get(f"/cases/{case_id}/").content.decode()
        assert f"answer amendment request #{made.pk}" in case_page
        web.cookies["django_language"] = "es"
        spanish = web.get(_page(client_id)).content.decode()
        assert "1 solicitud de enmienda del registro está atrasada." in spanish
        assert "Solicitudes de enmienda del registro" in spanish


def test_others_cannot_see_or_post(client_id: int, outsider: Any) -> None:
    stranger = signed_in(outsider)
    assert _request(stranger, client_id).status_code == 404
    auditor = signed_in(make_staff("audrey", roles=("auditor",)))
    assert _request(auditor, client_id).status_code == 403
    assert not AmendmentRequest.objects.exists()
