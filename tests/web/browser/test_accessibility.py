"""axe-core on the main pages: no serious or critical WCAG 2.1 A/AA violation.

axe-core comes from the npm registry at test time (``.ci/run`` installs it into a scratch
folder and sets ``CASEWORK_AXE``); it is never committed. Without it the test is skipped.
axe is injected through the DevTools protocol in a context that bypasses the page's CSP,
which would (rightly) refuse the injected script.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser.conftest import Session

pytestmark = pytest.mark.browser

AXE = os.environ.get("CASEWORK_AXE", "")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(session: Session, source: str) -> list[dict[str, Any]]:
    session.page.evaluate(source)
    found: list[dict[str, Any]] = session.page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))",
        WCAG_AA,
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.skipif(
    not os.environ.get("CI") and (not AXE or not Path(AXE).exists()),
    reason="axe-core is not installed (CI installs it and must run this)",
)
def test_main_pages_have_no_serious_accessibility_violations(browser: Any, base_url: str) -> None:
    source = Path(AXE).read_text()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    session = Session(context.new_page(), base_url)
    problems: dict[str, list[dict[str, Any]]] = {}

    def check(path: str) -> None:
        session.go(path)
        found = violations(session, source)
        if found:
            problems[path] = found

    check("/accounts/login/")
    session.sign_in("casemanager")
    check("/")
    session.page.locator("table.caseload a.row-title").first.click()
    case = session.page.url.rstrip("/").split("/cases/")[1].split("/")[0]
    for tab in ("", "screening/", "assessment/", "risk/", "plan/", "transitions/", "notes/",
                "evaluation/", "instruments/", "history/", "instruments/phq9/"):  # fmt: skip
        check(f"/cases/{case}/{tab}")
    check("/clients/?q=a")
    check("/referrals/new/")
    check("/staff/")
    session.page.get_by_role("link", name="Grace Okafor").first.click()
    check(session.page.url.removeprefix(base_url))  # one's own page, with the credential forms
    session.sign_in("supervisor")
    check("/supervision/")
    session.sign_in("auditor")
    check("/audit/")
    context.close()
    assert not problems, problems
