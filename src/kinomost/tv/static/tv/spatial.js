/* Spatial navigation for the TV app: which element a D-pad arrow moves the focus to, and which
   remote-control key means what.

   A remote has four arrows, OK and Back; the page has posters in rows, buttons, menus. Moving
   "right" goes to the nearest focusable element whose box lies to the right, preferring one that
   shares the line (overlaps on the other axis) over a closer one that does not. Inside a row
   marked [data-nav-row], Left and Right stay in the row (at its end nothing happens); the row
   remembers the element last focused in it, so leaving a row and coming back returns to the
   same poster, as TV viewers expect.

   Plain ES5 without modules: TV browsers (Tizen 4+, webOS 4+, set-top boxes) run it as it is.
   Exposed as window.KinomostSpatial; tests/tv/test_spatial_navigation.py drives it in Chromium. */
(function (global) {
  "use strict";

  var DIRECTIONS = { left: true, right: true, up: true, down: true };

  /* Remote and keyboard keys, by KeyboardEvent.key and, for older TV browsers, keyCode. */
  var KEYS = {
    ArrowLeft: "left", Left: "left", ArrowRight: "right", Right: "right",
    ArrowUp: "up", Up: "up", ArrowDown: "down", Down: "down",
    Enter: "enter", Accept: "enter", Select: "enter",
    Escape: "back", Esc: "back", Backspace: "back", GoBack: "back", BrowserBack: "back", XF86Back: "back",
    MediaPlayPause: "playpause", MediaPlay: "play", MediaPause: "pause", MediaStop: "stop",
    MediaFastForward: "forward", MediaRewind: "rewind"
  };
  var KEY_CODES = {
    37: "left", 38: "up", 39: "right", 40: "down", 13: "enter", 27: "back", 8: "back",
    10009: "back",  /* Samsung Tizen: Return */
    461: "back",    /* LG webOS: Back */
    10252: "playpause", 415: "play", 19: "pause", 413: "stop", 417: "forward", 412: "rewind"
  };

  /** What a key press means ("left", "enter", "back", "playpause" …), or null. Backspace in a
      text field is editing, not Back. */
  function action(event) {
    var name = KEYS[event.key] || KEY_CODES[event.keyCode] || null;
    var target = event.target || {};
    var editing = target.tagName === "INPUT" || target.tagName === "TEXTAREA";
    var backspace = event.key === "Backspace" || event.keyCode === 8;
    if (editing && ((name === "back" && backspace) || name === "left" || name === "right")) return null;
    return name;
  }

  /* Where the element lies in the layout, as if no list were scrolled: a row scrolled up out
     of sight is still the one above the next row (and nearer to it than the menu over them). */
  function box(el) {
    var r = el.getBoundingClientRect();
    var dx = 0, dy = 0;
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) { dx += p.scrollLeft; dy += p.scrollTop; }
    return { left: r.left + dx, top: r.top + dy, right: r.right + dx, bottom: r.bottom + dy, width: r.width, height: r.height };
  }

  /* The distance along the way we go (0 when touching), the gap across it (0 when the boxes
     overlap across), or null when the candidate does not lie wholly that way. */
  function offsets(from, to, direction) {
    var eps = 1;
    var horizontal = direction === "right" || direction === "left";
    var beyond = { right: to.left >= from.right - eps, left: to.right <= from.left + eps,
                   down: to.top >= from.bottom - eps, up: to.bottom <= from.top + eps }[direction];
    if (!beyond) return null;
    var along = { right: to.left - from.right, left: from.left - to.right, down: to.top - from.bottom, up: from.top - to.bottom }[direction];
    var lo = horizontal ? "top" : "left", hi = horizontal ? "bottom" : "right";
    return {
      along: Math.max(0, along),
      across: Math.max(0, Math.max(to[lo], from[lo]) - Math.min(to[hi], from[hi])),
      overlaps: to[lo] < from[hi] - eps && to[hi] > from[lo] + eps,
      centre: Math.abs((to[lo] + to[hi]) - (from[lo] + from[hi])) / 2
    };
  }

  /** The best of `candidates` (objects with a `rect`) to move to from `fromRect`, or null:
      first those that overlap across the direction, then the smallest gap along it plus twice
      the gap across, then the one whose centre is best aligned. */
  function nearest(fromRect, candidates, direction) {
    if (!DIRECTIONS[direction]) throw new Error("unknown direction " + direction);
    var best = null, bestKey = null;
    for (var i = 0; i < candidates.length; i++) {
      var o = offsets(fromRect, candidates[i].rect, direction);
      if (!o) continue;
      var key = [o.overlaps ? 0 : 1, o.along + 2 * o.across, o.centre];
      if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && (key[1] < bestKey[1] - 0.5 ||
          (Math.abs(key[1] - bestKey[1]) <= 0.5 && key[2] < bestKey[2])))) {
        best = candidates[i];
        bestKey = key;
      }
    }
    return best;
  }

  function visible(el) {
    if (el.disabled || el.hidden || el.getAttribute("aria-hidden") === "true") return false;
    var r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && !el.closest("[hidden]");
  }

  /** Focus moves among `[data-focusable]` elements inside `scope()` (the screen shown now). */
  function Navigator(scope) {
    this.scope = scope;
    document.addEventListener("focusin", function (event) {
      var row = event.target && event.target.closest && event.target.closest("[data-nav-row]");
      if (row) row.kinomostLastFocus = event.target;
    });
  }

  Navigator.prototype.focusables = function () {
    var root = this.scope();
    if (!root) return [];
    return Array.prototype.filter.call(root.querySelectorAll("[data-focusable]"), visible);
  };

  Navigator.prototype.focus = function (el) {
    if (!el) return false;
    try { el.focus({ preventScroll: true }); } catch (e) { el.focus(); }
    /* a [data-nav-block] (a row with its heading) scrolls to the top of its list, as TV rows
       do; then the element itself comes into view along its row */
    var block = el.closest("[data-nav-block]");
    if (block && block.scrollIntoView) {
      try { block.scrollIntoView({ block: "start", inline: "nearest" }); } catch (e) { block.scrollIntoView(true); }
    }
    if (el.scrollIntoView) {
      try { el.scrollIntoView({ block: "nearest", inline: "nearest" }); } catch (e) { el.scrollIntoView(false); }
    }
    return true;
  };

  /** The first element marked [data-autofocus], else the first focusable one. */
  Navigator.prototype.focusFirst = function () {
    var all = this.focusables();
    var preferred = all.filter(function (el) { return el.hasAttribute("data-autofocus"); })[0];
    return this.focus(preferred || all[0]);
  };

  /** Moves the focus one step; false when nothing lies that way (the caller may then act). */
  Navigator.prototype.move = function (direction) {
    var all = this.focusables();
    var current = document.activeElement;
    if (all.indexOf(current) < 0) return this.focusFirst();
    var from = box(current);
    var candidates = all.filter(function (el) { return el !== current; })
      .map(function (el) { return { el: el, rect: box(el) }; });
    var ownRow = current.closest("[data-nav-row]");
    if (ownRow && (direction === "left" || direction === "right")) {
      /* along a row, the arrows stay in it: at its end nothing happens, as on every TV */
      candidates = candidates.filter(function (c) { return c.el.closest("[data-nav-row]") === ownRow; });
    }
    var found = nearest(from, candidates, direction);
    if (!found) return false;
    var row = found.el.closest("[data-nav-row]");
    var currentRow = current.closest("[data-nav-row]");
    if (row && row !== currentRow && row.kinomostLastFocus && all.indexOf(row.kinomostLastFocus) >= 0 &&
        (direction === "up" || direction === "down")) {
      return this.focus(row.kinomostLastFocus);
    }
    return this.focus(found.el);
  };

  global.KinomostSpatial = { action: action, nearest: nearest, Navigator: Navigator };
})(window);
