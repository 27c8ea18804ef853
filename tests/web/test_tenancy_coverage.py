"""Every route is either public or proven private.

A new page or endpoint makes this test fail until it is added to PUBLIC (with a reason) or to
the cross-organisation checks in PRIVATE_CHECKS, which a member of another organisation must
fail with 403/404 (or, for lists, must not see the private object in).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from kinomost.catalog import services as catalog
from kinomost.parties import services as parties
from kinomost.parties.models import ApiKey
from kinomost.rights import ledger
from kinomost.rights.models import Contract

PUBLIC = {
    "": "landing page, shows nothing private",
    "login/": "sign-in form",
    "favicon.ico": "redirect to the public icon the pages link",
    "logout/": "sign-out",
    "organisation/": "switches only among the user's own memberships and their subsidiaries (tests/parties/test_acting_for_subsidiaries)",
    "i18n/setlang/": "interface language",
    "api/docs": "redirect to the OpenAPI docs",
    "api/v1/": "API root",
    "api/v1/docs": "OpenAPI docs",
    "api/v1/openapi.json": "OpenAPI schema",
    "api/v1/me": "the caller's own organisation",
    "media/posters/(?P<path>.+)": "posters are public artwork",
    "watch/<slug:org>/<slug:slug>/signup/": "a storefront's sign-up form (names only the platform)",
    "watch/<slug:org>/<slug:slug>/signup/<str:token>/": "finishing a sign-up from the emailed signed link (its token names the platform and the address)",
    "watch/<slug:org>/<slug:slug>/login/": "a storefront's sign-in form (names only the platform)",
    "api/v1/viewer/<org>/<platform>/auth/token": "a viewer app's sign-in by password (throttled as the sign-in pages; tests/cinema/test_viewer_api.py)",
    "api/v1/viewer/<org>/<platform>/auth/refresh": "a refresh token buys tokens for its own device only (tests/cinema/test_viewer_api.py)",
    "api/v1/viewer/<org>/<platform>/signup": "a storefront's sign-up by email (names only the platform; the same answer for any address)",
    "api/v1/viewer/<org>/<platform>/device/code": "RFC 8628: a registered app asks for a code (names only the platform)",
    "api/v1/viewer/<org>/<platform>/device/token": "RFC 8628: tokens only for the holder of an approved device code (tests/cinema/test_device_flow.py)",
    "playback/live": "nginx's auth_request: 204 or 403 for the session URL it is handed, a yes or no about a token its holder has already",
    "tv/<slug:org>/<slug:slug>/": "the TV app's shell (names only the platform, as the sign-up page); all it shows comes through the viewer API's bearer tokens",
}
ADMIN_PREFIX = "admin/"  # Django admin: staff only, tested in test_pages


def _routes(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route.lstrip("^").rstrip("$").replace("\\Z", "")


@pytest.fixture
def secret_work(org_a):
    """Private things of organisation A that all carry the marker "Secret Picture": an unlisted
    work, a member's name and an API key's name."""
    parties.create_member(email="secret@rusmedia.example", organisation=org_a, role="owner", display_name="Secret Picture Person")
    parties.create_api_key(organisation=org_a, name="Secret Picture key")
    return catalog.save_work(org_a, catalog.WorkInput(ref="SECRET-1", kind="feature", titles={"en": "Zzyzx Secret Picture"}))[0]


def _not_visible(response, secret):
    """Refused, or answered without the secret title (the query itself may be echoed back)."""
    if response.status_code in (403, 404):
        return True
    refused_or_answered = response.status_code == 200 or 400 <= response.status_code < 500
    return refused_or_answered and "Secret Picture" not in response.content.decode("utf-8", "replace")


def _secret_contract(work):
    """A holding of organisation A on the secret work, its reference carrying the marker."""
    found = Contract.objects.filter(reference="Secret Picture ACQ").first()
    if found is None:
        term = ledger.TermInput(works=[work], territories="WORLD", media="svod", start="2026-01-01", sublicensable=True, exclusive=True)
        found = ledger.record_holding(work.owner, term, contract=ledger.ContractInput(reference="Secret Picture ACQ")).contract
    return found


def _secret_royalties(w):
    """An acquisition of A with commercial terms from a licensor outside Kinomost, its reference
    and licensor carrying the marker: A's royalty statement names both."""
    if not Contract.objects.filter(reference="Secret Picture ROY").exists():
        term = ledger.TermInput(works=[w], territories="KZ", media="tvod", start="2026-01-01")
        ledger.record_holding(
            w.owner,
            term,
            contract=ledger.ContractInput(
                reference="Secret Picture ROY",
                counterparty_name="Secret Picture Licensor",
                money={"currency": "USD", "revenue_share": "10"},
            ),
        )
    return "2026-Q1"


def _exchange(w):
    """A's secret package (the secret work, sent to a third organisation, with a thread and an
    approval, all carrying "Secret Picture"): ids of the offer, the deal and the approval."""
    if not hasattr(w, "_exchange"):
        from kinomost.exchange import approvals, deals, offers
        from kinomost.exchange.proposals import ProposalInput
        from kinomost.parties.context import Actor

        seller = Actor(organisation=w.owner, role="owner")
        third = parties.create_organisation(slug="secret-buyer", name="Third Party", kind="distributor", country="KZ")
        term = {"territories": ["KZ"], "media": ["svod"], "start": "2027-01-01", "end": "2028-01-01"}
        offer = offers.create_offer(
            seller,
            name="Secret Picture offer",
            message="Secret Picture terms",
            proposal=ProposalInput(works=[w.pk], terms=[term], currency="EUR", fee_per_work=5),
        )
        (deal,) = offers.send_offer(seller, offer.pk, ["secret-buyer"])
        deals.post_message(Actor(organisation=third, role="owner"), deal.pk, "Secret Picture reply")
        approval = approvals.record_approval(
            seller, work_id=w.pk, territory="RU", kind="ru_distribution_certificate", number="Secret Picture 1"
        )
        w._exchange = (offer.pk, deal.pk, approval.pk)
    return w._exchange


def _secret_asset(w):
    """A's asset of the secret work on A's "Secret Picture platform"."""
    if not hasattr(w, "_asset"):
        from kinomost.cinema.models import Asset, Platform

        platform = Platform.objects.create(
            organisation=w.owner, slug="secret", name="Secret Picture platform", territories=["RU"], media=["svod"], languages=["ru"]
        )
        w._asset = Asset.objects.create(organisation=w.owner, work=w, platform=platform, key=b"k" * 16, iv=b"i" * 16)
    return w._asset


def _secret_storefront(w):
    """A's storefront "shop" selling the secret work (licensed in RU, a ready package): its URL prefix."""
    if not hasattr(w, "_storefront"):
        from kinomost.cinema.models import Asset, AssetStatus, Platform

        platform = Platform.objects.create(
            organisation=w.owner, slug="shop", name="Shop", territories=["RU"], media=["svod"], languages=["ru"]
        )
        _secret_contract(w)
        Asset.objects.create(
            organisation=w.owner,
            work=w,
            platform=platform,
            key=b"k" * 16,
            iv=b"i" * 16,
            status=AssetStatus.READY,
            master_playlist="master.m3u8",
        )
        w._storefront = f"/watch/{w.owner.slug}/shop/"
    return w._storefront


PRIVATE_CHECKS = {
    "studio/organisation/": lambda c, w: ("get", "/studio/organisation/"),
    "studio/organisation/api-keys/": lambda c, w: ("post", "/studio/organisation/api-keys/"),
    "studio/organisation/names/": lambda c, w: ("post", "/studio/organisation/names/"),
    "studio/organisation/api-keys/<str:prefix>/revoke/": lambda c, w: (
        "post",
        f"/studio/organisation/api-keys/{ApiKey.objects.get(name='Secret Picture key').prefix}/revoke/",
    ),
    "studio/works/": lambda c, w: ("get", "/studio/works/?scope=all"),
    "studio/works/import/": lambda c, w: ("get", "/studio/works/import/"),
    "studio/works/export/": lambda c, w: ("get", "/studio/works/export/?format=csv"),
    "api/v1/works/export": lambda c, w: ("get", "/api/v1/works/export?format=csv"),
    "api/v1/works/import": lambda c, w: ("post", "/api/v1/works/import"),
    "studio/works/new/": lambda c, w: ("get", "/studio/works/new/"),
    "studio/works/<int:work_id>/edit/": lambda c, w: ("post", f"/studio/works/{w.pk}/edit/"),
    "studio/works/<int:work_id>/": lambda c, w: ("get", f"/studio/works/{w.pk}/"),
    "studio/works/<int:work_id>/mec/": lambda c, w: ("get", f"/studio/works/{w.pk}/mec/"),
    "api/v1/works/<work_id>/mec": lambda c, w: ("get", f"/api/v1/works/{w.pk}/mec"),
    "api/v1/works/mec/import": lambda c, w: ("post", "/api/v1/works/mec/import"),
    "studio/search/": lambda c, w: ("get", "/studio/search/?q=Zzyzx"),
    # Pickers' look-ups: works among what the caller may see (never another's unlisted work), by title or reference.
    "studio/settings/": lambda c, w: ("get", "/studio/settings/"),
    "studio/lookup/works/": lambda c, w: ("get", f"/studio/lookup/works/?q={w.ref}"),
    "studio/lookup/organisations/": lambda c, w: ("get", "/studio/lookup/organisations/?q=Secret Picture"),
    "studio/lookup/territories/": lambda c, w: ("get", "/studio/lookup/territories/?q=Secret Picture"),
    "api/v1/works": lambda c, w: ("get", "/api/v1/works"),
    "api/v1/works/<work_id>": lambda c, w: ("get", f"/api/v1/works/{w.pk}"),
    "api/v1/search": lambda c, w: ("get", "/api/v1/search?q=Zzyzx"),
    "api/v1/rights/contracts": lambda c, w: ("get", f"/api/v1/rights/contracts?_={_secret_contract(w).pk}"),
    "api/v1/rights/contracts/<contract_id>": lambda c, w: ("get", f"/api/v1/rights/contracts/{_secret_contract(w).pk}"),
    "api/v1/rights/contracts/<contract_id>/terminate": lambda c, w: (
        "post",
        f"/api/v1/rights/contracts/{_secret_contract(w).pk}/terminate",
    ),
    "api/v1/rights/holdings": lambda c, w: ("post", "/api/v1/rights/holdings"),
    "api/v1/rights/grants": lambda c, w: ("post", "/api/v1/rights/grants"),
    "api/v1/rights/holdbacks": lambda c, w: ("post", "/api/v1/rights/holdbacks"),
    "api/v1/rights/availability": lambda c, w: ("post", "/api/v1/rights/availability"),
    "api/v1/rights/find-available": lambda c, w: (
        "get",
        f"/api/v1/rights/find-available?territory=RU&media=svod&start=2026-01-01&_={_secret_contract(w).pk}",
    ),
    "api/v1/rights/works/<work_id>": lambda c, w: ("get", f"/api/v1/rights/works/{_secret_contract(w) and w.pk}"),
    "studio/works/<int:work_id>/rights/": lambda c, w: ("get", f"/studio/works/{_secret_contract(w) and w.pk}/rights/"),
    "studio/rights/": lambda c, w: ("get", f"/studio/rights/?_={_secret_contract(w).pk}"),
    "studio/rights/find/": lambda c, w: (
        "get",
        f"/studio/rights/find/?territory=RU&media=svod&start=2026-01-01&_={_secret_contract(w).pk}",
    ),
    "studio/rights/holdings/new/": lambda c, w: ("post", "/studio/rights/holdings/new/"),
    "studio/rights/avails/": lambda c, w: ("get", f"/studio/rights/avails/?_={_secret_contract(w).pk}"),
    "studio/rights/avails/export/": lambda c, w: (
        "get",
        f"/studio/rights/avails/export/?licensor=rus-media&format=xml&_={_secret_contract(w).pk}",
    ),
    "api/v1/rights/avails/import": lambda c, w: ("post", "/api/v1/rights/avails/import"),
    "api/v1/rights/avails/export": lambda c, w: (
        "get",
        f"/api/v1/rights/avails/export?licensor=rus-media&format=xml&_={_secret_contract(w).pk}",
    ),
    "studio/rights/grants/new/": lambda c, w: ("post", "/studio/rights/grants/new/"),
    "studio/rights/holdbacks/new/": lambda c, w: ("post", "/studio/rights/holdbacks/new/"),
    "studio/rights/contracts/<int:contract_id>/": lambda c, w: ("get", f"/studio/rights/contracts/{_secret_contract(w).pk}/"),
    "studio/rights/contracts/<int:contract_id>/terminate/": lambda c, w: (
        "post",
        f"/studio/rights/contracts/{_secret_contract(w).pk}/terminate/",
    ),
    "api/v1/cinema/assets": lambda c, w: (_secret_asset(w), ("get", "/api/v1/cinema/assets"))[1],
    "api/v1/cinema/assets/<asset_id>": lambda c, w: ("get", f"/api/v1/cinema/assets/{_secret_asset(w).public_id}"),
    "api/v1/cinema/platforms": lambda c, w: (_secret_asset(w), ("get", "/api/v1/cinema/platforms"))[1],
    # uploads live in the private folder, not the database; tests/cinema/test_uploads.py proves another
    # organisation gets 404 for a real upload; here: refused without leaking.
    "api/v1/cinema/uploads": lambda c, w: ("post", "/api/v1/cinema/uploads"),
    "api/v1/cinema/uploads/<upload_id>": lambda c, w: ("get", "/api/v1/cinema/uploads/00000000-0000-4000-8000-000000000000"),
    "api/v1/cinema/ingest": lambda c, w: ("post", "/api/v1/cinema/ingest"),
    "api/v1/exchange/offers": lambda c, w: (_exchange(w), ("get", "/api/v1/exchange/offers"))[1],
    "api/v1/exchange/offers/<offer_id>": lambda c, w: ("get", f"/api/v1/exchange/offers/{_exchange(w)[0]}"),
    "api/v1/exchange/offers/<offer_id>/send": lambda c, w: ("post", f"/api/v1/exchange/offers/{_exchange(w)[0]}/send"),
    "api/v1/exchange/deals": lambda c, w: (_exchange(w), ("get", "/api/v1/exchange/deals"))[1],
    "api/v1/exchange/deals/<deal_id>": lambda c, w: ("get", f"/api/v1/exchange/deals/{_exchange(w)[1]}"),
    "api/v1/exchange/deals/<deal_id>/messages": lambda c, w: ("post", f"/api/v1/exchange/deals/{_exchange(w)[1]}/messages"),
    "api/v1/exchange/deals/<deal_id>/steps/<step>": lambda c, w: ("post", f"/api/v1/exchange/deals/{_exchange(w)[1]}/steps/accept"),
    "api/v1/exchange/approvals": lambda c, w: (_exchange(w), ("get", "/api/v1/exchange/approvals"))[1],
    "api/v1/exchange/approvals/<approval_id>/status": lambda c, w: ("post", f"/api/v1/exchange/approvals/{_exchange(w)[2]}/status"),
    "api/v1/exchange/clearance": lambda c, w: ("get", f"/api/v1/exchange/clearance?work={w.pk}&territory=RU&media=theatrical"),
    "api/v1/exchange/quotas": lambda c, w: (_exchange(w), ("get", "/api/v1/exchange/quotas?territory=KZ"))[1],
    "api/v1/exchange/balance": lambda c, w: (_exchange(w), ("get", "/api/v1/exchange/balance?a=rus-media&b=secret-buyer"))[1],
    "api/v1/exchange/inbox": lambda c, w: (_exchange(w), ("get", "/api/v1/exchange/inbox"))[1],
    "api/v1/exchange/inbox/read": lambda c, w: (_exchange(w), ("post", "/api/v1/exchange/inbox/read"))[1],
    # Studio pages of the exchange: only the parties see a deal or an offer (A and "secret-buyer", not B).
    "studio/exchange/": lambda c, w: (_exchange(w), ("get", "/studio/exchange/"))[1],
    "studio/exchange/offers/new/": lambda c, w: ("post", "/studio/exchange/offers/new/"),
    "studio/exchange/offers/<int:offer_id>/": lambda c, w: ("get", f"/studio/exchange/offers/{_exchange(w)[0]}/"),
    "studio/exchange/offers/<int:offer_id>/send/": lambda c, w: ("post", f"/studio/exchange/offers/{_exchange(w)[0]}/send/"),
    "studio/exchange/offers/<int:offer_id>/edit/": lambda c, w: ("get", f"/studio/exchange/offers/{_exchange(w)[0]}/edit/"),
    "studio/exchange/offers/from-available/": lambda c, w: (
        "post",
        f"/studio/exchange/offers/from-available/?territory=CN&media=svod&start=2027-01-01&works={w.pk}",
    ),
    "studio/exchange/offers/<int:offer_id>/mec/": lambda c, w: ("get", f"/studio/exchange/offers/{_exchange(w)[0]}/mec/"),
    "studio/exchange/deals/<int:deal_id>/": lambda c, w: ("get", f"/studio/exchange/deals/{_exchange(w)[1]}/"),
    "studio/exchange/deals/<int:deal_id>/counter/": lambda c, w: ("get", f"/studio/exchange/deals/{_exchange(w)[1]}/counter/"),
    "studio/exchange/deals/<int:deal_id>/messages/": lambda c, w: ("post", f"/studio/exchange/deals/{_exchange(w)[1]}/messages/"),
    "studio/exchange/deals/<int:deal_id>/steps/<str:step>/": lambda c, w: (
        "post",
        f"/studio/exchange/deals/{_exchange(w)[1]}/steps/accept/",
    ),
    "studio/exchange/deals/<int:deal_id>/confirm/<str:step>/": lambda c, w: (
        "get",
        f"/studio/exchange/deals/{_exchange(w)[1]}/confirm/sign/",
    ),
    "studio/exchange/approvals/": lambda c, w: (_exchange(w), ("get", "/studio/exchange/approvals/"))[1],
    "studio/exchange/approvals/<int:approval_id>/status/": lambda c, w: ("post", f"/studio/exchange/approvals/{_exchange(w)[2]}/status/"),
    "studio/exchange/quotas/": lambda c, w: (_exchange(w), ("get", "/studio/exchange/quotas/?territory=KZ"))[1],
    "studio/exchange/balance/": lambda c, w: (_exchange(w), ("get", "/studio/exchange/balance/?a=rus-media&b=secret-buyer"))[1],
    "studio/exchange/inbox/": lambda c, w: (_exchange(w), ("get", "/studio/exchange/inbox/"))[1],
    "studio/exchange/inbox/read/": lambda c, w: (_exchange(w), ("post", "/studio/exchange/inbox/read/"))[1],
    "studio/royalties/": lambda c, w: ("get", f"/studio/royalties/?period={_secret_royalties(w)}"),
    "api/v1/royalties/statements": lambda c, w: (
        "get",
        f"/api/v1/royalties/statements?period={_secret_royalties(w)}&contract=Secret Picture ROY",
    ),
    "api/v1/royalties/usage": lambda c, w: ("post", "/api/v1/royalties/usage"),
    "api/v1/royalties/close": lambda c, w: ("post", "/api/v1/royalties/close"),
    "studio/cinema/": lambda c, w: (_secret_asset(w), ("get", "/studio/cinema/"))[1],
    "studio/cinema/upload/": lambda c, w: ("get", "/studio/cinema/upload/"),
    "studio/cinema/assets/<uuid:asset_id>/": lambda c, w: ("get", f"/studio/cinema/assets/{_secret_asset(w).public_id}/"),
    "studio/cinema/assets/<uuid:asset_id>/progress/": lambda c, w: ("get", f"/studio/cinema/assets/{_secret_asset(w).public_id}/progress/"),
    # Viewers' streams: files need a token signed for the asset, keys a live playback session.
    "hls/<str:token>/<int:expires>/<uuid:asset_id>/<path:path>": lambda c, w: (
        "get",
        f"/hls/forged/9999999999/{_secret_asset(w).public_id}/master.m3u8",
    ),
    "cinema/keys/<uuid:asset_id>/": lambda c, w: ("get", f"/cinema/keys/{_secret_asset(w).public_id}/"),
    # A playback session's own URLs: signed to the session (forged here), and its token for beats and stop.
    "hls/s/<uuid:session_id>/<str:token>/<int:expires>/<uuid:asset_id>/<path:path>": lambda c, w: (
        "get",
        f"/hls/s/00000000-0000-4000-8000-000000000000/forged/9999999999/{_secret_asset(w).public_id}/master.m3u8",
    ),
    "playback/<uuid:session_id>/heartbeat": lambda c, w: ("post", "/playback/00000000-0000-4000-8000-000000000000/heartbeat"),
    "playback/<uuid:session_id>/stop": lambda c, w: ("post", "/playback/00000000-0000-4000-8000-000000000000/stop"),
    "api/v1/cinema/platforms/<slug>/app-origins": lambda c, w: (
        "put",
        f"/api/v1/cinema/platforms/{_secret_asset(w).platform.slug}/app-origins",
    ),
    # A storefront shows its catalogue only to its viewers: others are sent to sign in or offered an account.
    "watch/<slug:org>/<slug:slug>/": lambda c, w: ("get", _secret_storefront(w)),
    "watch/<slug:org>/<slug:slug>/search/": lambda c, w: ("get", _secret_storefront(w) + "search/?q=Zzyzx"),
    "watch/<slug:org>/<slug:slug>/titles/<int:work_id>/": lambda c, w: ("get", f"{_secret_storefront(w)}titles/{w.pk}/"),
    "watch/<slug:org>/<slug:slug>/titles/<int:work_id>/rent/": lambda c, w: ("post", f"{_secret_storefront(w)}titles/{w.pk}/rent/"),
    "watch/<slug:org>/<slug:slug>/titles/<int:work_id>/buy/": lambda c, w: ("post", f"{_secret_storefront(w)}titles/{w.pk}/buy/"),
    "watch/<slug:org>/<slug:slug>/play/<int:work_id>/": lambda c, w: ("get", f"{_secret_storefront(w)}play/{w.pk}/"),
    "watch/<slug:org>/<slug:slug>/play/<int:work_id>/start/": lambda c, w: ("post", f"{_secret_storefront(w)}play/{w.pk}/start/"),
    "watch/<slug:org>/<slug:slug>/sessions/<uuid:session_id>/heartbeat/": lambda c, w: (
        "post",
        f"{_secret_storefront(w)}sessions/{_secret_asset(w).public_id}/heartbeat/",
    ),
    "watch/<slug:org>/<slug:slug>/sessions/<uuid:session_id>/stop/": lambda c, w: (
        "post",
        f"{_secret_storefront(w)}sessions/{_secret_asset(w).public_id}/stop/",
    ),
    "watch/<slug:org>/<slug:slug>/profiles/": lambda c, w: ("get", _secret_storefront(w) + "profiles/"),
    "watch/<slug:org>/<slug:slug>/account/": lambda c, w: ("get", _secret_storefront(w) + "account/"),
    "watch/<slug:org>/<slug:slug>/account/devices/": lambda c, w: ("post", _secret_storefront(w) + "account/devices/"),
    "watch/<slug:org>/<slug:slug>/activate/": lambda c, w: ("get", _secret_storefront(w) + "activate/"),
    "studio/cinema/platforms/<slug:slug>/": lambda c, w: ("get", f"/studio/cinema/platforms/{_secret_asset(w).platform.slug}/"),
    **{
        f"api/v1/viewer/<org>/<platform>/{route}": (lambda method, tail: lambda c, w: (method, _secret_viewer_api(w) + tail.format(w=w)))(
            method, tail
        )  # noqa: B023 (bound by the outer lambda)
        for route, method, tail in [
            ("home", "get", "home"),
            ("search", "get", "search?q=Zzyzx"),
            ("titles/<work_id>", "get", "titles/{w.pk}"),
            ("titles/<work_id>/play", "post", "titles/{w.pk}/play"),
            ("titles/<work_id>/rent", "post", "titles/{w.pk}/rent"),
            ("titles/<work_id>/buy", "post", "titles/{w.pk}/buy"),
            ("continue-watching", "get", "continue-watching"),
            ("account", "get", "account"),
            ("subscription", "post", "subscription"),
            ("profiles", "get", "profiles"),
            ("profiles/<profile_id>/select", "post", "profiles/1/select"),
            ("devices", "get", "devices"),
            ("devices/<device_id>", "delete", "devices/00000000-0000-4000-8000-000000000000"),
            ("auth/signout", "post", "auth/signout"),
            ("sessions/<session_id>/heartbeat", "post", "sessions/00000000-0000-4000-8000-000000000000/heartbeat"),
            ("sessions/<session_id>/stop", "post", "sessions/00000000-0000-4000-8000-000000000000/stop"),
        ]
    },
}


def _secret_viewer_api(w):
    """The viewer API of A's storefront "shop" (a bearer token of its viewer is needed: a member's session is not one)."""
    return _secret_storefront(w).replace("/watch/", "/api/v1/viewer/")


EXTRA_METHOD_CHECKS = [
    ("delete", "/api/v1/works/{pk}"),
]


def test_every_route_is_classified():
    unclassified = [
        r
        for r in set(_routes(get_resolver().url_patterns))
        if r not in PUBLIC and r not in PRIVATE_CHECKS and not r.startswith(ADMIN_PREFIX) and not r.startswith("static/")
    ]
    assert unclassified == [], "classify these routes in tests/web/test_tenancy_coverage.py"


@pytest.mark.parametrize("route", sorted(PRIVATE_CHECKS))
def test_another_organisation_cannot_see_private_data(route, client_b, secret_work):
    method, url = PRIVATE_CHECKS[route](client_b, secret_work)
    response = getattr(client_b, method)(url)
    assert _not_visible(response, secret_work), f"{method.upper()} {url} leaked to another organisation ({response.status_code})"


@pytest.mark.parametrize("method, template", EXTRA_METHOD_CHECKS)
def test_another_organisation_cannot_change_private_data(method, template, client_b, secret_work):
    response = getattr(client_b, method)(template.format(pk=secret_work.pk))
    assert response.status_code in (403, 404)
    assert type(secret_work).objects.filter(pk=secret_work.pk).exists()


@pytest.mark.parametrize("route", sorted(PRIVATE_CHECKS))
def test_strangers_are_refused(route, client, secret_work):
    method, url = PRIVATE_CHECKS[route](client, secret_work)
    response = getattr(client, method)(url)
    assert response.status_code in (302, 401, 403, 404)
    assert "Secret Picture" not in response.content.decode()
