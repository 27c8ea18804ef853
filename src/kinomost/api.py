"""The HTTP API: django-ninja under /api/v1/, OpenAPI docs at /api/docs.

Browsers authenticate with their session (CSRF-checked); machines with an organisation's API
key (`Authorization: Bearer km_…` or `X-API-Key: km_…`). Every refusal is one JSON shape,
`{"error", "message", "details": [...]}` (`kinomost.api_types.ErrorOut`), documented on every
operation with the statuses it can answer; nothing ever answers with a traceback.
"""

import logging

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from kinomost.api_types import ErrorOut
from kinomost.core import text
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
    """A signed-in member acting for their active organisation (set by the middleware).

    A request that sends an API key is a machine's request: if the key was refused it is answered
    401 as such, never by falling back to the session and its CSRF check (a 403 "CSRF check
    failed" would tell a script nothing about its key)."""

    def __call__(self, request):
        if request.headers.get("Authorization") or request.headers.get("X-API-Key"):
            return None  # neither the session nor its CSRF check decides a key's request
        return super().__call__(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return getattr(request, "actor", None) if user else None


AUTH = [BearerKey(), HeaderKey(), MemberSession()]


class CleanTextParser(Parser):
    """Ninja's parser, refusing any string (value or key) of a JSON body, query string or form that
    holds a control character — the rule of `kinomost.core.text`, asked here once for every
    operation, because PostgreSQL refuses NUL in text with a 500 and no field may hold one."""

    def parse_body(self, request):
        data = super().parse_body(request)
        _check_text(data, "")
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        _check_text(result, "")
        return result


def _check_text(value, path: str) -> None:
    if isinstance(value, str):
        text.check_clean(value, field=path or "body")
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            _check_text(str(key), name)
            _check_text(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{path}.{index}" if path else str(index))


api = NinjaAPI(
    title="Kinomost API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
    parser=CleanTextParser(),
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


def _refusal(request, code: str, message: str, status: int, details: list | None = None):
    return api.create_response(request, {"error": code, "message": message, "details": details or []}, status=status)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    return _refusal(request, "invalid_input", _("The request is not valid."), 422, list(exc.errors))


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return _refusal(request, "unauthorized", _("Sign in or send an API key."), 401)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, DomainError):  # refused while parsing the body (CleanTextParser): its own answer
        return _domain_error(request, exc.__cause__)
    return _refusal(request, "http_error", str(exc), exc.status_code)


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    log.exception("unexpected error in %s", request.path)
    return _refusal(request, "server_error", _("Something went wrong on our side."), 500)


def _document_refusals(routers) -> None:
    """Give every operation the statuses it can refuse with, in the one error shape, so OpenAPI
    (and schemathesis, which holds the API to it) knows them. The rules follow where each status
    comes from: 401 from authentication; 422 from validation (schemas, control characters, domain
    checks); 400 from a body that is not JSON; 404 from an id in the path or a reference in a
    body; 403 (the role may not write) and 409 (a conflict, a step the state forbids) from writes.
    An operation that can refuse otherwise declares it in its own `response=`."""
    for router in routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                writes = set(operation.methods) - {"GET", "HEAD", "OPTIONS"}
                statuses = {422}
                statuses |= {401} if operation.auth_param is not None else set()  # None: opted out of the API's auth
                statuses |= {400} if any(m.__ninja_param_source__ in ("body", "form", "file") for m in operation.models) else set()
                statuses |= {404} if "{" in path or writes else set()
                statuses |= {403, 409} if writes else set()
                for status in sorted(statuses - set(operation.response_models)):
                    operation.response_models[status] = operation._create_response_model(ErrorOut)


def _register_routers() -> None:
    from kinomost.catalog.api import router as catalog_router
    from kinomost.catalog.api_io import router as catalog_io_router
    from kinomost.cinema.api import router as cinema_router
    from kinomost.cinema.api_viewer import router as viewer_router
    from kinomost.exchange.api import router as exchange_router
    from kinomost.parties.api import router as parties_router
    from kinomost.rights.api import router as rights_router
    from kinomost.rights.api_avails import router as rights_avails_router
    from kinomost.royalties.api import router as royalties_router

    routers = [
        parties_router,
        catalog_io_router,
        catalog_router,
        cinema_router,
        exchange_router,
        rights_avails_router,
        rights_router,
        royalties_router,
        viewer_router,
    ]
    _document_refusals(routers)
    api.add_router("/", parties_router)
    api.add_router("/", catalog_io_router)  # before catalog: /works/import must not read as /works/{id}
    api.add_router("/", catalog_router)
    api.add_router("/cinema", cinema_router)
    api.add_router("/viewer", viewer_router)  # /viewer/{org}/{platform}/…: viewers' apps, with their own bearer tokens
    api.add_router("/exchange", exchange_router)
    api.add_router("/rights/avails", rights_avails_router)  # before "/rights"
    api.add_router("/rights", rights_router)
    api.add_router("/royalties", royalties_router)


_register_routers()
