"""`kinomost demo-royalties`: the demo cinema's licensors get monthly statements with shares, an
MG being recouped and RUB → USD conversion; a second run changes nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from kinomost.cinema.viewing_models import PlaybackSession, Revenue
from kinomost.parties.context import Actor
from kinomost.parties.models import Organisation, Role
from kinomost.royalties import periods, statements
from django.utils import timezone
from tests.cinema.test_storefront_demo import scenario_orgs  # noqa: F401  (the demo's organisations and titles)

pytestmark = pytest.mark.django_db


def test_the_demo_quarter_shows_shares_a_guarantee_recouped_and_conversion(scenario_orgs, capsys):  # noqa: F811
    call_command("demo-cinema")
    call_command("demo-royalties")
    assert "simulated" in capsys.readouterr().out
    counts = (Revenue.objects.count(), PlaybackSession.objects.count())
    call_command("demo-royalties")
    assert (Revenue.objects.count(), PlaybackSession.objects.count()) == counts

    actor = Actor(organisation=Organisation.objects.get(slug="severny-films"), role=Role.READ_ONLY)
    month = periods.containing(timezone.localdate(), "month")
    months = [month.previous().previous().previous(), month.previous().previous(), month.previous()]
    docs = [statements.statements_for(actor, m.label, counterparty="longbo-kino", reference="SEV-LBK-FILMS")[0] for m in months]
    assert all(Decimal(d["royalty"]) > 0 and d["fx"][0]["currency"] == "RUB" and d["fx"][0]["into"] == "USD" for d in docs)
    recouped = [Decimal(d["minimum_guarantee"]["recouped_before"]) + Decimal(d["minimum_guarantee"]["recouped_now"]) for d in docs]
    assert recouped == sorted(recouped) and recouped[0] > 0  # the guarantee is recouped month by month
    assert Decimal(docs[0]["minimum_guarantee"]["remaining"]) > 0
