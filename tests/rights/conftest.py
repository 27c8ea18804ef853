"""Fixtures and helpers shared by the rights tests: a third organisation, a film, and short
ways to record a holding or a grant with the defaults most tests need."""

import io

import pytest

from kinomost.rights.avails import export
from tests.factories import give, hold, make_work  # noqa: F401 (the helpers once lived here)
from tests.rights.avails_schema import SCHEMAS, validate_avails_xml


@pytest.fixture
def film(org_a):
    return make_work(org_a, "brother")


@pytest.fixture(autouse=True)
def every_avails_xml_is_schema_valid(monkeypatch):
    """Each avails XML a rights test writes (export, round trip, API, CLI) is checked against the
    official schema of the version it declares, so no test can pass on an invalid document."""
    if not SCHEMAS.is_dir():
        yield
        return
    original = export._write_document

    def checked(root, target):
        buffer = io.BytesIO()
        original(root, buffer)
        errors = validate_avails_xml(buffer.getvalue())
        assert errors == [], f"the avails XML written is not schema-valid: {errors[:5]}"
        original(root, target)

    monkeypatch.setattr(export, "_write_document", checked)
    yield
