"""The TV app's spatial navigation (src/kinomost/tv/static/tv/spatial.js) in Chromium: where each
D-pad arrow takes the focus on screens laid out like the app's (a menu, rows of posters, a grid),
that rows remember their last poster, and which remote keys mean Back."""

from pathlib import Path

import pytest

import kinomost

pytestmark = pytest.mark.e2e

SPATIAL = Path(kinomost.__file__).parent / "tv" / "static" / "tv" / "spatial.js"

# Boxes in CSS pixels: a menu of two buttons on top, then two rows of four posters, the second
# row shifted right by 40 px, a lone button at the bottom left and one far right in its line,
# one right of the first row's end but lower (not in its line) and one far right in its line.
LAYOUT = """
<style>button { position: absolute; width: 100px; height: 60px; margin: 0; padding: 0; }</style>
<div id="root">
  <nav data-nav-row>
    <button data-focusable id="m1" style="left: 0; top: 0">m1</button>
    <button data-focusable id="m2" style="left: 120px; top: 0">m2</button>
  </nav>
  <div data-nav-row id="row1">
    <button data-focusable id="a1" style="left: 0; top: 100px">a1</button>
    <button data-focusable id="a2" style="left: 120px; top: 100px">a2</button>
    <button data-focusable id="a3" style="left: 240px; top: 100px">a3</button>
    <button data-focusable id="a4" style="left: 360px; top: 100px">a4</button>
  </div>
  <div data-nav-row id="row2">
    <button data-focusable id="b1" style="left: 40px; top: 200px">b1</button>
    <button data-focusable id="b2" style="left: 160px; top: 200px">b2</button>
    <button data-focusable id="b3" style="left: 280px; top: 200px">b3</button>
    <button data-focusable id="b4" style="left: 400px; top: 200px">b4</button>
  </div>
  <button data-focusable id="low" style="left: 0; top: 400px">low</button>
  <button data-focusable id="side" style="left: 560px; top: 160px">side</button>
  <button data-focusable id="far" style="left: 900px; top: 100px">far</button>
  <button data-focusable id="lowfar" style="left: 900px; top: 400px">lowfar</button>
  <button data-focusable id="off" disabled style="left: 500px; top: 100px">off</button>
  <button data-focusable id="gone" hidden style="left: 120px; top: 300px">gone</button>
</div>
"""


@pytest.fixture
def nav_page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.set_content(LAYOUT)
    page.add_script_tag(path=str(SPATIAL))
    page.evaluate("window.nav = new KinomostSpatial.Navigator(() => document.getElementById('root'))")
    yield page
    context.close()


def _from(page, start: str, *moves: str, fresh=True) -> str:
    """Focus `start`, press the arrows, say where the focus is; `fresh` forgets what the rows remember."""
    if fresh:
        page.evaluate("document.querySelectorAll('[data-nav-row]').forEach(r => { r.kinomostLastFocus = null; })")
    page.focus(f"#{start}")
    for direction in moves:
        page.evaluate(f"nav.move('{direction}')")
    return page.evaluate("document.activeElement.id")


def test_arrows_move_along_a_row_and_stop_at_its_ends(nav_page):
    assert _from(nav_page, "a1", "right") == "a2"
    assert _from(nav_page, "a1", "right", "right", "right") == "a4"
    assert _from(nav_page, "a4", "left") == "a3"
    assert _from(nav_page, "b4", "right") == "b4"  # a row's end: Right does nothing, though "side" lies that way
    assert nav_page.evaluate("nav.move('right')") is False  # the app may act on it (e.g. load more)
    assert _from(nav_page, "m2", "right") == "m2"
    assert _from(nav_page, "m1", "left") == "m1"


def test_outside_rows_the_same_line_wins_over_a_nearer_element_out_of_it(nav_page):
    assert _from(nav_page, "low", "right") == "lowfar"  # b2 and side are nearer but not in low's line
    assert _from(nav_page, "side", "left") == "b4"  # nothing in side's line: the nearest (gap along + 2 × across)
    assert _from(nav_page, "far", "down") == "lowfar"


def test_down_and_up_go_to_the_best_aligned_neighbour(nav_page):
    assert _from(nav_page, "m1", "down") == "a1"
    assert _from(nav_page, "a2", "down") == "b2"  # b1 and b2 both overlap a2; b2's centre is nearer
    assert _from(nav_page, "a4", "down") == "b4"
    assert _from(nav_page, "b1", "down") == "low"
    assert _from(nav_page, "b4", "down") == "low"  # not in b4's column, but the only thing below
    assert _from(nav_page, "low", "up") == "b1"


def test_a_row_remembers_its_last_poster(nav_page):
    assert _from(nav_page, "a3", "down") == "b3"
    assert _from(nav_page, "b3", "left", "left", fresh=False) == "b1"
    assert nav_page.evaluate("nav.move('up')") is True
    assert nav_page.evaluate("document.activeElement.id") == "a3"  # back to the poster left in row 1, not a1 above b1
    assert _from(nav_page, "b1", "up") == "a1"  # a row that remembers nothing: the aligned poster


def test_disabled_and_hidden_elements_are_never_focused(nav_page):
    ids = nav_page.evaluate("nav.focusables().map(e => e.id)")
    assert "off" not in ids and "gone" not in ids and len(ids) == 14
    assert _from(nav_page, "a1", "down", "down", "down") == "low"  # past the hidden one under a2


def test_focus_first_prefers_autofocus(nav_page):
    nav_page.evaluate("document.getElementById('b3').setAttribute('data-autofocus', '')")
    nav_page.evaluate("nav.focusFirst()")
    assert nav_page.evaluate("document.activeElement.id") == "b3"
    nav_page.evaluate("document.activeElement.blur()")
    nav_page.evaluate("nav.move('left')")  # nothing focused yet: an arrow focuses the screen's first choice
    assert nav_page.evaluate("document.activeElement.id") == "b3"


@pytest.mark.parametrize(
    ("key", "code", "expected"),
    [
        ("ArrowLeft", 37, "left"),
        ("ArrowDown", 40, "down"),
        ("Enter", 13, "enter"),
        ("Escape", 27, "back"),
        ("Backspace", 8, "back"),
        ("Unidentified", 10009, "back"),  # Samsung Tizen: Return
        ("Unidentified", 461, "back"),  # LG webOS: Back
        ("MediaPlayPause", 179, "playpause"),
        ("Unidentified", 10252, "playpause"),
        ("a", 65, None),
    ],
)
def test_remote_keys(nav_page, key, code, expected):
    got = nav_page.evaluate("([key, code]) => KinomostSpatial.action({key: key, keyCode: code, target: document.body})", [key, code])
    assert got == expected


def test_in_a_text_field_backspace_and_sideways_arrows_edit(nav_page):
    nav_page.evaluate("document.getElementById('root').insertAdjacentHTML('beforeend', '<input id=q>')")
    action = "(key) => KinomostSpatial.action({key: key, keyCode: 0, target: document.getElementById('q')})"
    assert nav_page.evaluate(action, "Backspace") is None
    assert nav_page.evaluate(action, "ArrowLeft") is None
    assert nav_page.evaluate(action, "ArrowDown") == "down"  # leaves the field, as a remote has no other way
    assert nav_page.evaluate(action, "Escape") == "back"


SCROLLED = """
<style>button { width: 100px; height: 60px; margin: 0; padding: 0; display: block; } .row { display: flex; height: 100px; }</style>
<div id="root">
  <nav data-nav-row><button data-focusable id="menu">menu</button></nav>
  <div id="list" style="height: 200px; overflow: hidden">
    <div class="row" data-nav-row><button data-focusable id="r1">r1</button></div>
    <div class="row" data-nav-row><button data-focusable id="r2">r2</button></div>
    <div class="row" data-nav-row><button data-focusable id="r3">r3</button></div>
  </div>
</div>
"""


def test_a_row_scrolled_out_of_sight_is_still_the_one_above(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.set_content(SCROLLED)
    page.add_script_tag(path=str(SPATIAL))
    page.evaluate("window.nav = new KinomostSpatial.Navigator(() => document.getElementById('root'))")
    page.evaluate("document.getElementById('list').scrollTop = 100")  # r1 is above the list's top, under the menu
    page.focus("#r2")
    page.evaluate("nav.move('up')")
    assert page.evaluate("document.activeElement.id") == "r1"  # not the menu, though r1's box is out of sight behind it
    page.evaluate("nav.move('up')")
    assert page.evaluate("document.activeElement.id") == "menu"
    context.close()
