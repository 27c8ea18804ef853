"""The balance of the exchange gains royalties paid each way: a closed statement's royalty beyond
the guarantee shows on the licensor → licensee flow of its period."""

import pytest

from kinomost.exchange import balance as exchange_balance
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from kinomost.royalties.statements import close

from .conftest import moment

pytestmark = pytest.mark.django_db


def test_closed_royalties_show_in_the_balance_each_way(world):
    (film,) = world.works("film")
    contract = world.licence([film], {"currency": "USD", "revenue_share": "50", "minimum_guarantee": "100"})
    world.usage(contract, film, "2027-02", receipts="1000")  # 500 earned, 100 recoups the MG: 400 beyond it
    actor = Actor(organisation=world.licensor, role=Role.READ_ONLY)
    open_balance = exchange_balance.balance(actor, "rus-media", "shanghai-media", by="quarter")
    assert dict(open_balance.total.a_to_b.royalties) == {}  # an open statement may still change: not counted
    close("2027-Q1", now=moment("2027-04-02T00:00"))
    result = exchange_balance.balance(actor, "rus-media", "shanghai-media", by="quarter")
    row = next(r for r in result.rows if r.period == "2027-Q1")
    assert row.as_dict()["a_to_b"]["royalties"] == {"USD": "400.00"} and row.as_dict()["b_to_a"]["royalties"] == {}
    assert result.total.as_dict()["a_to_b"]["royalties"] == {"USD": "400.00"}
