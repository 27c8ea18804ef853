"""A platform's storefront for viewers: home rows, search, title page, player, sign-up, sign-in,
profiles, subscription, rentals (TVOD, PVOD) and purchases (EST). Thin: every rule lives in storefront, viewers and playback.

Every page acts for the signed-in viewer of this platform, in their territory (see
storefront.viewing_territory) and with their chosen profile's age limit.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.views import LoginView
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinomost.catalog import selectors as catalog
from kinomost.catalog.selectors import display_title
from kinomost.cinema import app_auth, device_flow, front, payments, playback, storefront, viewers, watch
from kinomost.cinema.models import Platform
from kinomost.cinema.payments import TestProvider
from kinomost.cinema.viewing_models import Viewer
from kinomost.core import territories
from kinomost.core.errors import DomainError
from kinomost.core.http import client_ip, json_body, safe_next
from kinomost.parties.throttle import ThrottledAuthenticationForm

PROFILE_SESSION_KEY = "cinema_profile_%d"


class Here:
    """The request's platform, viewer, profile and what they may see (a watch.Audience)."""

    def __init__(self, request, platform: Platform, viewer: Viewer | None):
        self.request, self.platform, self.viewer = request, platform, viewer
        chosen = request.session.get(PROFILE_SESSION_KEY % platform.pk)
        profiles = list(viewer.profiles.all()) if viewer is not None else []  # None: browsing before signing in
        self.profiles = profiles
        self.profile = next((p for p in profiles if p.pk == chosen), profiles[0] if profiles else None)
        self.who = watch.audience(platform, viewer, self.profile, get_language() or "en", client_ip(request))
        self.viewing = self.who.viewing
        self.language = self.who.language

    def url(self, name: str, *args) -> str:
        return reverse(f"cinema:{name}", args=[self.platform.organisation.slug, self.platform.slug, *args])

    def context(self, **extra) -> dict:
        return {"here": self, "platform": self.platform, "viewer": self.viewer, "profile": self.profile, **extra}


def _platform(org: str, slug: str) -> Platform:
    platform = Platform.objects.select_related("organisation").filter(organisation__slug=org, slug=slug).first()
    if platform is None:
        raise Http404
    return platform


def viewer_page(view=None, *, browsable: bool = False):
    """Signed-in viewer of this platform; strangers go to sign in (or, on a `browsable` page of a
    platform that lets anyone browse, see it signed out), members of other platforms may open an
    account here; domain errors become a page (or JSON for the player's calls)."""
    if view is None:
        return lambda v: viewer_page(v, browsable=browsable)

    @wraps(view)
    def wrapper(request, org, slug, *args, **kwargs):
        if not request.user.is_authenticated:
            platform = _platform(org, slug)
            if browsable and platform.browse_signed_out:
                return _answer(request, view, Here(request, platform, None), *args, **kwargs)
            return redirect(reverse("cinema:login", args=[org, slug]) + "?next=" + quote(request.get_full_path()))
        # One query finds the viewer and their platform; only a stranger to it reads the platform apart.
        viewer = (
            Viewer.objects.filter(user=request.user, platform__organisation__slug=org, platform__slug=slug)
            .select_related("platform__organisation")
            .first()
        )
        if viewer is None:
            return _join(request, _platform(org, slug))
        viewer.user = request.user  # the same person: the audit log and pages need not read them again
        return _answer(request, view, Here(request, viewer.platform, viewer), *args, **kwargs)

    return wrapper


def _answer(request, view, here: Here, *args, **kwargs):
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    try:
        return view(request, here, *args, **kwargs)
    except DomainError as exc:
        if wants_json:
            return JsonResponse(exc.as_dict(), status=exc.status_code)
        return render(request, "cinema/watch/message.html", here.context(message=exc.message), status=exc.status_code)


def _join(request, platform: Platform):
    """A signed-in person without an account on this platform: offer one (same country)."""
    if request.method == "POST" and request.POST.get("join"):
        try:
            viewers.join(platform, request.user)
            return redirect(request.get_full_path())
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "cinema/watch/join.html", {"platform": platform})


@viewer_page(browsable=True)
def home(request, here: Here):
    return render(request, "cinema/watch/home.html", here.context(rows=watch.home(here.who)))


@viewer_page(browsable=True)
def search(request, here: Here):
    query = (request.GET.get("q") or "").strip()[:200]
    return render(request, "cinema/watch/search.html", here.context(query=query, results=watch.search(here.who, query)))


@viewer_page(browsable=True)
def title(request, here: Here, work_id: int):
    view = watch.title(here.who, work_id)
    entitlement = view.entitlement
    return render(
        request,
        "cinema/watch/title.html",
        here.context(
            view=view,
            work=view.work,
            title=view.title,
            synopsis=view.synopsis,
            rating=view.rating,
            credits=view.credits,
            seasons=view.seasons,
            audio=[name for _tag, name in view.audio],
            subtitles=[name for _tag, name in view.subtitles],
            entitled=view.entitled,
            free=view.free,
            owned=bool(entitlement and entitlement.owned),
            rental=entitlement.rental if entitlement else None,
            signed_out=here.viewer is None,
            login_url=here.url("login") + "?next=" + quote(request.get_full_path()),
            play_work_id=view.play_work_id,
            offers=view.offers,
            currency=view.currency,
            acquire_id=work_id,
            test_payments=payments.provider().name == TestProvider.name,
        ),
    )


@viewer_page
def player(request, here: Here, work_id: int):
    found = storefront.playable(here.viewing, work_id)
    if found is None:
        raise Http404
    try:
        watch.playable_for_player(here.who, work_id)  # the same answer start would give
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(here.url("title", found.top_id))
    work = get_object_or_404(catalog.titled(), pk=work_id)
    return render(
        request,
        "cinema/watch/player.html",
        here.context(
            work=work, title=display_title(work, here.language), back=here.url("title", found.top_id), start_url=here.url("start", work_id)
        ),
    )


@require_POST
@viewer_page
def start(request, here: Here, work_id: int):
    started = playback.start(here.viewer, here.profile, here.viewing, work_id)
    session_id = started.session.public_id
    return JsonResponse(
        {
            "session": str(session_id),
            "master_url": started.master_url,
            "expires": started.expires,
            "resume_at": started.resume_at,
            "playback_token": started.playback_token,
            "heartbeat_url": reverse("cinema:session-heartbeat", args=[session_id]),
            "stop_url": reverse("cinema:session-stop", args=[session_id]),
            "heartbeat_seconds": settings.CINEMA_HEARTBEAT_SECONDS,
        }
    )


@require_POST
@viewer_page
def heartbeat(request, here: Here, session_id):
    body = _json(request)
    beat = playback.heartbeat(here.viewer, session_id, here.viewing, position=body.get("position", 0), seconds=body.get("seconds", 0))
    return JsonResponse({"base_url": beat.base_url, "expires": beat.expires})


@require_POST
@viewer_page
def stop(request, here: Here, session_id):
    body = _json(request)
    session = playback.stop(here.viewer, session_id, position=body.get("position"))
    return JsonResponse({"position": session.position})


def _json(request) -> dict:
    """The beat's or stop's fields: a JSON object, or the form's fields (`core.http.json_body`,
    the reader the stream routes use); anything else reads as no fields."""
    return front.parse_body(json_body(request)) or {}


@viewer_page
def profiles(request, here: Here):
    """Choose a profile (leaving a kids profile asks its PIN) or add one (not from a kids profile)."""
    if request.method == "POST":
        if request.POST.get("choose"):
            chosen = watch.own_profile(here.viewer, request.POST["choose"])
            try:
                viewers.choose_profile(here.viewer, here.profile, chosen, pin=request.POST.get("pin", ""), ip=client_ip(request))
            except DomainError as exc:
                messages.error(request, exc.message)
                return redirect(here.url("profiles"))
            request.session[PROFILE_SESSION_KEY % here.platform.pk] = chosen.pk
            return redirect(here.url("home"))
        max_age = request.POST.get("max_age") or None
        try:
            viewers.create_profile(
                here.viewer,
                name=request.POST.get("name", ""),
                is_kids=bool(request.POST.get("is_kids")),
                max_age=int(max_age) if max_age and max_age.isdigit() else None,
                pin=request.POST.get("pin", ""),
                by=here.profile,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(here.url("profiles"))
    return render(request, "cinema/watch/profiles.html", here.context(profiles=here.profiles))


@viewer_page
def account(request, here: Here):
    if request.method == "POST":
        back = safe_next(request, here.url("account"))
        if "price" not in request.POST:
            return _confirm(request, here, "svod", here.url("account"), back, title=here.platform.name)
        try:
            viewers.subscribe(here.viewer, confirmed=_confirmed(request))
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        messages.success(request, _("Thank you: your subscription is active."))
        return redirect(back)
    view = watch.account(here.who)
    return render(
        request,
        "cinema/watch/account.html",
        here.context(
            view=view,
            subscription=view.subscription,
            active=view.subscribed,
            price=view.price.amount,
            currency=view.price.currency,
            rentals=view.rentals,
            purchases=view.purchases,
            now=timezone.now(),
            live=view.live_sessions,
            territory=view.territory,
            devices=app_auth.devices(here.viewer),
        ),
    )


@require_POST
@viewer_page
def revoke_device(request, here: Here):
    """Sign one of the viewer's devices (an app's tokens) out, from the account page."""
    app_auth.revoke(here.viewer, request.POST.get("revoke", ""))
    messages.success(request, _("The device is signed out."))
    return redirect(here.url("account"))


@require_POST
@viewer_page
def rent(request, here: Here, work_id: int):
    """Rent the title: TVOD, or PVOD (premium) when the form says media=pvod."""
    media = "pvod" if request.POST.get("media") == "pvod" else "tvod"
    return _acquire(
        request,
        here,
        work_id,
        media,
        lambda: viewers.rent(here.viewer, here.viewing, work_id, media, _confirmed(request)),
        lambda rental: _("Rented: you have %(hours)d hours from the first play.") % {"hours": rental.hours},
    )


@require_POST
@viewer_page
def buy(request, here: Here, work_id: int):
    """Buy the title to own (EST)."""
    return _acquire(
        request,
        here,
        work_id,
        "est",
        lambda: viewers.buy(here.viewer, here.viewing, work_id, _confirmed(request)),
        lambda purchase: _("Bought: it is yours to watch for as long as this platform may show it in your country."),
    )


def _acquire(request, here: Here, work_id: int, media: str, action, thanks):
    """Run one paid acquisition and go back to the title page, saying how it went: a declined
    charge (or any refusal) is a message there, and nothing was recorded. The title page's button
    first shows what will be charged (_confirm); only the confirmed price is charged."""
    found = playback.title_playable(here.viewing, work_id)
    back = here.url("title", found.top_id) if found else here.url("home")
    if "price" not in request.POST:
        if found is None:
            raise Http404
        return _confirm(request, here, media, request.path, back, title=watch.title_name(work_id, here.language))
    try:
        done = action()
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, thanks(done))
    return redirect(back)


def _confirmed(request) -> tuple[str, str]:
    """The price and currency the confirmation step showed (and the viewer paid)."""
    return request.POST.get("price", ""), request.POST.get("currency", "")


def _confirm(request, here: Here, media: str, action: str, back: str, *, title: str):
    """The step before any charge: what is bought, for how long, at which price; pay or cancel."""
    offer = watch.offers_priced(here.platform, [media])[0]
    return render(
        request,
        "cinema/watch/confirm.html",
        here.context(offer=offer, action=action, back=back, title=title, test_payments=payments.provider().name == TestProvider.name),
    )


@viewer_page
def activate(request, here: Here):
    """RFC 8628's verification page: type (or arrive by QR code with) the code a TV shows, see
    which app asks, approve or deny. Wrong codes are rate-limited (device_flow.pending_for_code)."""
    typed = (request.POST.get("code") or request.GET.get("code") or "").strip()[:20]
    decision = request.POST.get("decision") if request.method == "POST" else None
    context = {"code": typed, "pending": None, "done": None, "error": ""}
    status = 200
    try:
        if decision in ("approve", "deny"):
            context["done"] = device_flow.decide(request, here.viewer, typed, approve=decision == "approve", profile=here.profile)
        elif typed:
            context["pending"] = device_flow.pending_for_code(request, here.platform, typed)
            context["code"] = device_flow.shown(context["pending"].user_code)
    except DomainError as exc:
        context["error"], status = exc.message, exc.status_code
    return render(request, "cinema/watch/activate.html", here.context(**context), status=status)


def signup(request, org: str, slug: str):
    """The same "check your email" page whether or not the address has an account (viewers.start_sign_up)."""
    platform = _platform(org, slug)
    error, values = "", {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("email", "country")}

        def link_for(token):
            name, args = ("cinema:signup-finish", [org, slug, token]) if token else ("cinema:login", [org, slug])
            return request.build_absolute_uri(reverse(name, args=args))

        try:
            viewers.start_sign_up(platform, email=values["email"], country=values["country"], link_for=link_for)
        except DomainError as exc:
            error = exc.message
        else:
            return render(request, "cinema/watch/signup_sent.html", {"platform": platform, "email": values["email"].strip()})
    language = get_language() or "en"
    countries = sorted(((c, territories.country_name(c, language)) for c in platform.territories), key=lambda pair: pair[1])
    return render(
        request,
        "cinema/watch/signup.html",
        {"platform": platform, "error": error, "values": values, "countries": countries},
        status=422 if error else 200,
    )


def signup_finish(request, org: str, slug: str, token: str):
    """The emailed link: choose a password, and the proven address becomes a viewer, signed in."""
    platform = _platform(org, slug)
    error, status, claim = "", 200, None
    try:
        claim = viewers.sign_up_claim(platform, token)
        if request.method == "POST":
            viewer = viewers.finish_sign_up(platform, token, password=request.POST.get("password", ""))
            auth_login(request, viewer.user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(reverse("cinema:home", args=[org, slug]))
    except DomainError as exc:
        error, status = exc.message, exc.status_code
    return render(request, "cinema/watch/signup_finish.html", {"platform": platform, "error": error, "claim": claim}, status=status)


class ViewerLogin(LoginView):
    template_name = "cinema/watch/login.html"
    authentication_form = ThrottledAuthenticationForm

    def dispatch(self, request, *args, **kwargs):
        self.platform = _platform(kwargs["org"], kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return reverse("cinema:home", args=[self.platform.organisation.slug, self.platform.slug])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "platform": self.platform}
