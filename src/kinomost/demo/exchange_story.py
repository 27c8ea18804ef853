"""The demo's exchange story, told through the exchange's own services (never raw rows), so every
step is validated, audited and leaves its notices in both inboxes:

1. Severny Media Group acquires its studio's 300 features (a holding in the ledger) and offers
   them to Shanghai Pearl Media for Chinese online (SVOD) rights;
2. Pearl counter-proposes a lower fee; Severny accepts, Pearl countersigns and Severny signs —
   300 grants appear in the ledger, and Pearl's share-of-catalogue counter (China, online) moves past its soft limit;
3. a smaller theatrical deal on revenue share for the headliners moves the nationwide counter of
   China's 34 foreign films a year;
4. Pearl licenses its own features to Severny for Russian SVOD: Severny takes all but five, which
   is a counter-proposal (the package's money was for all of them), Pearl accepts it, Severny
   countersigns and Pearl signs — so the balance of the exchange shows content flowing both ways.

Runs inside `scenario.load()`'s transaction: it is there entirely or not at all.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kinomost.catalog import selectors as catalog
from kinomost.exchange import approvals, deals, offers
from kinomost.exchange.proposals import ProposalInput
from kinomost.parties.context import Actor
from kinomost.parties.models import Organisation, Role, User
from kinomost.rights import ledger
from kinomost.rights.ledger import ContractInput, TermInput

CN_SVOD = {"territories": ["CN"], "media": ["svod"], "start": "2027-01-01", "end": "2030-01-01", "exclusive": True}
CN_THEATRICAL = {"territories": ["CN"], "media": ["theatrical"], "start": "2027-03-01", "end": "2028-03-01"}
RU_SVOD = {"territories": ["RU"], "media": ["svod"], "start": "2027-01-01", "end": "2029-01-01", "exclusive": True}
HEADLINERS = 12
CHINESE_PACKAGE = 40


def tell(orgs: dict[str, Organisation]) -> None:
    severny = _actor(orgs["severny-media"], "anna@severny.example", Role.OWNER)
    pearl = _actor(orgs["pearl-media"], "lina@pearl.example", Role.LICENSING_MANAGER)
    features = list(catalog.works_owned_by(orgs["severny-films"]).filter(kind="feature", ref__startswith="SEV-F-").order_by("ref"))
    chinese = list(catalog.works_owned_by(orgs["pearl-media"]).filter(kind="feature", is_listed=True).order_by("ref")[:CHINESE_PACKAGE])
    if not features or not chinese:
        return  # a scenario loaded without its catalogue (tests of logins only) has no story to tell
    _holdings(orgs, features, chinese)

    _main_package(severny, pearl, features)
    _headliners_in_cinemas(severny, pearl, features[:HEADLINERS])
    _chinese_films_to_russia(severny, pearl, chinese)
    _permits(pearl, features[:2])


def _actor(org: Organisation, email: str, role: str) -> Actor:
    return Actor(organisation=org, role=role, user=User.objects.filter(email=email).first())


def _holdings(orgs, features, chinese) -> None:
    """The group acquires its studio's features for the markets of the story (sublicensable);
    Pearl holds its own. Not WORLD × all media: that is ~7,200 atoms a work, two million for the
    package, and the demo loads in every test run."""
    start = "2020-01-01"
    markets, media = "GREATER_CHINA,CIS", "theatrical,tv,vod"
    ledger.record_holding(
        orgs["severny-media"],
        TermInput(works=features, territories=markets, media=media, start=start, exclusive=True, sublicensable=True),
        contract=ContractInput(reference="SEV-GROUP-LIBRARY"),
        licensor=orgs["severny-films"],
    )
    ledger.record_holding(
        orgs["pearl-media"],
        TermInput(works=chinese, territories=markets, media=media, start=start, exclusive=True, sublicensable=True),
        contract=ContractInput(reference="PEARL-LIBRARY"),
    )


def _expiry():
    return timezone.localdate() + timedelta(days=30)


def _main_package(severny: Actor, pearl: Actor, features):
    """300 features for Chinese SVOD: offered, countered, accepted, countersigned, signed."""
    offer = offers.create_offer(
        severny,
        name="Северный свет: 300 фильмов · Northern Light: 300 features",
        proposal=ProposalInput(
            works=features, terms=[CN_SVOD], currency="USD", fee_per_work=Decimal("2000"), minimum_guarantee=Decimal("100000")
        ),
        message="Дорогие коллеги, предлагаем весь наш пакет игрового кино для онлайн-показа в Китае. "
        "Dear colleagues, our whole feature package for online in China.",
        expires_on=_expiry(),
    )
    (deal,) = offers.send_offer(severny, offer.pk, ["pearl-media"])
    counter = ProposalInput(
        works=features,
        terms=[CN_SVOD],
        currency="USD",
        fee_per_work=Decimal("1500"),
        minimum_guarantee=Decimal("100000"),
        revenue_share=Decimal("20"),
    )
    deals.counter(pearl, deal.pk, counter, note="1500 USD per film · 每部1500美元")
    deals.post_message(
        pearl, deal.pk, "我们对整个片库很感兴趣，但每部1500美元更合适。We like the whole library; 1,500 USD a film fits better."
    )
    deals.accept(severny, deal.pk)
    deals.countersign(pearl, deal.pk, on_date="2026-04-18")
    deals.sign(severny, deal.pk, on_date="2026-04-20")
    return deal


def _headliners_in_cinemas(severny: Actor, pearl: Actor, headliners) -> None:
    """Theatrical on revenue share: counted against China's foreign-film quota."""
    deal = deals.create_deal(
        severny,
        pearl.organisation,
        ProposalInput(
            works=headliners,
            terms=[CN_THEATRICAL],
            currency="USD",
            revenue_share=Decimal("25"),
            minimum_guarantee=Decimal("50000"),
        ),
        name="Хиты в кинотеатрах Китая · Headliners in Chinese cinemas",
        expires_on=_expiry(),
    )
    deals.propose(severny, deal.pk)
    deals.accept(pearl, deal.pk)
    deals.countersign(pearl, deal.pk, on_date="2026-05-14")
    deals.sign(severny, deal.pk, on_date="2026-05-15")


def _chinese_films_to_russia(severny: Actor, pearl: Actor, chinese) -> None:
    """The other direction: Pearl's features for Russian SVOD; Severny's selection is a
    counter-proposal that Pearl accepts."""
    offer = offers.create_offer(
        pearl,
        name="明珠影业精选 · Pearl selection for Russia",
        proposal=ProposalInput(works=chinese, terms=[RU_SVOD], currency="USD", fee_per_work=Decimal("1800")),
        message="欢迎选择。Choose what suits your audience.",
        expires_on=_expiry(),
    )
    (deal,) = offers.send_offer(pearl, offer.pk, ["severny-media"])
    deals.accept(severny, deal.pk, works=chinese[: max(1, len(chinese) - 5)])  # fewer works: a counter-proposal
    deals.accept(pearl, deal.pk)
    deals.countersign(severny, deal.pk, on_date="2026-08-08")
    deals.sign(pearl, deal.pk, on_date="2026-08-10")


def _permits(pearl: Actor, works) -> None:
    """Pearl records the public screening permits of two headliners (it now holds rights in China)."""
    for n, work in enumerate(works, start=1):
        approvals.record_approval(
            pearl,
            work_id=work.pk,
            territory="CN",
            kind="cn_screening_permit",
            status="granted",
            number=f"电审进字2026第{n:03d}号",
            issued_on="2026-06-01",
        )
