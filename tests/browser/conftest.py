"""Browser fixtures: the app served by a real WSGI server on 127.0.0.1, and Chromium via Playwright."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route, expect, sync_playwright

from app import create_app
from app.auth.models import Organizer
from tests.browser.accessibility import Audit
from tests.factories import PASSWORD
from tests.waiting import wait_until
from tests.wsgi_server import serving

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Every expect() waits for its condition this long: well above any poll interval of the pages (the personal
# page asks every 5 s while an event runs, 15 s before it), so a test waits for the change, never races it.
EXPECT_TIMEOUT_MS = 30_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)
# Downloads that are built on request (the report's PDF) take seconds on a busy machine: wait for them.
DOWNLOAD_TIMEOUT_MS = 60_000
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "test-artifacts"))


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """Serve a second app on the same database, with CSRF on as in production, on a free local port."""
    served = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
            "WEBHOOK_ALLOW_PRIVATE": True,
            "MAIL_FROM": "summit@city.kobe.lg.jp",
        }
    )
    with serving(served) as url:
        yield url


# Console errors from the Content-Security-Policy (an inline script or style slipped into a page),
# collected from every page of every context and checked after each browser test.
CSP_VIOLATIONS: list[str] = []


def _watch_for_csp_violations(context: BrowserContext) -> BrowserContext:
    def _on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append(f"{message.location.get('url', '?')}: {message.text}")

    context.on("console", _on_console)
    return context


# axe-core's audit (WCAG 2.1 A/AA, best practices) of every kind of page the journeys open (see accessibility.py).
ACCESSIBILITY = Audit()
OPEN_CONTEXTS: list[BrowserContext] = []


@pytest.fixture(autouse=True)
def _commits_for_the_live_server(committed_db: object) -> None:
    """The live server reads from its own connections in its own threads: every browser test commits for real."""


@pytest.fixture(autouse=True)
def no_csp_or_accessibility_violations() -> Iterator[None]:
    """Every browser journey also proves that no page breaks the CSP (no inline code anywhere) and that
    every page it opened passes axe-core (WCAG 2.1 A/AA and best practices)."""
    CSP_VIOLATIONS.clear()
    ACCESSIBILITY.violations.clear()
    yield
    while OPEN_CONTEXTS:  # a journey that left a context open: audit it now
        OPEN_CONTEXTS.pop().close()
    assert CSP_VIOLATIONS == [], "pages broke the Content-Security-Policy:\n" + "\n".join(CSP_VIOLATIONS)
    assert ACCESSIBILITY.violations == [], "pages fail axe-core (WCAG 2.1 A/AA, best practices):\n" + "\n".join(
        ACCESSIBILITY.violations
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        open_context = launched.new_context

        def new_watched_context(*args: Any, **kwargs: Any) -> BrowserContext:
            context = _watch_for_csp_violations(open_context(*args, **kwargs))
            ACCESSIBILITY.watch(context)
            OPEN_CONTEXTS.append(context)
            context.on("close", lambda closed: OPEN_CONTEXTS.remove(closed) if closed in OPEN_CONTEXTS else None)
            return context

        launched.new_context = new_watched_context  # type: ignore[method-assign]
        yield launched
        launched.close()


def new_context(
    browser: Browser, *, locale: str = "ja-JP", timezone_id: str = "Asia/Tokyo", **kwargs: object
) -> BrowserContext:
    return browser.new_context(
        locale=locale, timezone_id=timezone_id, viewport={"width": 1280, "height": 900}, **kwargs
    )  # type: ignore[arg-type]


@pytest.fixture()
def page(browser: Browser, live_server: str, committed_db: object) -> Iterator[Page]:
    """A Japanese-speaking visitor in Tokyo."""
    context = new_context(browser)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page: Page, name: str) -> Path:
    """Keep a full-page screenshot under test-artifacts/ for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Page, base: str, organizer: Organizer) -> None:
    """Sign in as `organizer` (whose password is the factories' PASSWORD) and land on My events."""
    page.goto(f"{base}/login")
    page.fill("#email", organizer.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{base}/manage/")


def open_with_script_held(page: Page, url: str, script: str) -> Callable[[], None]:
    """Open `url` with its script `script` held back, as on a slow connection, so that the test can type before
    it runs; returns the function that lets the script through."""
    held: list[Route] = []
    page.route(f"**/js/{script}", lambda route: held.append(route))
    page.goto(url, wait_until="commit")

    def release() -> None:
        wait_until(lambda: page.evaluate("0") == 0 and bool(held), f"the browser to ask for {script}")
        held[0].continue_()

    return release
