"""Fixtures and helpers shared by the rights tests: a third organisation, a film, and short
ways to record a holding or a grant with the defaults most tests need."""

import pytest

from kinomost.catalog.services import WorkInput, save_work
from kinomost.parties import services as parties
from kinomost.rights import ledger
from kinomost.rights.ledger import ContractInput, TermInput


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
