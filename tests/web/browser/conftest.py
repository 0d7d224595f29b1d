"""A real Casework server with the demo agency, and a real Chromium, for the browser tests.

The server is ``casework serve`` in a subprocess on a free localhost port, with its own data
directory (SQLite) and the demo loaded once for the session. Chromium is Debian's
(``/usr/bin/chromium``); the tests skip when it or Playwright is not installed.
Screenshots go to ``test-artifacts/screenshots/`` (gitignored) for people to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "demo"
ROOT = Path(__file__).resolve().parents[3]
SHOTS = ROOT / "test-artifacts" / "screenshots"

# A developer without a browser may skip these; CI (which installs both) must run them.
if os.environ.get("CI"):
    import playwright.sync_api as sync_api

    assert Path(CHROMIUM).exists(), "CI needs Debian's chromium (.ci/run installs it)"
else:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _casework(*args: str, env: dict[str, str], **kwargs: Any) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "casework.cli", *args], env=env, check=True, **kwargs
    )


@pytest.fixture(scope="session")
def server_env() -> Iterator[dict[str, str]]:
    data = tempfile.mkdtemp(prefix="casework-browser-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # SQLite in its own folder: the browser tests never touch the suite's database.
    env.update(CASEWORK_DATA_DIR=data, CASEWORK_DEBUG="0", PYTHONUNBUFFERED="1")
    yield env
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def base_url(server_env: dict[str, str]) -> Iterator[str]:
    _casework("demo", "--password", PASSWORD, env=server_env, capture_output=True)
    port = _free_port()
    log = open(Path(server_env["CASEWORK_DATA_DIR"]) / "serve.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "casework.cli", "serve", "--port", str(port)],
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/accounts/login/", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            text = (Path(server_env["CASEWORK_DATA_DIR"]) / "serve.log").read_text()
            raise RuntimeError(f"casework serve did not start:\n{text[-3000:]}")
        time.sleep(0.3)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Session:
    """A person at the browser: signs in, goes to pages, keeps screenshots."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        page.on(
            "console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None
        )

    def go(self, path: str) -> Any:
        return self.page.goto(self.base_url + path)

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        self.go("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.locator("main").get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Any:
    report = yield
    if report.when == "call":
        item.failed_call = report.failed
    return report


@pytest.fixture
def person(browser: Any, base_url: str, request: Any) -> Iterator[Session]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    session = Session(context.new_page(), base_url)
    yield session
    if getattr(request.node, "failed_call", False):
        # What the page showed when the test failed, for the person reading the CI log.
        session.shot(f"FAILED-{request.node.name}")
        errors = session.page.locator(".errorlist, .form-errors").all_text_contents()
        print("errors on the page:", errors)
    context.close()
    # A strict CSP refuses inline code with a console error: there must be none.
    assert not [e for e in session.console_errors if "Content Security Policy" in e]
