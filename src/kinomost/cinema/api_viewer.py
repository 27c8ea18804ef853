"""The viewer API: what a platform's apps (TV, phone, partners' players) call, under
/api/v1/viewer/{org}/{platform}/. Thin: every answer is cinema.watch's (the same composition
the web storefront renders), every write a service's (viewers, playback, app_auth,
device_flow), so the API shows and refuses what the web shows and refuses.

Apps authenticate with `Authorization: Bearer kva_…` access tokens (app_auth): from email and
password (`auth/token`), or from a TV's code approved on the storefront (`device/code`,
`device/token`, RFC 8628). Where the platform allows browsing before signing in, home, search
and titles answer without a token too; playing always needs one.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cached_property
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer

from kinomost.api_types import ErrorOut, RecordId
from kinomost.cinema import app_auth, device_flow, playback, viewers, watch
from kinomost.cinema.models import Platform
from kinomost.core import text
from kinomost.core.errors import InvalidInput, NotFound
from kinomost.core.http import client_ip

router = Router(tags=["viewer"])
P = "/{org}/{platform}"


# --- who is asking -------------------------------------------------------------------------------


def _platform_of(request) -> Platform | None:
    """The platform named in the path (cached on the request: auth runs before the view)."""
    if not hasattr(request, "_viewer_api_platform"):
        kwargs = request.resolver_match.kwargs if request.resolver_match else {}
        request._viewer_api_platform = (
            Platform.objects.select_related("organisation")
            .filter(organisation__slug=kwargs.get("org", ""), slug=kwargs.get("platform", ""))
            .first()
        )
    return request._viewer_api_platform


class SignedIn:
    """An app's signed-in viewer (through its device session), or nobody while browsing."""

    def __init__(self, platform: Platform, session=None):
        self.platform, self.session = platform, session
        self.viewer = session.viewer if session is not None else None

    @cached_property
    def profile(self):
        """The device's chosen profile (loaded with the token: no query), else the account's first,
        as the web storefront falls back to it."""
        if self.viewer is None:
            return None
        chosen = self.session.profile
        if chosen is not None and chosen.viewer_id == self.viewer.pk:
            return chosen
        return self.viewer.profiles.order_by("pk").first()


class ViewerBearer(HttpBearer):
    """`Authorization: Bearer kva_…`: an access token of this platform's viewer. One query: the
    token comes with its device, viewer, profile and the platform of the path (app_auth.authenticated_at),
    which is then the request's platform (`_platform_of` asks no more)."""

    def __init__(self, ids_only: bool = False):
        super().__init__()
        self.ids_only = ids_only

    def authenticate(self, request, token):
        kwargs = request.resolver_match.kwargs if request.resolver_match else {}
        if self.ids_only:  # the same checks, answered with ids only (app_auth.device_at): the heartbeat
            return app_auth.device_at(kwargs.get("org", ""), kwargs.get("platform", ""), token) if token else None
        session = app_auth.authenticated_at(kwargs.get("org", ""), kwargs.get("platform", ""), token) if token else None
        if session is None:
            return None
        request._viewer_api_platform = session.viewer.platform
        return SignedIn(session.viewer.platform, session)


def browsing(request):
    """No token at all, on a platform that lets anyone browse: the rows, search and titles of what
    its territory may see, with no profile (so nothing age-limited is assumed)."""
    if request.headers.get("Authorization"):
        return None  # a token was sent: it is ViewerBearer's to accept or refuse
    platform = _platform_of(request)
    return SignedIn(platform) if platform is not None and platform.browse_signed_out else None


VIEWER = [ViewerBearer()]
# The heartbeat's: the same bearer scheme and refusals, `request.auth` an app_auth.Device (ids).
BEATING = [ViewerBearer(ids_only=True)]
VIEWER_OR_BROWSING = [ViewerBearer(), browsing]


def _who(request) -> watch.Audience:
    auth: SignedIn = request.auth
    return watch.audience(auth.platform, auth.viewer, auth.profile, get_language() or "en", client_ip(request))


def _signed_in_platform(request) -> Platform:
    platform = _platform_of(request)
    if platform is None:
        raise NotFound(_("No such platform."))
    return platform


def _fields(request, names: tuple[str, ...]) -> dict[str, str]:
    """The fields of a form-encoded (as RFC 8628 and 6749 send them) or JSON body."""
    if (request.content_type or "").startswith("application/json"):
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            raise InvalidInput(_("The body is not valid JSON.")) from None
        body = body if isinstance(body, dict) else {}
    else:
        body = request.POST
    values = {}
    for name in names:
        value = body.get(name, "")
        value = value if isinstance(value, str) else ""
        values[name] = text.check_clean(value[:500], field=name)
    return values


def _form_body(*names: str) -> dict:
    schema = {"type": "object", "properties": {n: {"type": "string", "maxLength": 500} for n in names}}
    return {"requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": schema}, "application/json": {"schema": schema}}}}


# --- shapes --------------------------------------------------------------------------------------


class TokenOut(Schema):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int = Field(description="seconds the access token lives")
    refresh_token: str = Field(description="single use: refreshing gives a new one; a reused one signs the device out")


class SignInIn(Schema):
    email: str = Field(..., max_length=254)
    password: str = Field(..., max_length=200)
    client_id: str = Field("", max_length=64, description="the registered app signing in, e.g. kinomost-tv")
    device_name: str = Field("", max_length=120, description="shown under signed-in devices")


class RefreshIn(Schema):
    refresh_token: str = Field(..., max_length=200)


class SignUpIn(Schema):
    email: str = Field(..., max_length=254)
    country: str = Field(..., max_length=64, description="ISO 3166-1 country of the account: the territory rights are checked for")


class MessageOut(Schema):
    message: str


class DeviceCodeOut(Schema):
    device_code: str
    user_code: str = Field(description="8 letters shown as XXXX-XXXX")
    verification_uri: str
    verification_uri_complete: str
    expires_in: int
    interval: int


class CardOut(Schema):
    work_id: int
    title: str
    year: int | None
    poster_url: str | None
    position: float = Field(description="continue watching: seconds into the programme")
    duration: float | None
    play_work_id: int | None = Field(description="continue watching a series: the episode to resume")


class RowOut(Schema):
    label: str
    titles: list[CardOut]


class HomeOut(Schema):
    signed_in: bool
    rows: list[RowOut]


class SearchOut(Schema):
    query: str
    results: list[CardOut]


class RatingOut(Schema):
    system: str
    value: str
    minimum_age: int


class CreditOut(Schema):
    role: str
    name: str
    character: str


class EpisodeOut(Schema):
    work_id: int
    number: int | None
    title: str


class SeasonOut(Schema):
    label: str
    number: int | None
    episodes: list[EpisodeOut]


class LanguageOut(Schema):
    language: str = Field(description="BCP 47 tag")
    name: str = Field(description="in the reader's language")


class OfferOut(Schema):
    media: str = Field(description="svod (subscribe), pvod (premium rental), tvod (rental), est (buy to own)")
    price: Decimal
    currency: str
    hours: int | None = Field(description="rentals: hours from the first play")


class TitleOut(Schema):
    work_id: int
    kind: str
    title: str
    synopsis: str
    year: int | None
    runtime_minutes: int | None
    poster_url: str | None
    rating: RatingOut | None
    minimum_age: int | None
    credits: list[CreditOut]
    seasons: list[SeasonOut]
    audio: list[LanguageOut] = Field(description="the reader's language first")
    subtitles: list[LanguageOut]
    play_work_id: int = Field(description="what Play plays: the film, or the first playable episode")
    signed_in: bool
    entitled: bool
    entitled_by: str | None = Field(description="the right it plays under now: avod/fvod, svod, est, pvod, tvod")
    owned: bool
    rental_expires_at: datetime | None
    offers: list[OfferOut]


class ProfileOut(Schema):
    id: int
    name: str
    is_kids: bool
    max_age: int | None
    current: bool


class ProfilesOut(Schema):
    profiles: list[ProfileOut]


class ProfileIn(Schema):
    name: str = Field(..., max_length=60)
    is_kids: bool = False
    max_age: int | None = Field(None, ge=0, le=18)
    pin: str = Field("", max_length=8, description="a kids profile: 4 to 8 digits, asked for to leave it")


class ChooseProfileIn(Schema):
    pin: str = Field("", max_length=8, description="needed to leave a kids profile")


class PlayOut(Schema):
    session_id: UUID
    master_url: str = Field(description="the HLS master playlist for this session")
    resume_position: float = Field(description="seconds: where this profile left it")
    expires: int = Field(description="Unix seconds the stream URLs are valid until, unless renewed by heartbeats")
    heartbeat_seconds: int
    playback_token: str = Field(
        description="drives this session only: `Authorization: Bearer <playback_token>` on heartbeat_url (and the stop by token)"
    )
    heartbeat_url: str = Field(
        description="the cheap heartbeat, answered in front of Django: POST heartbeat_url?position=…&seconds=… with no body"
        " and the playback token (200, 409 ended, 503 send it again); sessions/{id}/heartbeat answers the same with the access token"
    )


class HeartbeatIn(Schema):
    position: float = Field(0, ge=0, lt=10**7)
    seconds: float = Field(0, ge=0, lt=10**5, description="seconds watched since the last heartbeat")


class HeartbeatOut(Schema):
    base_url: str
    expires: int


class StopIn(Schema):
    position: float | None = Field(None, ge=0, lt=10**7)


class StopOut(Schema):
    position: float


class ConfirmIn(Schema):
    price: Decimal = Field(..., ge=0, le=10**9, description="the price the viewer confirmed: charged only if it is still the price")
    currency: str = Field(..., max_length=3)


class RentIn(ConfirmIn):
    media: Literal["tvod", "pvod"] = "tvod"


class RentalOut(Schema):
    work_id: int
    title: str
    media: str
    hours: int
    paid_at: datetime
    start_by: datetime
    expires_at: datetime | None


class PurchaseOut(Schema):
    work_id: int
    title: str
    paid_at: datetime
    price: Decimal
    currency: str


class SubscriptionOut(Schema):
    active: bool
    active_until: datetime | None
    price: Decimal = Field(description="one period of 30 days")
    currency: str


class AccountOut(Schema):
    email: str
    country: str
    territory: str = Field(description="the country rights are checked for now")
    subscription: SubscriptionOut
    rentals: list[RentalOut]
    purchases: list[PurchaseOut]
    live_sessions: int


class DeviceOut(Schema):
    id: UUID
    name: str
    app: str | None
    signed_in_at: datetime
    last_used_at: datetime | None
    current: bool


REFUSALS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _answers(ok: dict) -> dict:
    return {**ok, **REFUSALS}


# --- signing in ----------------------------------------------------------------------------------


def _tokens(pair: app_auth.TokenPair) -> dict:
    return {"access_token": pair.access_token, "token_type": "Bearer", "expires_in": pair.expires_in, "refresh_token": pair.refresh_token}


@router.post(
    P + "/auth/token", auth=None, response=_answers({200: TokenOut}), summary="Sign in with email and password: access and refresh tokens"
)
def sign_in(request, org: str, platform: str, payload: SignInIn):
    return _tokens(
        app_auth.sign_in(
            request,
            _signed_in_platform(request),
            email=payload.email,
            password=payload.password,
            client_id=payload.client_id,
            device_name=payload.device_name,
        )
    )


@router.post(
    P + "/auth/refresh",
    auth=None,
    response=_answers({200: TokenOut}),
    summary="A new pair for a refresh token (single use; a reused one signs the device out)",
)
def refresh(request, org: str, platform: str, payload: RefreshIn):
    return _tokens(app_auth.refresh(_signed_in_platform(request), payload.refresh_token))


@router.post(P + "/auth/signout", auth=VIEWER, response=_answers({204: None}), summary="Sign this device out")
def sign_out(request, org: str, platform: str):
    app_auth.revoke(request.auth.viewer, request.auth.session.public_id)
    return Status(204, None)


@router.post(
    P + "/signup",
    auth=None,
    response=_answers({202: MessageOut}),
    summary="Sign up: the address gets a link to choose a password (the same answer whether or not it has an account)",
)
def sign_up(request, org: str, platform: str, payload: SignUpIn):
    found = _signed_in_platform(request)

    def link_for(token):
        name, args = ("cinema:signup-finish", [org, platform, token]) if token else ("cinema:login", [org, platform])
        return request.build_absolute_uri(reverse(name, args=args))

    viewers.start_sign_up(found, email=payload.email, country=payload.country, link_for=link_for)
    return Status(202, {"message": _("Check your email: we sent a link to finish signing up.")})


@router.post(
    P + "/device/code",
    auth=None,
    response=_answers({200: DeviceCodeOut, 400: ErrorOut}),
    openapi_extra=_form_body("client_id"),
    summary="RFC 8628: a code for a TV to show; the viewer approves it on the storefront's activation page",
)
def device_code(request, org: str, platform: str):
    found = _signed_in_platform(request)
    started = device_flow.start(found, _fields(request, ("client_id",))["client_id"])
    page = request.build_absolute_uri(reverse("cinema:activate", args=[org, platform]))
    return {
        "device_code": started.device_code,
        "user_code": started.user_code,
        "verification_uri": page,
        "verification_uri_complete": f"{page}?code={started.user_code}",
        "expires_in": device_flow.expires_in(started.authorization),
        "interval": started.authorization.interval,
    }


@router.post(
    P + "/device/token",
    auth=None,
    response=_answers({200: TokenOut, 400: ErrorOut}),
    openapi_extra=_form_body("grant_type", "device_code", "client_id"),
    summary="RFC 8628 §3.4: poll for the tokens (authorization_pending, slow_down, access_denied, expired_token)",
    description="A refusal is 400 with `error` as RFC 8628 §3.5 names it, and `error_description` beside `message`.",
)
def device_token(request, org: str, platform: str):
    fields = _fields(request, ("grant_type", "device_code", "client_id"))
    return _tokens(device_flow.poll(_signed_in_platform(request), **fields))


# --- profiles ------------------------------------------------------------------------------------


def _profile_out(profile, current) -> dict:
    return {
        "id": profile.pk,
        "name": profile.name,
        "is_kids": profile.is_kids,
        "max_age": profile.max_age,
        "current": current is not None and profile.pk == current.pk,
    }


@router.get(
    P + "/profiles", auth=VIEWER, response=_answers({200: ProfilesOut}), summary="The account's profiles; `current` is this device's"
)
def list_profiles(request, org: str, platform: str):
    current = request.auth.profile
    return {"profiles": [_profile_out(p, current) for p in request.auth.viewer.profiles.all()]}


@router.post(
    P + "/profiles",
    auth=VIEWER,
    response=_answers({201: ProfileOut}),
    summary="Add a profile (a kids profile has an age limit and a PIN to leave it; not from a kids profile)",
)
def create_profile(request, org: str, platform: str, payload: ProfileIn):
    profile = viewers.create_profile(
        request.auth.viewer, name=payload.name, is_kids=payload.is_kids, max_age=payload.max_age, pin=payload.pin, by=request.auth.profile
    )
    return Status(201, _profile_out(profile, request.auth.profile))


@router.post(
    P + "/profiles/{profile_id}/select",
    auth=VIEWER,
    response=_answers({200: ProfileOut}),
    summary="Watch as this profile on this device (leaving a kids profile needs its PIN)",
)
def choose_profile(request, org: str, platform: str, profile_id: RecordId, payload: ChooseProfileIn):
    auth: SignedIn = request.auth
    chosen = watch.own_profile(auth.viewer, profile_id)
    viewers.choose_profile(auth.viewer, auth.profile, chosen, pin=payload.pin, ip=client_ip(request))
    app_auth.choose_profile(auth.session, chosen)
    return _profile_out(chosen, chosen)


# --- what there is to watch ----------------------------------------------------------------------


def _rendered(answer: dict) -> HttpResponse:
    """The answer of a hot read (home, title) rendered as ninja renders it, without ninja first
    validating the dict again against its schema (pydantic, once per card: a tenth of home's time).
    The schema still documents the answer in OpenAPI, and tests/cinema/test_viewer_api_cost.py
    checks the answers against it, so the shape cannot drift unnoticed."""
    return HttpResponse(json.dumps(answer, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8")


def _poster(work) -> str | None:
    return work.poster.url if work.poster else None


def _card(card) -> dict:
    work = card.work
    return {
        "work_id": work.pk,
        "title": card.title,
        "year": work.year,
        "poster_url": _poster(work),
        "position": float(card.position),
        "duration": float(card.duration) if card.duration is not None else None,
        "play_work_id": card.play_work_id,
    }


@router.get(
    P + "/home", auth=VIEWER_OR_BROWSING, response=_answers({200: HomeOut}), summary="Home rows: continue watching, recently added, genres"
)
def home(request, org: str, platform: str):
    rows = watch.home(_who(request))
    return _rendered(
        {
            "signed_in": request.auth.viewer is not None,
            "rows": [{"label": label, "titles": [_card(c) for c in cards]} for label, cards in rows],
        }
    )


@router.get(
    P + "/search",
    auth=VIEWER_OR_BROWSING,
    response=_answers({200: SearchOut}),
    summary="Search titles in any script, and people (cast, director)",
)
def search(request, org: str, platform: str, q: Annotated[str, Field("", max_length=200)] = ""):
    return {"query": q.strip(), "results": [_card(c) for c in watch.search(_who(request), q)]}


@router.get(P + "/continue-watching", auth=VIEWER, response=_answers({200: list[CardOut]}), summary="This profile's unfinished titles")
def continue_watching(request, org: str, platform: str):
    return [_card(c) for c in watch.continue_watching(_who(request))]


@router.get(
    P + "/titles/{work_id}",
    auth=VIEWER_OR_BROWSING,
    response=_answers({200: TitleOut}),
    summary="A title: seasons, episodes, audio and subtitle languages, entitlement and offers",
)
def title(request, org: str, platform: str, work_id: RecordId):
    view = watch.title(_who(request), work_id)
    work, entitlement = view.work, view.entitlement
    rating = view.rating
    return _rendered(
        {
            "work_id": work.pk,
            "kind": work.kind,
            "title": view.title,
            "synopsis": view.synopsis,
            "year": work.year,
            "runtime_minutes": work.runtime_minutes,
            "poster_url": _poster(work),
            "rating": {"system": rating.system, "value": rating.value, "minimum_age": rating.minimum_age} if rating else None,
            "minimum_age": view.minimum_age,
            "credits": [{"role": c.role, "name": name, "character": c.character} for c, name in view.credits],
            "seasons": [
                {
                    "label": s.label,
                    "number": s.number,
                    "episodes": [{"work_id": e.work.pk, "number": e.work.number, "title": e.title} for e in s.episodes],
                }
                for s in view.seasons
            ],
            "audio": [{"language": t, "name": n} for t, n in view.audio],
            "subtitles": [{"language": t, "name": n} for t, n in view.subtitles],
            "play_work_id": view.play_work_id,
            "signed_in": entitlement is not None,
            "entitled": view.entitled,
            "entitled_by": entitlement.media if entitlement else None,
            "owned": bool(entitlement and entitlement.owned),
            "rental_expires_at": entitlement.rental.expires_at if entitlement and entitlement.rental else None,
            "offers": [{"media": o.media, "price": o.price.amount, "currency": o.price.currency, "hours": o.hours} for o in view.offers],
        }
    )


# --- playing -------------------------------------------------------------------------------------


@router.post(
    P + "/titles/{work_id}/play",
    auth=VIEWER,
    response=_answers({200: PlayOut}),
    summary="Start playing a film or episode: a session, its master playlist URL and where to resume",
)
def play(request, org: str, platform: str, work_id: RecordId):
    who = _who(request)
    started = playback.start(who.viewer, who.profile, who.viewing, work_id)
    return {
        "session_id": started.session.public_id,
        "master_url": request.build_absolute_uri(started.master_url),
        "resume_position": started.resume_at,
        "expires": started.expires,
        "heartbeat_seconds": settings.CINEMA_HEARTBEAT_SECONDS,
        "playback_token": started.playback_token,
        "heartbeat_url": request.build_absolute_uri(reverse("cinema:session-heartbeat", args=[started.session.public_id])),
    }


@router.post(
    P + "/sessions/{session_id}/heartbeat",
    auth=BEATING,
    response=_answers({200: HeartbeatOut}),
    summary="Every ~15 s while playing: stores the position, renews the stream; refused once the title is no longer allowed",
)
def heartbeat(request, org: str, platform: str, session_id: UUID, payload: HeartbeatIn):
    """The most frequent call of all: the device's viewer id is all it needs (no profile, no
    territory: playback.heartbeat asks neither; a lapse is ended by playback.end_lapsed)."""
    device: app_auth.Device = request.auth
    beat = playback.heartbeat(device.viewer_id, session_id, position=payload.position, seconds=payload.seconds)
    return {"base_url": request.build_absolute_uri(beat.base_url), "expires": beat.expires}


@router.post(P + "/sessions/{session_id}/stop", auth=VIEWER, response=_answers({200: StopOut}), summary="Stop playing (frees the stream)")
def stop(request, org: str, platform: str, session_id: UUID, payload: StopIn):
    session = playback.stop(request.auth.viewer, session_id, position=payload.position)
    return {"position": session.position}


# --- paying --------------------------------------------------------------------------------------


def _rental_out(rental, name: str) -> dict:
    return {
        "work_id": rental.work_id,
        "title": name,
        "media": rental.media,
        "hours": rental.hours,
        "paid_at": rental.paid_at,
        "start_by": rental.start_by,
        "expires_at": rental.expires_at,
    }


def _purchase_out(purchase, name: str) -> dict:
    return {
        "work_id": purchase.work_id,
        "title": name,
        "paid_at": purchase.paid_at,
        "price": purchase.amount,
        "currency": purchase.currency,
    }


def _subscription_out(view: watch.AccountView) -> dict:
    sub = view.subscription
    return {
        "active": view.subscribed,
        "active_until": sub.active_until if sub else None,
        "price": view.price.amount,
        "currency": view.price.currency,
    }


@router.get(
    P + "/account",
    auth=VIEWER,
    response=_answers({200: AccountOut}),
    summary="Account, subscription and entitlements: rentals and purchases",
)
def account(request, org: str, platform: str):
    who = _who(request)
    view = watch.account(who)
    return {
        "email": who.viewer.user.email,
        "country": who.viewer.country,
        "territory": view.territory,
        "subscription": _subscription_out(view),
        "rentals": [_rental_out(r, n) for r, n in view.rentals],
        "purchases": [_purchase_out(p, n) for p, n in view.purchases],
        "live_sessions": view.live_sessions,
    }


@router.post(
    P + "/subscription",
    auth=VIEWER,
    response=_answers({200: SubscriptionOut}),
    summary="Subscribe (or extend) for 30 days at the confirmed price, through the payment provider",
)
def subscribe(request, org: str, platform: str, payload: ConfirmIn):
    who = _who(request)
    viewers.subscribe(who.viewer, confirmed=(payload.price, payload.currency))
    return _subscription_out(watch.account(who))


@router.post(
    P + "/titles/{work_id}/rent",
    auth=VIEWER,
    response=_answers({201: RentalOut}),
    summary="Rent (tvod) or rent premium (pvod) at the confirmed price; the hours run from the first play",
)
def rent(request, org: str, platform: str, work_id: RecordId, payload: RentIn):
    who = _who(request)
    rental = viewers.rent(who.viewer, who.viewing, work_id, payload.media, confirmed=(payload.price, payload.currency))
    return Status(201, _rental_out(rental, watch.title_name(work_id, who.language)))


@router.post(
    P + "/titles/{work_id}/buy", auth=VIEWER, response=_answers({201: PurchaseOut}), summary="Buy to own (est) at the confirmed price"
)
def buy(request, org: str, platform: str, work_id: RecordId, payload: ConfirmIn):
    who = _who(request)
    purchase = viewers.buy(who.viewer, who.viewing, work_id, confirmed=(payload.price, payload.currency))
    return Status(201, _purchase_out(purchase, watch.title_name(work_id, who.language)))


# --- signed-in devices ---------------------------------------------------------------------------


@router.get(P + "/devices", auth=VIEWER, response=_answers({200: list[DeviceOut]}), summary="Signed-in devices")
def list_devices(request, org: str, platform: str):
    own = request.auth.session.pk
    return [
        {
            "id": s.public_id,
            "name": s.device_name,
            "app": s.app.client_id if s.app else None,
            "signed_in_at": s.created_at,
            "last_used_at": s.last_used_at,
            "current": s.pk == own,
        }
        for s in app_auth.devices(request.auth.viewer)
    ]


@router.delete(
    P + "/devices/{device_id}", auth=VIEWER, response=_answers({204: None}), summary="Sign a device out: its tokens stop at once"
)
def revoke_device(request, org: str, platform: str, device_id: UUID):
    app_auth.revoke(request.auth.viewer, device_id)
    return Status(204, None)
