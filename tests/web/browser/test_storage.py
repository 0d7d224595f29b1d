"""HDR-04: after a case manager's session the browser keeps no client data: nothing in local
storage, IndexedDB or the Cache API, only htmx's current path in session storage, cookies
only for the session, the CSRF token and the language, and every page with client data
marked ``no-store`` so that the HTTP cache and the back button do not keep it either."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser.conftest import Session

pytestmark = pytest.mark.browser


STORAGE = """async () => ({
  local: Object.keys(localStorage),
  session: Object.keys(sessionStorage),
  text: JSON.stringify(localStorage) + JSON.stringify(sessionStorage),
  indexed: indexedDB.databases ? (await indexedDB.databases()).length : 0,
  caches: (await caches.keys()).length,
})"""


def test_the_browser_keeps_no_client_data(person: Session) -> None:
    answers: list[Any] = []
    person.page.on("response", lambda r: answers.append(r))
    person.sign_in("casemanager")
    person.page.get_by_label("Client name").fill("smirnova")
    person.page.get_by_role("button", name="Apply").click()
    person.page.get_by_role("link", name="Galina Smirnova").first.click()
    expect(person.page.get_by_role("heading", name="Galina Smirnova", level=1)).to_be_visible()
    person.page.locator("main a[href^='/cases/']").first.click()
    person.page.wait_for_load_state()

    stored = person.page.evaluate(STORAGE)
    # htmx keeps the current path (no page content: its history cache is switched off in
    # base.html, so no page HTML is ever copied into localStorage).
    assert stored["local"] == [] and set(stored["session"]) <= {"htmx-current-path-for-history"}
    assert "Smirnova" not in stored["text"] and "Galina" not in stored["text"]
    assert stored["indexed"] == 0 and stored["caches"] == 0
    cookies = person.page.context.cookies()
    assert {c["name"] for c in cookies} <= {"sessionid", "csrftoken", "django_language"}
    assert not any("Smirnova" in c["value"] or "Galina" in c["value"] for c in cookies)
    session = next(c for c in cookies if c["name"] == "sessionid")
    assert session["httpOnly"] and session["sameSite"] in ("Lax", "Strict")
    pages = [a for a in answers if re.search(r"/(clients|cases)/\d+/", a.url)]
    assert pages, "the client and case pages were answered"
    assert all("no-store" in a.headers.get("cache-control", "") for a in pages)
