"""The demo's exchange story on a small catalogue (the full demo is loaded in test_demo.py): an
offer, a counter-proposal, signatures, grants in the ledger, the Chinese quota counters moving
and the balance showing both directions — all through the exchange's services."""

from kinomost.catalog.services import WorkInput, save_work
from kinomost.demo import exchange_story
from kinomost.exchange import balance as exchange_balance
from kinomost.exchange import quota_usage
from kinomost.exchange.models import Deal, DealState, Notification
from kinomost.parties import services as parties
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from kinomost.rights.models import Contract


def _market(db):
    orgs = {
        slug: parties.create_organisation(slug=slug, name=slug, kind=kind, country=country, parent_slug=parent)
        for slug, kind, country, parent in [
            ("severny-media", "media_group", "RU", None),
            ("severny-films", "producer", "RU", "severny-media"),
            ("pearl-media", "media_group", "CN", None),
        ]
    }
    parties.create_member(email="anna@severny.example", organisation=orgs["severny-media"], role=Role.OWNER, password="x" * 16)
    parties.create_member(email="lina@pearl.example", organisation=orgs["pearl-media"], role=Role.LICENSING_MANAGER, password="x" * 16)
    for n in range(1, 16):
        save_work(
            orgs["severny-films"],
            WorkInput(
                ref=f"SEV-F-{n:04d}", kind="feature", titles={"ru": f"Фильм {n}"}, runtime_minutes=100, countries=["RU"], is_listed=True
            ),
        )
    for n in range(1, 8):
        save_work(
            orgs["pearl-media"],
            WorkInput(
                ref=f"PEARL-F-{n:04d}", kind="feature", titles={"zh-Hans": f"电影{n}"}, runtime_minutes=90, countries=["CN"], is_listed=True
            ),
        )
    return orgs


def test_the_story_negotiates_signs_and_flows_both_ways(db):
    orgs = _market(db)
    exchange_story.tell(orgs)

    main = Deal.objects.get(licensor=orgs["severny-media"], licensee=orgs["pearl-media"], offer__isnull=False)
    assert main.state == DealState.SIGNED and main.versions.count() == 2  # offered, countered, accepted
    assert main.versions.get(number=2).fee_per_work == 1500
    assert Contract.objects.filter(external_ref=f"exchange.deal:{main.pk}").exists()
    back = Deal.objects.get(licensor=orgs["pearl-media"], licensee=orgs["severny-media"])
    assert back.state == DealState.SIGNED

    pearl = Actor(organisation=orgs["pearl-media"], role=Role.LICENSING_MANAGER)
    counters = {c.rule.media: c for c in quota_usage.quota_counters(pearl, territory="CN", year=2027)}
    assert counters["theatrical"].used == exchange_story.HEADLINERS
    assert counters["vod"].used > 0
    assert Notification.objects.filter(organisation=orgs["pearl-media"], kind="offer_received").exists()

    total = exchange_balance.balance(pearl, "severny-media", "pearl-media", by="quarter").total
    assert len(total.a_to_b.works) == 15 and len(total.b_to_a.works) == 2  # 7 offered, a selection of 2 accepted
