"""A player nobody here wrote, on another origin: Google's Shaka Player (npm `shaka-player`, vendored
by `make` like hls.js) in Chromium, on a page of a registered app's origin, plays a playback
session's encrypted HLS to its end from the master URL alone — through `kinomost serve` and
through the shipped nginx — while the short-lived token lifetime is 3 s and liveness answers last
1 s. An unregistered origin cannot read the stream at all (no CORS)."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.cinema.conftest import cinema_storage, operator  # noqa: F401 (fixtures of the cinema tests)
from tests.cinema.servers import free_port
from tests.cinema.test_session_streams import APP_ORIGIN, CLIP_SECONDS, package, served, start  # noqa: F401

SHAKA = Path(__file__).resolve().parents[2] / "node_modules" / "shaka-player" / "dist" / "shaka-player.compiled.js"
PAGE = """<!doctype html><html><body><video id="v" muted playsinline></video>
<script src="/shaka-player.compiled.js"></script>
<script>
  window.result = {ended: false, error: null, loaded: false};
  shaka.polyfill.installAll();
  const video = document.getElementById("v");
  const player = new shaka.Player();
  player.addEventListener("error", (e) => { window.result.error = "shaka " + e.detail.code; });
  video.addEventListener("ended", () => { window.result.ended = true; });
  player.attach(video)
    .then(() => player.load(new URLSearchParams(location.search).get("src")))
    .then(() => { window.result.loaded = true; return video.play(); })
    .catch((e) => { window.result.error = "shaka " + (e.code || e); });
</script></body></html>"""

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@contextmanager
def app_site(port: int):
    """A partner's site on http://localhost:<port> (a real server, so Chromium sees a local page
    fetching from a local server): the page that plays ?src= with Shaka, and Shaka itself."""
    if not SHAKA.exists():
        pytest.fail("node_modules/shaka-player is missing: run `make bootstrap` (npm ci)")

    class Site(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body, kind = (SHAKA.read_bytes(), "text/javascript") if self.path.startswith("/shaka") else (PAGE.encode(), "text/html")
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{port}"
    finally:
        server.shutdown()
        server.server_close()


def _refused(page) -> list:
    refused = []
    page.on("response", lambda r: refused.append((r.status, r.url)) if r.status >= 400 else None)
    page.on("requestfailed", lambda r: refused.append((r.failure, r.url)))
    return refused


def test_shaka_player_on_an_apps_origin_plays_a_session_to_its_end(browser, served, package):
    assert APP_ORIGIN.startswith("http://localhost:")  # a secure context (WebCrypto decrypts AES-128) of another origin
    fronts = [front for front in ("serve", "nginx") if front in served]
    with app_site(int(APP_ORIGIN.rsplit(":", 1)[1])) as site:
        players = {}  # both fronts play at once, in two tabs (two streams: the viewer's limit)
        for front in fronts:
            started = start(package)
            context = browser.new_context()
            page = context.new_page()
            players[front] = (context, page, _refused(page))
            page.goto(f"{site}/player?src={served[front]}{started.master_url}")
        for front, (context, page, refused) in players.items():
            page.wait_for_function("() => window.result.loaded || window.result.error", timeout=20_000)
            page.wait_for_function("() => window.result.ended || window.result.error", timeout=(CLIP_SECONDS + 30) * 1000)
            result = page.evaluate("() => ({...window.result, t: document.getElementById('v').currentTime})")
            assert result["error"] is None and result["ended"], (front, result, refused)
            assert result["t"] >= CLIP_SECONDS - 1 and not refused, (front, result, refused)
            context.close()


def test_an_unregistered_origin_cannot_read_the_stream(browser, served, package):
    started = start(package)
    context = browser.new_context()
    page = context.new_page()
    with app_site(free_port()) as other:
        page.goto(f"{other}/player?src={served['serve']}{started.master_url}")
        page.wait_for_function("() => window.result.error", timeout=20_000)
        assert page.evaluate("() => window.result.loaded") is False
    context.close()
