"""The HTTP API: django-ninja under /api/v1/, OpenAPI docs at /api/docs.

Browsers authenticate with their session (CSRF-checked); machines with an organisation's API
key (`Authorization: Bearer km_…` or `X-API-Key: km_…`). Domain errors become JSON with a
message; nothing ever answers with a traceback.
"""

import logging

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from kinomost.core.errors import DomainError, TooManyAttempts
from kinomost.parties import throttle
from kinomost.parties.context import Actor
from kinomost.parties.services import authenticate_api_key

log = logging.getLogger(__name__)


def _actor_for_key(request: HttpRequest, token: str) -> Actor | None:
    if not token:  # this header was not sent: another scheme may authenticate
        return None
    throttle.check_api_key_allowed(request)  # 429 for an address that sent too many invalid keys
    key = authenticate_api_key(token)
    if key is None:
        throttle.note_api_key_failure(request)
        return None
    request.actor = Actor(organisation=key.organisation, role=key.role, api_key_id=key.pk)
    return request.actor


class BearerKey(HttpBearer):
    def authenticate(self, request, token):
        return _actor_for_key(request, token)


class HeaderKey(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request, key):
        return _actor_for_key(request, key)


class MemberSession(SessionAuth):
    """A signed-in member acting for their active organisation (set by the middleware)."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return getattr(request, "actor", None) if user else None


AUTH = [BearerKey(), HeaderKey(), MemberSession()]

api = NinjaAPI(
    title="Kinomost API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
    description="Catalogue, rights, exchange and online cinema. Authenticate with an API key "
    "(`Authorization: Bearer km_…`) or a browser session.",
)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status_code)


@api.exception_handler(TooManyAttempts)
def _too_many_attempts(request, exc: TooManyAttempts):
    response = api.create_response(request, exc.as_dict(), status=exc.status_code)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    return api.create_response(
        request, {"error": "invalid_input", "message": "The request is not valid.", "details": exc.errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return api.create_response(request, {"error": "unauthorized", "message": "Sign in or send an API key."}, status=401)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"error": "http_error", "message": str(exc)}, status=exc.status_code)


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    log.exception("unexpected error in %s", request.path)
    return api.create_response(request, {"error": "server_error", "message": "Something went wrong on our side."}, status=500)


def _register_routers() -> None:
    from kinomost.catalog.api import router as catalog_router
    from kinomost.catalog.api_io import router as catalog_io_router
    from kinomost.cinema.api import router as cinema_router
    from kinomost.exchange.api import router as exchange_router
    from kinomost.parties.api import router as parties_router
    from kinomost.rights.api import router as rights_router
    from kinomost.rights.api_avails import router as rights_avails_router
    from kinomost.royalties.api import router as royalties_router

    api.add_router("/", parties_router)
    api.add_router("/", catalog_io_router)  # before catalog: /works/import must not read as /works/{id}
    api.add_router("/", catalog_router)
    api.add_router("/cinema", cinema_router)
    api.add_router("/exchange", exchange_router)
    api.add_router("/rights/avails", rights_avails_router)  # before "/rights"
    api.add_router("/rights", rights_router)
    api.add_router("/royalties", royalties_router)


_register_routers()
