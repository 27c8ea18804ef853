"""An operator opens a ready asset in the studio and watches it: hls.js plays the encrypted ladder
from a token URL, with the key given to the member's browser session."""

import pytest
from django.test import Client

from kinomost.cinema import services
from kinomost.cinema.services import IngestRequest
from kinomost.cinema.worker import run_worker
from kinomost.parties import services as parties
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from tests.factories import make_clip
from tests.cinema.viewing import PASSWORD, make_platform, make_work
from tests.e2e.studio import assert_clean

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_operator_player_plays_a_ready_asset(live_server, page, org_a, settings, tmp_path):
    settings.CINEMA_HLS_ROOT = tmp_path / "hls"
    settings.CINEMA_PRIVATE_ROOT = tmp_path / "private"
    platform = make_platform(org_a, media=("svod",))
    film = make_work(org_a, "film", titles={"en": "Northern Lights"})
    asset = services.start_ingest(
        Actor(organisation=org_a, role=Role.PLATFORM_OPERATOR),
        IngestRequest(work=film, master=make_clip(tmp_path / "film.mp4"), ladder=[180, 144], platform=platform),
    )
    assert run_worker(until_empty=True) == 1
    member = Client()
    member.force_login(parties.create_member(email="op@rusmedia.example", organisation=org_a, role=Role.READ_ONLY, password=PASSWORD)[0])
    page.context.add_cookies([{"name": "sessionid", "value": member.cookies["sessionid"].value, "url": live_server.url}])

    keys = []
    page.on("response", lambda r: keys.append(r.status) if "/cinema/keys/" in r.url else None)
    page.goto(f"{live_server.url}/studio/cinema/assets/{asset.public_id}/")
    page.wait_for_function("() => window.operatorHls && document.getElementById('operator-player').readyState >= 2", timeout=20_000)
    page.evaluate("document.getElementById('operator-player').play()")
    page.wait_for_function("() => document.getElementById('operator-player').currentTime > 1.5", timeout=20_000)
    assert keys and set(keys) == {200}
    assert page.locator("#operator-player-error").is_hidden()
    assert_clean(page)  # hls.js plays from blob: media under the Content-Security-Policy
