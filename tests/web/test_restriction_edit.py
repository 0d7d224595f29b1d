"""Editing a restriction on the client's privacy page: version-checked like every edit of the
workspace, a bad value shown beside its field with nothing stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client as HttpClient

from casework.core import clock
from casework.privacy.models import Restriction
from tests.web.conftest import signed_in
from tests.web.test_views import post


def _page(client_id: int) -> str:
    return f"/clients/{client_id}/privacy/"


def _restriction(client_id: int) -> Restriction:
    return Restriction.objects.create(
        client_id=client_id,
        recipient_name="Her brother",
        scope="Everything",
        requested_on=clock.today() - dt.timedelta(days=10),
        agreed=False,
    )


def _edit(web: HttpClient, client_id: int, r: Restriction, **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "recipient_name": r.recipient_name,
        "scope": r.scope,
        "requested_on": r.requested_on.isoformat(),
        "agreed": "on",
        "ended_on": "",
        "version": r.version,
    }
    fields.update(changes)
    return post(web, _page(client_id), "restriction_edit", str(r.pk), **fields)


def test_each_restriction_has_an_edit_form(web: HttpClient, client_id: int) -> None:
    r = _restriction(client_id)
    page = web.get(_page(client_id)).content.decode()
    assert f'id="restriction_edit-{r.pk}"' in page
    assert f'for="id_restriction_edit-{r.pk}-ended_on"' in page


def test_a_restriction_is_edited(web: HttpClient, client_id: int) -> None:
    r = _restriction(client_id)
    ended = clock.today().isoformat()
    response = _edit(web, client_id, r, ended_on=ended)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"].endswith("#restrictions")
    r.refresh_from_db()
    assert r.agreed is True
    assert r.ended_on == clock.today()
    assert r.version == 2
    page = web.get(_page(client_id)).content.decode()
    assert "Restriction updated." in page


def test_a_stale_edit_is_refused(web: HttpClient, client_id: int) -> None:
    r = _restriction(client_id)
    Restriction.objects.filter(pk=r.pk).update(scope="Only the diagnosis", version=2)
    response = _edit(web, client_id, r, scope="Nothing at all")
    assert response.status_code == 422
    assert "Someone changed this record after you opened it" in response.content.decode()
    r.refresh_from_db()
    assert (r.scope, r.agreed, r.version) == ("Only the diagnosis", False, 2)


def test_a_bad_date_is_refused_beside_the_field(web: HttpClient, client_id: int) -> None:
    r = _restriction(client_id)
    response = _edit(web, client_id, r, ended_on="2026-02-30")
    assert response.status_code == 422
    page = response.content.decode()
    beside = page.index("field-invalid field-ended_on")
    assert page.index(f'for="id_restriction_edit-{r.pk}-ended_on"') > beside
    assert page.index('class="errorlist"', beside) < page.index('name="restriction_edit-', beside)
    r.refresh_from_db()
    assert (r.agreed, r.ended_on, r.version) == (False, None, 1)


def test_an_edit_needs_privacy_write(client_id: int, outsider: Any) -> None:
    r = _restriction(client_id)
    response = _edit(signed_in(outsider), client_id, r)
    assert response.status_code == 404
    r.refresh_from_db()
    assert r.version == 1
