"""What every end-to-end test in real Chromium shares: the browser (Debian's, driven by Playwright
from PyPI: browser downloads are not possible here), pages that report what their
Content-Security-Policy refused and any script error, logging in, screenshots into
test-artifacts/, and axe-core. The ``browser`` and ``open_page`` fixtures are every app's (the root
conftest loads this module as a plugin); a module may define its own ``browser`` (other flags)."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from reservations.tests.fixtures import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE = django_settings.BASE_DIR / "frontend" / "node_modules" / "axe-core" / "axe.min.js"

# Every page reports what its Content-Security-Policy refused, on the console where the test hears it.
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`securitypolicyviolation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@contextmanager
def chromium(*extra_args: str) -> Iterator:
    """Headless Chromium, or a skip (a failure in CI) when it is not installed."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI and is missing at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium to run the browser tests")
    if not (django_settings.FRONTEND_DIST / "index.html").is_file():
        pytest.fail("The React app is not built: run `cd frontend && npm run build` (make test does).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django must still let the test use the ORM.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                *extra_args,
            ],
        )
        yield browser
        browser.close()


class Watched:
    """What a page said that a test must not ignore: Content-Security-Policy violations (Chromium's
    own "Refused to ..." errors and the securitypolicyviolation events) and uncaught errors."""

    def __init__(self, page):
        self.csp: list[str] = []
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message) -> None:
        text = message.text
        if "securitypolicyviolation" in text or "Content Security Policy" in text:
            self.csp.append(text)


@contextmanager
def page_opener(browser, base_url: str) -> Iterator:
    """``open_(path, **context_options)``: a page in a new browser context, watched; every context
    is closed after. ``open_.watched`` maps each page to what it reported."""
    contexts, watched = [], {}

    def open_(path: str = "/", **context_options):
        # The app writes amounts in the browser's language ("€85.00" in English, "85,00 €" in German):
        # the tests read English whatever the machine's own locale.
        context = browser.new_context(base_url=base_url, **{"locale": "en-US", **context_options})
        context.set_default_timeout(10_000)
        context.add_init_script(REPORT_CSP)
        contexts.append(context)
        page = context.new_page()
        watched[page] = Watched(page)
        page.goto(path)
        return page

    open_.watched = watched
    try:
        yield open_
    finally:
        for context in contexts:
            context.close()


def assert_page_clean(open_page) -> None:
    """No page opened by ``open_page`` broke its Content-Security-Policy or threw."""
    for page, seen in open_page.watched.items():
        assert seen.csp == [], f"Content-Security-Policy violations on {page.url}: {seen.csp}"
        assert seen.errors == [], f"errors on {page.url}: {seen.errors}"


def device(width: int) -> dict:
    """The browser context of a screen ``width`` px wide: below 600 px a phone (touch, mobile
    viewport, 844 px high), else a laptop's 900 px high window."""
    if width < 600:
        return {"viewport": {"width": width, "height": 844}, "is_mobile": True, "has_touch": True}
    return {"viewport": {"width": width, "height": 900}}


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def shoot(page, name: str) -> None:
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def axe_violations(page) -> list:
    """axe-core (from the frontend's npm packages) run in the page: the violations it finds. The
    script is evaluated rather than added as a <script> element, which the CSP would refuse."""
    page.evaluate(AXE.read_text())
    return page.evaluate(
        "axe.run().then(r => r.violations.map("
        "v => [v.id, v.impact, v.nodes.map(n => n.target[0]).slice(0, 3)]))"
    )


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def open_page(browser, live_server):
    with page_opener(browser, live_server.url) as open_:
        yield open_
    assert_page_clean(open_)  # no test's page broke the Content-Security-Policy or threw


def seat(page, number: str):
    """A seat's button on the map, by its number (its accessible name starts with it)."""
    import re

    return page.get_by_role("button", name=re.compile(rf"^{number}, "))
