"""INPUT-04 in a real browser: a client and a case note whose texts carry markup, script and
template syntax are shown as text on every page that shows them. Nothing runs (no
``window.__pwned``, no dialog), the Content Security Policy has nothing to refuse (no
injected element reached the DOM to be refused), no ``javascript:`` link is made, and the
text reads literally.

The records are made through the API with the signed-in session (and its CSRF token), as a
client of the API would; ``tests/security/test_hostile_text.py`` covers every field."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser.conftest import Session

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=1</script>"
TEMPLATE = "{{7*7}} {% debug %} ${7*7}"
LINK = '<a href="javascript:window.__pwned=1">javascript:window.__pwned=1</a>'

# Installed before any page script: records what the Content Security Policy refuses.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _api(person: Session, method: str, path: str, body: Any = None) -> Any:
    token = next(c["value"] for c in person.page.context.cookies() if c["name"] == "csrftoken")
    answer = person.page.request.fetch(
        person.base_url + "/api/v1" + path,
        method=method,
        headers={
            "Content-Type": "application/json",
            "X-CSRFToken": token,
            "Idempotency-Key": uuid.uuid4().hex,
        },
        data=json.dumps(body) if body is not None else None,
    )
    assert answer.status < 300, (path, answer.status, answer.text())
    return answer.json()


def _make_records(person: Session) -> tuple[int, int]:
    me = _api(person, "GET", "/staff?limit=200")["items"]
    staff = next(s["id"] for s in me if s["username"] == "casemanager")
    program = _api(person, "GET", "/programs")["items"][0]["id"]
    client = _api(
        person,
        "POST",
        "/clients",
        {
            "given_name": IMG,
            "family_name": "Inert {{7*7}}",
            "preferred_name": SCRIPT,
            "birth_date": "1950-02-03",
            "preferences": f"{TEMPLATE} {LINK}",
            "confirmed_new_person": True,
        },
    )
    case = _api(
        person,
        "POST",
        "/cases",
        {
            "client": client["id"], "program": program, "primary_case_manager": staff,
            "referral_source": "self", "referral_reason": f"{SCRIPT} {IMG}",
            "referred_on": "2026-01-05",
        },
    )  # fmt: skip
    _api(
        person,
        "POST",
        f"/cases/{case['id']}/notes",
        {
            "occurred_at": "2026-01-05T15:00:00Z", "mode": "phone", "format": "soap",
            "subjective": SCRIPT, "objective": IMG, "assessment": TEMPLATE, "plan": LINK,
        },
    )  # fmt: skip
    return int(client["id"]), int(case["id"])


def test_hostile_text_is_shown_as_text_and_never_runs(person: Session) -> None:
    dialogs: list[str] = []
    person.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    person.page.context.add_init_script(WATCH)
    person.sign_in("casemanager")
    client, case = _make_records(person)

    shown = {
        f"/clients/{client}/": [IMG, SCRIPT, "Inert {{7*7}}", TEMPLATE, LINK],
        "/clients/?q=inert": [IMG, "Inert {{7*7}}"],
        f"/cases/{case}/": [IMG, SCRIPT],
        f"/cases/{case}/notes/": [SCRIPT, IMG, TEMPLATE, LINK],
    }
    for path, texts in shown.items():
        person.go(path)
        person.page.wait_for_load_state("networkidle")
        main = person.page.locator("main")
        for text in texts:
            expect(main).to_contain_text(text)
        assert person.page.evaluate("typeof window.__pwned") == "undefined", path
        assert person.page.evaluate("window.__csp") == [], path
        assert person.page.locator("a[href^='javascript:' i]").count() == 0, path
        assert person.page.locator("main img[src='x'], main script").count() == 0, path
    assert dialogs == []
    # Beside the listener above: a refused inline script also logs a console error.
    assert not [e for e in person.console_errors if "Content Security Policy" in e]
