"""The studio page of one platform for its operator: prices in the platform's currency (a premium
rental at most the price of buying, unless allowed), browsing before signing in, and the apps
registered to sign viewers in. Thin: cinema.prices and cinema.platform_apps write."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kinomost.cinema import platform_apps, prices, selectors
from kinomost.cinema.app_models import RegisteredApp
from kinomost.core.errors import DomainError
from kinomost.parties.roles import OPERATE_PLATFORM, can
from kinomost.web.decorators import member_required


@member_required
def platform_settings(request, slug: str):
    platform = selectors.platform_for(request.actor, slug)
    problems: dict = {}
    if request.method == "POST":
        try:
            _apply(request, platform)
        except DomainError as exc:
            messages.error(request, exc.message)
            problems = exc.field_problems()
        else:
            messages.success(request, _("Saved."))
            return redirect("web:cinema-platform", slug=platform.slug)
    return render(
        request,
        "web/cinema/platform.html",
        {
            "platform": platform,
            "can_write": can(request.actor.role, OPERATE_PLATFORM),
            "problems": problems,
            "prices": [(m, prices.price(platform, m).amount) for m in prices.PRICED_MEDIA],
            "apps": RegisteredApp.objects.filter(platform=platform).order_by("client_id"),
        },
        status=422 if problems else 200,
    )


def _apply(request, platform) -> None:
    """One form's action: prices and options, a new app, or an app switched off or on."""
    post, actor = request.POST, request.actor
    if post.get("action") == "prices":
        prices.set_prices(
            actor,
            platform,
            currency=post.get("currency", ""),
            prices={m: post.get(m, "") for m in prices.PRICED_MEDIA},
            pvod_above_est=bool(post.get("pvod_above_est")),
        )
        platform_apps.set_browsing(actor, platform, browse_signed_out=bool(post.get("browse_signed_out")))
    elif post.get("action") == "register":
        platform_apps.register_app(actor, platform, client_id=post.get("client_id", ""), name=post.get("name", ""))
    elif post.get("action") in ("disable", "enable"):
        platform_apps.set_app_active(actor, platform, post.get("client_id", ""), active=post["action"] == "enable")
