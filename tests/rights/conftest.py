"""Fixtures and helpers shared by the rights tests: a third organisation, a film, and short
ways to record a holding or a grant with the defaults most tests need."""

import io

import pytest

from kinomost.catalog.services import WorkInput, save_work
from kinomost.parties import services as parties
from kinomost.rights import ledger
from kinomost.rights.avails import export
from kinomost.rights.ledger import ContractInput, TermInput
from tests.rights.avails_schema import SCHEMAS, validate_avails_xml


def make_work(org, ref, kind="feature", parent_ref=None):
    return save_work(org, WorkInput(ref=ref, kind=kind, titles={"en": ref.title()}, parent_ref=parent_ref))[0]


def hold(org, works, territories="WORLD", media="all", start="2026-01-01", end=None, exclusive=True, sublicensable=True, ref="ACQ-1", **extra):
    term = TermInput(works=works, territories=territories, media=media, start=start, end=end, exclusive=exclusive, sublicensable=sublicensable, **extra)
    return ledger.record_holding(org, term, contract=ContractInput(reference=ref))


def give(licensor, licensee, works, territories="CN", media="svod", start="2027-01-01", end="2030-01-01", exclusive=True, ref="LIC-1", sublicensable=False, **extra):
    term = TermInput(works=works, territories=territories, media=media, start=start, end=end, exclusive=exclusive, sublicensable=sublicensable, **extra)
    return ledger.grant(licensor, licensee, term, contract=ContractInput(reference=ref))


@pytest.fixture
def org_c(db):
    return parties.create_organisation(slug="kazakh-film", name="Kazakhfilm", kind="distributor", country="KZ")


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
