"""Storefront benchmark over the `kinomost demo --scale` storefront (/watch/scale-cinema/scale/):
home, a film's title page, a series' title page and search, at 10 %, 50 %, 100 % of the library.

    PYTHONPATH=src .venv/bin/python bench/storefront.py --db sqlite --sizes 10,100
    PYTHONPATH=src .venv/bin/python bench/storefront.py --db postgres --sizes 10 --seconds 5

Per size, in a worker process on that size's library (bench/scale_library.py: built once, reused):
  anchor     hand-written indexed SQL returning the same page of visible works (the visibility
             set's rows, their titles in the reader's language), on a raw cursor
  selector   the storefront's function the page calls (home_rows, playable_under, search); for
             home also "unkept": its shelves computed as after a change of the set, not kept
  in-process the whole page through Django's test client (middleware, view, template)
  server     `kinomost serve` as it starts by default, the viewer's session cookie, keep-alive
             connections from 1, 8 and 32 client threads for --seconds each: p50, p95, requests/s
Goals (issue 13): page p95 <= 50 ms single client at 100 %; <= 2x the anchor; flat from 10 % to
100 % (within 1.5x); throughput not falling from 1 to 32 clients. Ratios are of figures measured
in the same run; the machine is shared, so expect noise and compare ratios, not absolutes.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import scale_library
from scale_library import DEFAULT_SIZE, ROOT

PAGES = ("home", "film", "series", "search")
RESULTS = ROOT / "var" / "bench-storefront"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--films", type=int, default=DEFAULT_SIZE[0], help="the 100 %% size (default 5000)")
    parser.add_argument("--series", type=int, default=DEFAULT_SIZE[1], help="the 100 %% size (default 100000)")
    parser.add_argument("--sizes", default="10,50,100", help="percentages of the library, comma-separated")
    parser.add_argument("--samples", type=int, default=60, help="sequential samples per page for anchor, selector, in-process")
    parser.add_argument("--seconds", type=float, default=6.0, help="load per page and client count against the server")
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--no-server", action="store_true", help="in-process figures only")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for db in scale_library.databases(args.db):
        found = {}
        for pct in [int(p) for p in args.sizes.split(",")]:
            films, series = args.films * pct // 100, args.series * pct // 100
            out = RESULTS / f"{db}-{films}-{series}.json"
            extra = ["--samples", str(args.samples), "--seconds", str(args.seconds), "--clients", args.clients, "--out", str(out)]
            scale_library.run_worker(__file__, db, films, series, *extra, *(["--no-server"] if args.no_server else []))
            found[pct] = json.loads(out.read_text())
        _summary(db, found)


def _summary(db: str, found: dict[int, dict]) -> None:
    sizes = sorted(found)
    if len(sizes) < 2:
        return
    print(f"\n## {db}: growth and goals (p95, ms; each size's figures from its own run)")
    print(f"{'page':<8} " + " ".join(f"{str(p) + ' % page':>12} {'anchor':>7}" for p in sizes) + f" {'last/first':>11} {'anchor':>7}")
    for page in PAGES:
        cells = " ".join(f"{found[p]['pages'][page]['page_p95']:>12.1f} {found[p]['pages'][page]['anchor_p95']:>7.2f}" for p in sizes)
        lo, hi = found[sizes[0]]["pages"][page], found[sizes[-1]]["pages"][page]
        print(f"{page:<8} {cells} {hi['page_p95'] / lo['page_p95']:>10.2f}x {hi['anchor_p95'] / lo['anchor_p95']:>6.2f}x")


# ---------------------------------------------------------------- worker (inside Django)


def worker(args) -> None:
    total, ready_s = scale_library.open_library(args.films, args.series)
    from django.db import connection

    from kinomost.cinema.visibility_models import VisibleTitle, VisibleWork

    fixture = _fixture()
    rows = VisibleWork.objects.filter(platform=fixture["platform"]).count()
    titles = VisibleTitle.objects.filter(platform=fixture["platform"]).count()
    print(
        f"\n## {connection.vendor}: {total} works, storefront of {titles} titles / {rows} visible rows (ready in {ready_s:.0f} s); "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
    )
    rng = random.Random(13)
    samples = {page: [_sample(page, fixture, rng) for _ in range(args.samples)] for page in PAGES}
    result = {"works": total, "rows": rows, "pages": {}}
    print(
        f"{'page':<8} {'anchor p50':>10} {'p95':>7} {'selector p50':>12} {'p95':>7} {'page p50':>9} {'p95':>7} "
        f"{'sel/anchor':>10} {'page/anchor':>11} {'queries':>7}  (ms, in-process, one client)"
    )
    for page in PAGES:
        anchor = _timed(lambda s, page=page: ANCHORS[page](fixture, s), samples[page])
        if page == "home":  # the shelves as computed on a miss: after a change of the set, or by a new process
            unkept = _timed(lambda s: _home_unkept(fixture, s), samples[page])
            result["home_unkept"] = {"selector_p50": unkept[0], "selector_p95": unkept[1]}
        selector = _timed(lambda s, page=page: SELECTORS[page](fixture, s), samples[page])
        client = _client(fixture)
        whole = _timed(lambda s, page=page, client=client: _get(client, _path(page, fixture, s)), samples[page])
        queries = _queries(lambda page=page, client=client: _get(client, _path(page, fixture, samples[page][0])))
        r = {
            "anchor_p50": anchor[0],
            "anchor_p95": anchor[1],
            "selector_p50": selector[0],
            "selector_p95": selector[1],
            "page_p50": whole[0],
            "page_p95": whole[1],
            "queries": queries,
        }
        result["pages"][page] = r
        print(
            f"{page:<8} {anchor[0]:>10.2f} {anchor[1]:>7.2f} {selector[0]:>12.2f} {selector[1]:>7.2f} {whole[0]:>9.1f} {whole[1]:>7.1f} "
            f"{selector[1] / anchor[1]:>9.2f}x {whole[1] / anchor[1]:>10.2f}x {queries:>7}"
        )
        if page == "home":
            print(
                f"{'  unkept':<8} {'':>10} {'':>7} {unkept[0]:>12.2f} {unkept[1]:>7.2f} {'':>9} {'':>7} {unkept[1] / anchor[1]:>9.2f}x"
                "   (the shelves computed, not kept: the first request after a change of the set)"
            )
    if not args.no_server:
        result["server"] = _server_load(fixture, samples, [int(c) for c in args.clients.split(",")], args.seconds)
    Path(args.out).write_text(json.dumps(result))


def _fixture() -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from kinomost.cinema import storefront
    from kinomost.cinema.models import Platform
    from kinomost.cinema.visibility_models import VisibleTitle
    from kinomost.demo.scale import OWNER, PLATFORM, VIEWER_EMAIL

    platform = Platform.objects.select_related("organisation").get(organisation__slug=OWNER, slug=PLATFORM)
    user = get_user_model().objects.get(email=VIEWER_EMAIL)
    viewer = user.viewer_accounts.get(platform=platform)
    tops = list(VisibleTitle.objects.filter(platform=platform).values_list("top_id", "top__kind", "top__original_title"))
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return {
        "platform": platform,
        "user": user,
        "viewer": viewer,
        "profile": viewer.profiles.first(),
        "cookie": cookie,
        "films": [t for t, kind, _ in tops if kind == "feature"],
        "series": [t for t, kind, _ in tops if kind == "series"],
        "words": _words([t for t, _k, _title in tops[:5000]]),
        "viewing": storefront.Viewing(platform, viewer.country),
        "base": f"/watch/{OWNER}/{PLATFORM}/",
    }


def _words(top_ids: list[int]) -> list[str]:
    """What viewers type: the start of a Russian or English title (4-6 letters)."""
    from kinomost.catalog.models import WorkLocalization

    titles = WorkLocalization.objects.filter(work_id__in=top_ids, language__in=["ru", "en"]).values_list("title", flat=True)
    rng = random.Random(5)
    return sorted({t[: rng.randint(4, 6)] for t in titles if len(t) >= 6})


def _sample(page: str, fixture: dict, rng: random.Random):
    if page == "film":
        return rng.choice(fixture["films"])
    if page == "series":
        return rng.choice(fixture["series"])
    if page == "search":
        return rng.choice(fixture["words"])
    return None


def _path(page: str, fixture: dict, sample) -> str:
    from urllib.parse import quote

    base = fixture["base"]
    return {
        "home": base,
        "film": f"{base}titles/{sample}/",
        "series": f"{base}titles/{sample}/",
        "search": f"{base}search/?q={quote(str(sample))}",
    }[page]


def _timed(call, samples) -> tuple[float, float]:
    for s in samples[:3]:
        call(s)  # warm: connections, caches, compiled templates
    spent = []
    for s in samples:
        started = time.perf_counter()
        call(s)
        spent.append((time.perf_counter() - started) * 1000)
    return statistics.median(spent), _p95(spent)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _client(fixture: dict):
    from django.test import Client

    client = Client()
    client.force_login(fixture["user"])
    return client


def _get(client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")


def _queries(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


# ---------------------------------------------------------------- what the pages call, and the anchors


def _home(fixture, _sample):
    from kinomost.cinema import storefront

    return storefront.home_rows(fixture["viewing"], fixture["profile"], "ru")


def _home_unkept(fixture, _sample):
    from kinomost.cinema import storefront

    storefront.forget_shelves()
    return storefront.home_rows(fixture["viewing"], fixture["profile"], "ru")


def _title(fixture, top_id):
    from kinomost.cinema import storefront

    return storefront.playable_under(fixture["viewing"], top_id)


def _search(fixture, text):
    from kinomost.cinema import storefront

    return storefront.search(fixture["viewing"], text, "ru")


SELECTORS = {"home": _home, "film": _title, "series": _title, "search": _search}


def _fetch(sql: str, params: list) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _visible(alias: str) -> str:
    return f"{alias}.platform_id = %s AND {alias}.territory = %s AND {alias}.valid_from <= %s AND {alias}.valid_to > %s"


def _visible_params(fixture) -> list:
    from datetime import date

    day = date.today().isoformat()
    return [fixture["platform"].pk, "RU", day, day]


def _titles_sql(ids: list[int]) -> list[tuple]:
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    return _fetch(f"SELECT work_id, language, title FROM catalog_worklocalization WHERE work_id IN ({marks})", ids)


def _anchor_home(fixture, _sample):
    """The newest 20 titles, then 20 per genre, then their titles: the same page, by hand."""
    params = _visible_params(fixture)
    ids = [
        r[0] for r in _fetch(f"SELECT t.top_id FROM cinema_visibletitle t WHERE {_visible('t')} ORDER BY t.ready_at DESC LIMIT 20", params)
    ]
    for (genre,) in _fetch("SELECT slug FROM catalog_genre ORDER BY slug", []):
        ids += [
            r[0]
            for r in _fetch(  # CROSS JOIN: walk the titles' (platform, territory, ready_at) index, probe the genre
                f"SELECT t.top_id FROM cinema_visibletitle t CROSS JOIN catalog_work_genres g "
                f"WHERE {_visible('t')} AND g.work_id = t.top_id AND g.genre_id = %s ORDER BY t.ready_at DESC LIMIT 20",
                [*params, genre],
            )
        ]
    return _titles_sql(sorted(set(ids)))


def _anchor_title(fixture, top_id):
    """The playable film or episodes of one title with their packages, and their titles."""
    rows = _fetch(
        f"SELECT w.work_id, w.media, a.public_id FROM cinema_visiblework w JOIN cinema_asset a ON a.id = w.asset_id "
        f"WHERE {_visible('w')} AND w.top_id = %s",
        [*_visible_params(fixture), top_id],
    )
    return _titles_sql(sorted({top_id, *(r[0] for r in rows)}))


def _anchor_search(fixture, text):
    """Title keys starting with the text among the visible titles (the index's prefix range), 50 of them with their titles."""
    from kinomost.catalog.search.normalise import query_forms

    key = query_forms(text)[1]
    rows = _fetch(
        f"SELECT k.work_id FROM catalog_searchkey k WHERE k.key >= %s AND k.key < %s AND k.kind <> 'han' AND EXISTS ("
        f"SELECT 1 FROM cinema_visibletitle t WHERE t.top_id = k.work_id AND {_visible('t')}) LIMIT 400",
        [key, key + "\uffff", *_visible_params(fixture)],
    )
    return _titles_sql(sorted({r[0] for r in rows})[:50])


ANCHORS = {"home": _anchor_home, "film": _anchor_title, "series": _anchor_title, "search": _anchor_search}


# ---------------------------------------------------------------- against `kinomost serve`


def _server_load(fixture: dict, samples: dict, clients: list[int], seconds: float) -> dict:
    env = dict(os.environ)
    port = _free_port()
    kinomost = Path(sys.executable).parent / "kinomost"
    proc = subprocess.Popen(
        [str(kinomost), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _wait_for(port, proc)
        print(f"\nkinomost serve (its default workers), keep-alive client threads, {seconds:.0f} s each (ms, requests/s)")
        print(f"{'page':<8} " + " ".join(f"{str(c) + ' cl p50':>10} {'p95':>7} {'req/s':>7}" for c in clients) + f" {'32/1 req/s':>10}")
        out = {}
        for page in PAGES:
            paths = [_path(page, fixture, s) for s in samples[page]]
            out[page] = {c: _load(port, paths, fixture["cookie"], c, seconds) for c in clients}
            cells = " ".join(f"{out[page][c]['p50']:>10.1f} {out[page][c]['p95']:>7.1f} {out[page][c]['rps']:>7.1f}" for c in clients)
            print(f"{page:<8} {cells} {out[page][clients[-1]]['rps'] / out[page][clients[0]]['rps']:>9.2f}x")
        return out
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _load(port: int, paths: list[str], cookie: str, clients: int, seconds: float) -> dict:
    spent: list[float] = []
    errors = [0]
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def one(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, i = [], offset
        while time.monotonic() < end:
            started = time.perf_counter()
            conn.request("GET", paths[i % len(paths)], headers={"Cookie": cookie, "Accept-Language": "ru"})
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                with lock:
                    errors[0] += 1
            if response.will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            i += 1
        with lock:
            spent.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=one, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    if errors[0]:
        print(f"  {errors[0]} answers were not 200", file=sys.stderr)
    return {"p50": statistics.median(spent), "p95": _p95(spent), "rps": len(spent) / elapsed, "errors": errors[0]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None:
                sys.exit(f"kinomost serve did not start: {proc.stderr.read().decode()}")
            time.sleep(0.1)
    sys.exit(f"kinomost serve did not listen on {port} within 60 s")


if __name__ == "__main__":
    main()
