"""The operator's settings of a platform for viewers and apps: browsing before signing in, and
the apps registered to sign viewers in (client ids for the viewer API and the device flow).
Prices are cinema.prices'."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kinomost.cinema.app_models import RegisteredApp
from kinomost.cinema.models import Platform
from kinomost.core.audit import record
from kinomost.core.errors import Conflict, InvalidInput, NotFound
from kinomost.parties.roles import OPERATE_PLATFORM

CLIENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


def _own(actor, platform: Platform) -> None:
    actor.require(OPERATE_PLATFORM, _("run a platform"))
    if platform.organisation_id != actor.organisation_id:
        raise NotFound(_("No such platform."))


def set_browsing(actor, platform: Platform, *, browse_signed_out: bool) -> Platform:
    """Whether anyone may see the rows, search and titles before signing in (playing never)."""
    _own(actor, platform)
    Platform.objects.filter(pk=platform.pk).update(browse_signed_out=bool(browse_signed_out))
    platform.browse_signed_out = bool(browse_signed_out)
    record(
        "cinema.platform_browsing_set", actor=actor.user, organisation=actor.organisation, obj=platform, browse=platform.browse_signed_out
    )
    return platform


def register_app(actor, platform: Platform, *, client_id: str, name: str) -> RegisteredApp:
    """A new app that may sign this platform's viewers in (e.g. a TV app, `kinomost-tv`)."""
    _own(actor, platform)
    client_id, name = (client_id or "").strip().lower(), (name or "").strip()
    problems = {}
    if not CLIENT_ID.match(client_id):
        problems["client_id"] = _("2 to 64 lower-case letters, digits and dashes")
    if not name or len(name) > 120:
        problems["name"] = _("a name of at most 120 characters")
    if problems:
        raise InvalidInput(
            _("The app is not valid: %(problems)s") % {"problems": "; ".join(f"{k}: {v}" for k, v in problems.items())}, details=problems
        )
    try:
        with transaction.atomic():
            app = RegisteredApp.objects.create(platform=platform, client_id=client_id, name=name)
            record("cinema.app_registered", actor=actor.user, organisation=actor.organisation, obj=app, client_id=client_id)
    except IntegrityError:
        raise Conflict(_("An app with this client id is registered already.")) from None
    return app


def set_app_active(actor, platform: Platform, client_id: str, *, active: bool) -> RegisteredApp:
    """Switch an app off (it signs nobody in any more; its devices stay signed in until revoked) or on."""
    _own(actor, platform)
    app = RegisteredApp.objects.filter(platform=platform, client_id=client_id).first()
    if app is None:
        raise NotFound(_("No such app on this platform."))
    RegisteredApp.objects.filter(pk=app.pk).update(is_active=bool(active))
    app.is_active = bool(active)
    record("cinema.app_switched", actor=actor.user, organisation=actor.organisation, obj=app, active=app.is_active)
    return app
