"""Helpers for the storefront and playback tests: a platform with rights, a ready asset whose
files are written by hand (the ingest tests prove ffmpeg makes such packages; these tests are
about who may read them), and viewers."""

import uuid
from datetime import timedelta

from django.utils import timezone

from kinomost.catalog.services import WorkInput, save_work
from kinomost.cinema import services, storage
from kinomost.cinema.models import Asset, AssetStatus
from kinomost.cinema.viewing_models import Profile, Subscription
from kinomost.cinema.viewers import sign_up
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from kinomost.rights import ledger
from kinomost.rights.ledger import ContractInput, TermInput

PASSWORD = "correct horse battery staple"
KEY = bytes(range(16))
MASTER = """#EXTM3U
#EXT-X-VERSION:4
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Russian",LANGUAGE="ru",DEFAULT=YES,AUTOSELECT=YES,URI="stream/audio-ru/index.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=300000,CODECS="avc1.640015,mp4a.40.2",RESOLUTION=320x180,AUDIO="audio"
stream/180p/index.m3u8
"""
MEDIA = """#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:6
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-KEY:METHOD=AES-128,URI="/cinema/keys/{id}/",IV=0x000102030405060708090a0b0c0d0e0f
#EXTINF:6.0,
seg_00000.ts
#EXT-X-ENDLIST
"""


def make_platform(org, slug="kino", territories=("RU", "KZ"), media=("svod", "tvod")):
    operator = Actor(organisation=org, role=Role.PLATFORM_OPERATOR)
    return services.create_platform(
        operator, slug=slug, name=slug.title(), territories_spec=list(territories), media=list(media), languages=["ru", "en"]
    )


def make_work(org, ref, *, kind="feature", parent_ref=None, number=None, ratings=None, genres=None, titles=None):
    data = WorkInput(
        ref=ref, kind=kind, titles=titles or {"en": ref.title()}, parent_ref=parent_ref, number=number, ratings=ratings, genres=genres
    )
    return save_work(org, data)[0]


def hold(org, works, *, territories="RU", media=("svod", "tvod"), start="2026-01-01", end=None, ref=None):
    term = TermInput(works=works, territories=territories, media=list(media), start=start, end=end)
    return ledger.record_holding(org, term, contract=ContractInput(reference=ref or f"ACQ-{uuid.uuid4().hex[:6]}"))


def ready_asset(org, work, platform=None, *, duration=6.0):
    """A ready asset with a master, one rung, one audio language and one encrypted-looking segment."""
    asset = Asset.objects.create(
        organisation=org,
        work=work,
        platform=platform,
        key=KEY,
        iv=bytes(16),
        status=AssetStatus.READY,
        master_playlist="master.m3u8",
        duration=duration,
        ready_at=timezone.now(),
        ladder=[180],
    )
    folder = storage.asset_dir(asset.public_id)
    for sub in ("stream/180p", "stream/audio-ru"):
        (folder / sub).mkdir(parents=True)
        (folder / sub / "index.m3u8").write_text(MEDIA.format(id=asset.public_id))
        (folder / sub / "seg_00000.ts").write_bytes(b"\x01" * 376)
    (folder / "master.m3u8").write_text(MASTER)
    return asset


def viewer_of(platform, email="viewer@example.com", country="RU", *, subscribed=True):
    viewer = sign_up(platform, email=email, password=PASSWORD, country=country)
    if subscribed:
        Subscription.objects.create(viewer=viewer, active_until=timezone.now() + timedelta(days=30), provider="test", reference="t")
    return viewer


def main_profile(viewer) -> Profile:
    return viewer.profiles.order_by("id").first()


def pay(client, url, data=None, **extra):
    """A storefront payment as a viewer makes it: the button's POST shows the confirmation step
    (nothing charged yet), whose "Pay" posts the shown price back."""
    import re

    shown = client.post(url, data or {}, **extra)
    page = shown.content.decode()
    if shown.status_code != 200 or "data-confirm" not in page:
        return shown
    fields = dict(re.findall(r'<input type="hidden" name="(media|price|currency|next)" value="([^"]*)"', page))
    return client.post(url, {**(data or {}), **fields}, **extra)
