"""The viewer API must not cost more than the web storefront answering the same (issue 16 §5):
its home, title, start and heartbeat ask the database no more than the pages do, no more with
more titles on the platform, and home and title (rendered without ninja's second validation,
api_viewer._rendered) still answer exactly the shape their OpenAPI schema documents."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinomost.cinema import app_auth
from kinomost.cinema.api_viewer import HomeOut, TitleOut
from kinomost.cinema.viewing_models import Subscription

from .viewing import hold, main_profile, make_platform, make_work, ready_asset, viewer_of

pytestmark = pytest.mark.django_db
API = "/api/v1/viewer/rus-media/kino/"
WEB = "/watch/rus-media/kino/"
JSON = {"content_type": "application/json", "HTTP_ACCEPT": "application/json"}


def _films(org, platform, first, count):
    works = [
        make_work(
            org,
            f"film-{n}",
            genres=["drama" if n % 2 else "war"],
            ratings=[("RU", "MKRF", "12+")],
            titles={"en": f"Film {n}", "ru": f"Фильм {n}"},
        )
        for n in range(first, first + count)
    ]
    hold(org, works, media=("svod", "tvod", "est"))
    for work in works:
        ready_asset(org, work, platform)
    return works


@pytest.fixture
def shop(org_a, settings):
    settings.CINEMA_MAX_STREAMS = 100  # start is asked several times
    platform = make_platform(org_a, media=("svod", "tvod", "est"))
    films = _films(org_a, platform, 0, 3)
    viewer = viewer_of(platform)
    web = Client()
    web.force_login(viewer.user)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {app_auth.issue(viewer, device_name='TV').access_token}")
    return {"org": org_a, "platform": platform, "viewer": viewer, "films": films, "web": web, "api": api}


def _queries(call) -> int:
    call()  # the first call of a kind may fill caches; the second is the one every viewer pays
    with CaptureQueriesContext(connection) as seen:
        answer = call()
    assert answer.status_code == 200, answer.content[:300]
    return len(seen.captured_queries)


def _calls(shop):
    web, api, film = shop["web"], shop["api"], shop["films"][1].pk
    web_session = web.post(f"{WEB}play/{film}/start/", "{}", **JSON).json()["session"]
    api_session = api.post(f"{API}titles/{film}/play", "{}", content_type="application/json").json()["session_id"]
    beat = json.dumps({"position": 10, "seconds": 0})
    return {
        "home": (lambda: web.get(WEB), lambda: api.get(API + "home")),
        "title": (lambda: web.get(f"{WEB}titles/{film}/"), lambda: api.get(f"{API}titles/{film}")),
        "start": (
            lambda: web.post(f"{WEB}play/{film}/start/", "{}", **JSON),
            lambda: api.post(f"{API}titles/{film}/play", "{}", content_type="application/json"),
        ),
        "heartbeat": (
            lambda: web.post(f"{WEB}sessions/{web_session}/heartbeat/", beat, **JSON),
            lambda: api.post(f"{API}sessions/{api_session}/heartbeat", beat, content_type="application/json"),
        ),
    }


def test_the_api_asks_the_database_no_more_than_the_pages(shop):
    counts = {name: (_queries(web), _queries(api)) for name, (web, api) in _calls(shop).items()}
    assert all(api <= web for web, api in counts.values()), counts


def test_more_titles_cost_the_api_no_more_queries(shop):
    """No per-title query in home's cards or the token lookup: 3 titles or 9, the same count."""
    home = _calls(shop)["home"][1]
    few = _queries(home)
    _films(shop["org"], shop["platform"], 10, 6)
    assert len(home().json()["rows"][0]["titles"]) == 9
    assert _queries(home) == few


def test_a_chosen_profile_costs_no_query_of_its_own(shop):
    """The profile the device chose comes with its token; only a device that chose none asks for the first."""
    home = _calls(shop)["home"][1]
    without = _queries(home)
    other = app_auth.issue(shop["viewer"], device_name="Phone")
    app_auth.choose_profile(other.session, main_profile(shop["viewer"]))
    chosen = Client(HTTP_AUTHORIZATION=f"Bearer {other.access_token}")
    assert _queries(lambda: chosen.get(API + "home")) == without - 1


def test_home_and_title_answer_the_shape_their_schema_documents(shop):
    """Rendered without ninja's validation, so checked here: an unsubscribed viewer sees offers
    (prices as the schema renders them), and a card's position is a number of seconds."""
    Subscription.objects.filter(viewer=shop["viewer"]).delete()
    home = shop["api"].get(API + "home")
    assert home["Content-Type"] == "application/json; charset=utf-8"
    assert HomeOut.model_validate(home.json()).model_dump(mode="json") == home.json()
    title = shop["api"].get(f"{API}titles/{shop['films'][0].pk}").json()
    assert [o["media"] for o in title["offers"]] == ["svod", "tvod", "est"] and not title["entitled"]
    assert TitleOut.model_validate(title).model_dump(mode="json") == title


def test_the_api_heartbeat_asks_for_the_token_and_the_session_only(shop):
    """The most frequent call: the token's device and viewer (ids: app_auth.device_at) and the
    session's values; no profile, platform or viewer row (3 queries before, the pages ask 7)."""
    assert _queries(_calls(shop)["heartbeat"][1]) == 2
