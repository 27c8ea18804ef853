"""What the browser tests share: signing in to the studio and screenshots for a person to look at."""

import os

from tests.conftest import PASSWORD

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
