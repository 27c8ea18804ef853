"""The API fuzzed against its own OpenAPI document (schemathesis): every operation, with data
generated from its schema — valid and invalid — as an organisation that holds real data, so the
requests reach the services. Any 5xx fails, and so does any answer the document does not
describe: an undocumented status, another content type, a body off its schema, an invalid
request accepted.

Bounded to run in the ordinary suite on both databases: a fixed seed (derandomize), a few
examples per operation and mode (KINOMOST_FUZZ_EXAMPLES=50 for a deeper run by hand). The
counts are written to the terminal (and docs/api-errors.md keeps the last ones measured)."""

import os
from collections import Counter
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from kinomost.cinema import services as cinema
from kinomost.cinema import uploads
from kinomost.exchange import approvals, deals, offers
from kinomost.exchange.proposals import ProposalInput
from kinomost.parties import services as parties
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from tests.factories import give, hold, make_work

EXAMPLES = int(os.environ.get("KINOMOST_FUZZ_EXAMPLES", "6"))  # per operation and mode; raise it for a deeper run by hand
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
TERM = {"territories": ["CN"], "media": ["svod"], "start": "2027-01-01", "end": "2030-01-01", "exclusive": True}


@pytest.fixture
def estate(org_a, org_b):
    """Organisation A with a catalogue, rights, a platform, an upload, an offer, a deal and an
    approval: the ids the fuzzer's real-id cases name."""
    owner = Actor(organisation=org_a, role=Role.OWNER)
    films = [make_work(org_a, f"film-{i}") for i in range(1, 4)]
    series = make_work(org_a, "series", kind="series")
    holding = hold(org_a, [*films, series], territories=["CN", "RU", "KZ"])
    give(org_a, org_b, [films[0]], territories="RU", media="svod", ref="LIC-RU")
    cinema.create_platform(owner, slug="kino", name="Kino", territories_spec=["RU"], media=["svod"], languages=["ru"])
    upload = uploads.start_upload(owner, filename="master.mp4", size=1024)
    offer = offers.create_offer(owner, name="Package", proposal=ProposalInput(works=films, terms=[TERM], fee_per_work=Decimal("100")))
    deal = deals.create_deal(owner, org_b, ProposalInput(works=films[:2], terms=[TERM], fee_per_work=Decimal("100")), name="Deal")
    approval = approvals.record_approval(owner, work_id=films[0].pk, territory="CN", kind="cn_online_registration")
    key = parties.create_api_key(organisation=org_a, name="fuzz", role=Role.OWNER)[1]
    ids = {
        "work_id": films[1].pk,
        "contract_id": holding.contract_id,
        "offer_id": offer.pk,
        "deal_id": deal.pk,
        "approval_id": approval.pk,
        "upload_id": upload["id"],
        "step": "propose",
        "asset_id": "0f8fad5b-d9cb-469f-a165-70867728950e",  # no asset: making one needs an ingest (ffmpeg); an unknown id is 404
        # the viewer API: the platform above; an organisation's key is not a viewer's token, so its calls are 401
        "org": org_a.slug,
        "platform": "kino",
        "slug": "kino",  # the platform again, as the cinema API names it
        "profile_id": 1,
        "session_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "device_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    }
    return {"token": key, "ids": ids}


@pytest.fixture
def wsgi_app(db):
    """Django's WSGI application in this process, on the test's transaction: as Django's test
    client does, requests must not close the connection the test's data lives in."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
def test_every_operation_answers_as_documented_and_never_5xx(estate, wsgi_app, capsys, record_property):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    # The key is ours, sent with every case: a generated (or mutated) Authorization header would be
    # replaced by it, and a negative case whose only flaw was that header would then read as accepted.
    schema.config.generation.update(with_security_parameters=False)
    headers = {"Authorization": f"Bearer {estate['token']}"}
    statuses: Counter = Counter()
    cases = 0
    nothing_invalid: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]

    def exercise(operation, mode: GenerationMode, path_parameters: dict | None) -> None:
        checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

        @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def one(case):
            nonlocal cases
            response = case.call(headers=headers)
            cases += 1
            statuses[response.status_code] += 1
            case.validate_response(response, checks=checks, headers=headers)

        try:
            one()
        except Unsatisfiable:  # negative mode, nothing to make invalid (e.g. GET /me takes no input)
            assert mode is GenerationMode.NEGATIVE, operation.label
            nothing_invalid.append(operation.label)

    for operation in operations:
        names = [p.name for p in operation.path_parameters]
        real = {name: estate["ids"][name] for name in names}
        exercise(operation, GenerationMode.POSITIVE, real or None)  # real ids: the request reaches the service
        if names:
            exercise(operation, GenerationMode.POSITIVE, None)  # generated ids: bounded, then 404
        exercise(operation, GenerationMode.NEGATIVE, None)

    summary = (
        f"API fuzz: {len(operations)} operations, {cases} cases, status codes "
        + ", ".join(f"{code}×{n}" for code, n in sorted(statuses.items()))
        + f"; {len(nothing_invalid)} without invalid input to send ({', '.join(nothing_invalid)})"
    )
    record_property("api_fuzz", summary)
    with capsys.disabled():
        print(f"\n{summary}")
    assert len(operations) >= 40 and not any(code >= 500 for code in statuses)
    assert statuses[200] + statuses[201] > 0, summary  # some cases got through to real answers
