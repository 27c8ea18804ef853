"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against a live server.

They skip, saying why, only where no Chromium is installed (CI installs it in .ci/run).
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("KINOMOST_CHROMIUM", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: Playwright's sync API keeps an event loop running in this
    thread while it is open, so a session-wide browser broke every later test on the same worker
    that runs its own loop (asyncio.run, async_to_sync: the ASGI and health tests)."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium) to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    from tests.e2e.studio import watch_console

    context = browser.new_context(locale="en-GB")
    page = watch_console(context.new_page())
    page.set_default_timeout(10_000)
    yield page
    context.close()
