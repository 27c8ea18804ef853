"""A licensor (Rus Media, org_a) that licenses works to a licensee (Shanghai Media, org_b) running
a Russian SVOD/TVOD platform selling in RUB; charges, viewing and imported usage are written
as the cinema and the import write them, at chosen moments, so statements can be computed by hand."""

import uuid
from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from kinomost.cinema.models import Asset, AssetStatus, Platform
from kinomost.cinema.viewing_models import PlaybackSession, Profile, Revenue, Viewer
from kinomost.rights import ledger
from kinomost.rights.ledger import ContractInput, TermInput
from kinomost.royalties.models import ExchangeRate, UsageReport, UsageRow
from tests.factories import make_work


def moment(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


class World:
    def __init__(self, licensor, licensee):
        self.licensor, self.licensee = licensor, licensee
        self.platform = Platform.objects.create(
            organisation=licensee,
            slug="kino",
            name="Kino",
            territories=["RU"],
            media=["svod", "tvod"],
            languages=["ru"],
            currency="RUB",
            prices={"svod": "399", "tvod": "199", "pvod": "599", "est": "499"},
        )
        user = get_user_model().objects.create_user(email=f"v-{uuid.uuid4().hex[:6]}@example.com", password="x" * 12)
        self.viewer = Viewer.objects.create(user=user, platform=self.platform, country="RU")
        self.profile = Profile.objects.create(viewer=self.viewer, name="v")
        self.assets = {}
        self.report = None

    def works(self, *refs):
        return [make_work(self.licensor, ref) for ref in refs]

    def licence(self, works, money, *, ref="LIC-1", signed_on="2026-12-01", territories="RU", media=("svod", "tvod"), start="2026-12-01"):
        ledger.record_holding(
            self.licensor,
            TermInput(works=works, territories=territories, media=list(media), start="2026-01-01", sublicensable=True),
            contract=ContractInput(reference=f"ACQ-{ref}"),
        )
        term = ledger.grant(
            self.licensor,
            self.licensee,
            TermInput(works=works, territories=territories, media=list(media), start=start),
            contract=ContractInput(reference=ref, signed_on=signed_on, money=money),
        )
        return term.contract

    def session(self, work, contract, *, seconds, at, media="svod", territory="RU"):
        asset = self.assets.get(work.pk) or Asset.objects.create(
            organisation=self.licensee, work=work, key=bytes(16), iv=bytes(16), status=AssetStatus.READY
        )
        self.assets[work.pk] = asset
        session = PlaybackSession.objects.create(
            viewer=self.viewer,
            profile=self.profile,
            asset=asset,
            work=work,
            territory=territory,
            media=media,
            last_heartbeat_at=moment(at),
            token_expires_at=moment(at),
            seconds_watched=seconds,
            contract=contract,
            term=contract.terms.first() if contract else None,
        )
        PlaybackSession.objects.filter(pk=session.pk).update(started_at=moment(at))
        return session

    def charge(self, amount, *, at, kind="subscription", media="svod", work=None, contract=None, currency="RUB", territory="RU"):
        return Revenue.objects.create(
            platform=self.platform,
            organisation_id=self.licensee.pk,
            kind=kind,
            media=media,
            work=work,
            contract=contract,
            term=contract.terms.first() if contract else None,
            territory=territory,
            amount=Decimal(amount),
            currency=currency,
            at=moment(at),
            provider="test",
            reference="t",
        )

    def usage(self, contract, work, month, *, receipts, currency="USD", views=1, seconds=0, platform="iQIYI", territory="RU", media="svod"):
        report = UsageReport.objects.create(organisation=self.licensee, sha256=uuid.uuid4().hex)
        return UsageRow.objects.create(
            report=report,
            contract=contract,
            month=datetime.fromisoformat(f"{month}-01").date(),
            platform=platform,
            work=work,
            territory=territory,
            media=media,
            views=views,
            seconds=seconds,
            receipts=Decimal(receipts),
            currency=currency,
        )

    @staticmethod
    def rate(day, base, quote, rate, source="CBR"):
        return ExchangeRate.objects.create(
            day=datetime.fromisoformat(day).date(), base=base, quote=quote, rate=Decimal(rate), source=source
        )


@pytest.fixture
def world(org_a, org_b):
    return World(org_a, org_b)
