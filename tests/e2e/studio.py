"""What the browser tests share: signing in to the studio and screenshots for a person to look at."""

import os

from tests.factories import PASSWORD

SCREENSHOTS = os.environ.get("KINOMOST_SCREENSHOTS")  # a folder, to look at the pages by eye


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def sign_in(page, live_server, user) -> None:
    """The studio's sign-in form, as a member types it (PASSWORD is every test member's)."""
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


# Registered before any script of every document: each Content-Security-Policy violation goes
# into window.__csp and, so that it outlives the document, to the console as "CSP violation: …".
_CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const what = `${e.effectiveDirective} refused ${e.blockedURI || "inline"} at ${e.sourceFile || "?"}:${e.lineNumber}`;
  window.__csp.push(what);
  console.error("CSP violation: " + what);
});
"""


def watch_console(page):
    """Collect the page's console errors and uncaught exceptions, across navigations, in
    page.console_errors; CSP violations are among them (see _CSP_LISTENER)."""
    page.add_init_script(_CSP_LISTENER)
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(f"{m.text} ({m.location.get('url')})") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(f"uncaught: {e}"))
    return page


def csp_violations(page) -> list[str]:
    """Every violation since the page was opened: the current document's window.__csp and the
    console's record of earlier documents'."""
    current = page.evaluate("window.__csp || []")
    logged = [e.removeprefix("CSP violation: ") for e in page.console_errors if e.startswith("CSP violation: ")]
    refused = [e for e in page.console_errors if "Content Security Policy" in e]  # Chromium's own report
    return sorted(set(current) | set(logged)) + refused


def assert_clean(page, expected_errors=()) -> None:
    """No CSP violation and no console error (other than those containing one of expected_errors)."""
    violations = csp_violations(page)
    assert violations == [], violations
    expected = tuple(expected_errors)  # /favicon.ico answers (web.views.favicon): a 404 for it is an error too
    errors = [e for e in page.console_errors if not any(x in e for x in expected)]
    assert errors == [], errors
