"""The demo's money: a quarter of simulated viewing and payments on Longbo Kino (the demo's
Russian online cinema, prices in RUB) and usage of the Chinese SVOD deal reported by import.

- Three full months before the current one, on Longbo Kino: subscription periods at its RUB price
  (the SVOD pool), TVOD rentals of the films, and viewing sessions of the films and the series'
  episodes (each naming its licence, as playback records it), so the monthly statements of
  Northern Light Films (40 % share, a 1,000 USD MG being recouped month by month) and Sever TV
  (50 %) show shares and RUB → USD conversion at the Bank of Russia's (demo) rates.
- Pearl Media (the licensee of the 300-feature CN SVOD deal) imports its platform's usage for
  the first three months of that licence in CNY, converted at (demo) PBOC rates.
Written once: a second run finds its rows and changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kinomost.catalog.models import Work
from kinomost.cinema.models import Asset, Platform
from kinomost.cinema.viewing_models import PlaybackSession, Revenue, RevenueKind, Viewer
from kinomost.core.errors import NotFound
from kinomost.parties.context import Actor
from kinomost.parties.models import Organisation, Role
from kinomost.rights import licensed
from kinomost.rights.models import Contract
from kinomost.royalties import fx, periods, usage

PROVIDER = "demo-royalties"
SUBSCRIBERS = 300  # subscription periods charged a month
RENTALS = 40  # TVOD rentals a month
SESSIONS = 1500  # viewing sessions a month
USD_RUB = ("92.40", "95.10", "97.30")  # one per simulated month (demo figures, not the CBR's)
USD_CNY = ("7.12", "7.15", "7.18")


def simulate(today: date | None = None) -> dict:
    today = today or timezone.localdate()
    platform = Platform.objects.filter(organisation__slug="longbo-kino", slug="kino").first()
    if platform is None:
        raise NotFound("the demo storefront is not open: run `kinomost demo` and `kinomost demo-cinema` first")
    if Revenue.objects.filter(platform=platform, provider=PROVIDER).exists():
        return {"already": True}
    first = periods.containing(today, "month").previous().previous().previous()
    months = [first, first.next(), first.next().next()]
    rng = random.Random(2027)
    with transaction.atomic():
        viewer = Viewer.objects.filter(platform=platform).order_by("id").first()
        profile = viewer.profiles.order_by("id").first()
        assets = {a.work_id: a for a in Asset.objects.filter(platform=platform)}
        playable = [w for w in assets]
        for i, month in enumerate(months):
            fx.import_rates(_rates_csv(month, "USD", "RUB", USD_RUB[i], "CBR (demo)"))
            start = timezone.make_aware(datetime(month.start.year, month.start.month, 1))
            days = (month.end - month.start).days
            Revenue.objects.bulk_create(
                Revenue(
                    platform=platform,
                    organisation_id=platform.organisation_id,
                    viewer=viewer,
                    kind=RevenueKind.SUBSCRIPTION,
                    media="svod",
                    territory="RU",
                    amount=Decimal(platform.prices["svod"]),
                    currency=platform.currency,
                    at=start + timedelta(minutes=rng.randrange(days * 1440)),
                    provider=PROVIDER,
                    reference=f"sub-{month}-{n}",
                )
                for n in range(SUBSCRIBERS)
            )
            for n in range(RENTALS):
                work_id = rng.choice(playable)
                at = start + timedelta(minutes=rng.randrange(days * 1440))
                licence = licensed.licence_of(platform.organisation_id, work_id, "RU", "tvod", at.date())
                if licence:
                    Revenue.objects.create(
                        platform=platform,
                        organisation_id=platform.organisation_id,
                        viewer=viewer,
                        kind=RevenueKind.RENTAL,
                        media="tvod",
                        work_id=work_id,
                        contract_id=licence[0],
                        term_id=licence[1],
                        territory="RU",
                        amount=Decimal(platform.prices["tvod"]),
                        currency=platform.currency,
                        at=at,
                        provider=PROVIDER,
                        reference=f"rent-{month}-{n}",
                    )
            sessions = []
            for _ in range(SESSIONS):
                work_id = rng.choices(playable, weights=[1 / (k + 1) for k in range(len(playable))])[0]
                at = start + timedelta(minutes=rng.randrange(days * 1440))
                licence = licensed.licence_of(platform.organisation_id, work_id, "RU", "svod", at.date()) or (None, None)
                seconds = float(rng.choice([30, rng.randrange(600, 6000)]))
                sessions.append(
                    PlaybackSession(
                        viewer=viewer,
                        profile=profile,
                        asset=assets[work_id],
                        work_id=work_id,
                        territory="RU",
                        media="svod",
                        last_heartbeat_at=at,
                        token_expires_at=at,
                        ended_at=at + timedelta(seconds=seconds),
                        seconds_watched=seconds,
                        contract_id=licence[0],
                        term_id=licence[1],
                    )
                )
            made = PlaybackSession.objects.bulk_create(sessions)
            for session, original in zip(made, sessions):  # started_at is set on creation: move it into the month
                PlaybackSession.objects.filter(pk=session.pk).update(started_at=original.last_heartbeat_at)
        imported = _pearl_usage(rng)
    return {"months": [m.label for m in months], "pearl_rows": imported}


def _rates_csv(month, base, quote, rate, source) -> bytes:
    days = [month.start + timedelta(days=d) for d in (0, 10, 20)]
    lines = ["date,base,quote,rate,source"] + [
        f"{d.isoformat()},{base},{quote},{Decimal(rate) + Decimal(k) / 10},{source}" for k, d in enumerate(days)
    ]
    return ("\n".join(lines) + "\n").encode()


def _pearl_usage(rng) -> int:
    """Pearl's CN SVOD platform reports the first three months of the 300-feature licence."""
    pearl = Organisation.objects.filter(slug="pearl-media").first()
    contract = Contract.objects.filter(licensee=pearl, external_ref__startswith="exchange.deal:").exclude(money={}).order_by("id").first()
    if contract is None:
        return 0
    term = contract.terms.order_by("start").first()
    month = periods.containing(term.start, "month")
    works = list(Work.objects.filter(rights_terms=term).order_by("ref").values_list("ref", flat=True)[:12])
    rows = ["period,platform,work,territory,media,views,seconds,receipts,currency"]
    for i in range(3):
        fx.import_rates(_rates_csv(month, "USD", "CNY", USD_CNY[i], "PBOC (demo)"))
        for ref in works:
            views = rng.randrange(2000, 60000)
            rows.append(f"{month.label},Pearl Video,{ref},CN,svod,{views},{views * rng.randrange(1800, 5400)},{views * 2}.00,CNY")
        month = month.next()
    result = usage.import_usage(
        Actor(organisation=pearl, role=Role.LICENSING_MANAGER), ("\n".join(rows) + "\n").encode(), "pearl-video.csv"
    )
    return result.created
