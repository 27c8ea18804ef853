"""A developer opens the interactive API docs (Swagger UI, served by django-ninja from our own
static files) and tries an operation, all under the site's Content-Security-Policy."""

import pytest

from tests.e2e.studio import assert_clean

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_draws_the_operations_under_the_policy(live_server, page):
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_url(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock-tag")
    assert "Kinomost API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".swagger-ui .opblock-summary").first.click()  # expands an operation (Swagger's own scripts)
    page.wait_for_selector(".swagger-ui .opblock-body")
    assert_clean(page)
