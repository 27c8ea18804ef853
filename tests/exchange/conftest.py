"""Exchange fixtures: a seller (org_a) holding a small catalogue, a buyer (org_b), a stranger
(org_c), and short ways to draft, propose and agree a deal."""

import pytest

from kinomost.exchange import deals
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from tests.factories import CN_SVOD, hold, make_work, proposal  # noqa: F401 (CN_SVOD, proposal: the helpers once lived here)


@pytest.fixture
def catalogue(org_a):
    """Three films of A, held in China, Russia and Kazakhstan with every right, sublicensable."""
    works = [make_work(org_a, f"film-{i}") for i in range(1, 4)]
    hold(org_a, works, territories=["CN", "RU", "KZ"])
    return works


@pytest.fixture
def actor_c(org_c):
    return Actor(organisation=org_c, role=Role.LICENSING_MANAGER)


@pytest.fixture
def reader_a(org_a):
    return Actor(organisation=org_a, role=Role.READ_ONLY)


@pytest.fixture
def proposed(actor_a, org_b, catalogue):
    deal = deals.create_deal(actor_a, org_b, proposal(catalogue), name="First package")
    return deals.propose(actor_a, deal.pk)


@pytest.fixture
def agreed(proposed, actor_b):
    return deals.accept(actor_b, proposed.pk)


@pytest.fixture
def countersigned(agreed, actor_b):
    """Agreed and countersigned by the licensee: the licensor's signature is what remains."""
    return deals.countersign(actor_b, agreed.pk)
