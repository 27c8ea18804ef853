/* The 10-foot TV app: pairing by code (RFC 8628), profiles (kids PIN), home rows, search, title
   (seasons, episodes), player (hls.js) with audio and subtitles, all by D-pad.

   Screens are drawn with the DOM (no innerHTML for anything that came from the API) into
   #screen; each screen is pushed on a stack so that Back returns to the one before. Focus moves
   with KinomostSpatial; every call goes through KinomostViewerApi. Strings come translated from
   the page (tv/strings.py). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("tv-config").textContent);
  var T = config.strings;
  var screenRoot = document.getElementById("screen");
  var statusLine = document.getElementById("tv-status");
  var profileChip = document.getElementById("tv-profile");
  var nav = new KinomostSpatial.Navigator(function () { return screenRoot; });
  var stack = [];
  var profileKey = config.storageKey + ".profile";
  var api = new KinomostViewerApi.Api({
    base: config.api, clientId: config.clientId, language: config.language, storageKey: config.storageKey,
    onSignedOut: function () { showPairing(); }
  });
  var names = null;
  try { names = new Intl.DisplayNames([config.language], { type: "language" }); } catch (e) { names = null; }

  /* ---- small helpers ------------------------------------------------------------------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "on") node.addEventListener("click", attrs[k]);
      else if (k === "className") node.className = attrs[k];
      else if (attrs[k] === true) node.setAttribute(k, "");
      else if (attrs[k] !== false && attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function button(label, onPress, attrs) {
    var b = el("button", Object.assign({ type: "button", "data-focusable": true, text: label, on: onPress }, attrs || {}));
    return b;
  }

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, k) { return values[k] === undefined ? "" : String(values[k]); });
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") + m : m) + ":" + (s < 10 ? "0" : "") + s;
  }

  function languageName(code, fallback) {
    try { return (code && names && names.of(code)) || fallback || code || "?"; } catch (e) { return fallback || code || "?"; }
  }

  function status(text) {
    statusLine.textContent = text || "";
    statusLine.hidden = !text;
  }

  function failed(error) {
    if (error && error.status === 401) return;  /* signed out: the pairing screen is on its way */
    status((error && error.body && error.body.message) || T.error);
  }

  /* ---- screens ----------------------------------------------------------------------- */

  /* A screen: {name, node, keys(action) → handled?, leave()}. */
  function show(screen, replace) {
    var old = stack[stack.length - 1];
    if (old && old.leave) old.leave();
    if (replace) stack = [];
    stack.push(screen);
    render(screen);
  }

  function render(screen) {
    status("");
    screenRoot.innerHTML = "";
    screenRoot.className = "screen screen-" + screen.name;
    screenRoot.appendChild(screen.node);
    document.body.dataset.screen = screen.name;
    if (!screen.focusLater) nav.focusFirst();
  }

  function back() {
    if (stack.length < 2) return false;
    var leaving = stack.pop();
    if (leaving.leave) leaving.leave();
    var previous = stack[stack.length - 1];
    render(previous);
    if (previous.lastFocus && document.body.contains(previous.lastFocus)) nav.focus(previous.lastFocus);
    if (previous.refresh) previous.refresh();
    return true;
  }

  function remember() {
    var current = stack[stack.length - 1];
    if (current) current.lastFocus = document.activeElement;
  }

  document.addEventListener("keydown", function (event) {
    var action = KinomostSpatial.action(event);
    var screen = stack[stack.length - 1];
    if (screen && screen.keys && screen.keys(action, event)) { event.preventDefault(); return; }  /* e.g. digits on the PIN pad */
    if (!action) return;
    if (action === "back") { event.preventDefault(); back(); return; }
    if (action === "enter") {
      var target = document.activeElement;
      if (target && target.tagName !== "INPUT" && target.hasAttribute("data-focusable")) { event.preventDefault(); remember(); target.click(); }
      return;
    }
    if (action === "left" || action === "right" || action === "up" || action === "down") {
      event.preventDefault();
      nav.move(action);
    }
  });

  /* ---- pairing (RFC 8628) ---------------------------------------------------------------- */

  function qrSvg(text) {
    var qr = qrcode(0, "M");
    qr.addData(text);
    qr.make();
    var n = qr.getModuleCount(), quiet = 4, d = [];
    for (var r = 0; r < n; r++) for (var c = 0; c < n; c++) if (qr.isDark(r, c)) d.push("M" + (c + quiet) + "," + (r + quiet) + "h1v1h-1z");
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + (n + 2 * quiet) + " " + (n + 2 * quiet));
    svg.setAttribute("class", "qr");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", text);
    svg.setAttribute("data-qr-text", text);
    svg.setAttribute("shape-rendering", "crispEdges");
    var bg = document.createElementNS(ns, "rect");
    bg.setAttribute("width", "100%"); bg.setAttribute("height", "100%"); bg.setAttribute("fill", "#fff");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", d.join("")); path.setAttribute("fill", "#000");
    svg.appendChild(bg); svg.appendChild(path);
    return svg;
  }

  function shownCode(code) {
    var plain = String(code || "").replace(/[^A-Za-z0-9]/g, "").toUpperCase();
    return plain.length === 8 ? plain.slice(0, 4) + "-" + plain.slice(4) : String(code || "");
  }

  function showPairing(note) {
    var control = { cancelled: false };
    var message = el("p", { className: "pair-note", id: "pair-note", text: note || "" });
    var node = el("section", { className: "pairing" }, [el("h1", { text: T.pair_title }), el("p", { className: "loading", text: T.loading })]);
    var screen = { name: "pairing", node: node, leave: function () { control.cancelled = true; }, keys: function (a) { return a === "back"; } };
    setProfile(null);
    show(screen, true);
    api.deviceCode().then(function (code) {
      if (control.cancelled) return;
      node.innerHTML = "";
      var retry = button(T.pair_retry, function () { showPairing(); }, { id: "pair-retry" });
      node.appendChild(el("div", { className: "pair-columns" }, [
        el("div", { className: "pair-steps" }, [
          el("h1", { text: T.pair_title }),
          el("p", { text: T.pair_step_visit }),
          el("p", { className: "pair-uri", id: "pair-uri", text: code.verification_uri }),
          el("p", { text: T.pair_step_code }),
          el("p", { className: "user-code", id: "user-code", text: shownCode(code.user_code) }),
          el("p", { className: "pair-expiry", text: format(T.pair_expires, { minutes: Math.round((code.expires_in || 600) / 60) }) }),
          el("p", { className: "pair-waiting", text: T.pair_waiting }),
          message, retry
        ]),
        el("figure", { className: "pair-qr" }, [qrSvg(code.verification_uri_complete || code.verification_uri), el("figcaption", { text: T.pair_scan })])
      ]));
      nav.focus(retry);
      control.onWait = function (error) { message.textContent = error.status === 0 || error.status >= 500 ? T.pair_offline : (note || ""); };
      return api.pollDeviceToken(code, control).then(function () { showProfiles(true); }, function (error) {
        if (control.cancelled) return;
        if (error.code === "expired_token") { showPairing(T.pair_expired); return; }
        message.textContent = error.code === "access_denied" ? T.pair_denied : (error.message || T.error);
        node.classList.add("pair-failed");
      });
    }, function (error) {
      if (control.cancelled) return;
      node.appendChild(el("p", { className: "pair-note", text: error.status === 0 ? T.pair_offline : error.message }));
      node.appendChild(button(T.pair_retry, function () { showPairing(); }, { id: "pair-retry" }));
      nav.focusFirst();
    });
  }

  /* ---- profiles ------------------------------------------------------------------------ */

  /* The profile this TV watches as is kept by the service (per signed-in device); the TV keeps
     a copy only to show its name at once on the next start. */
  function chosenProfile() {
    try { return JSON.parse(localStorage.getItem(profileKey) || "null"); } catch (e) { return null; }
  }

  function setProfile(profile) {
    if (profile) localStorage.setItem(profileKey, JSON.stringify(profile)); else localStorage.removeItem(profileKey);
    profileChip.hidden = !profile;
    profileChip.textContent = profile ? profile.name + (profile.is_kids ? " · " + T.kids : "") : "";
  }

  function showProfiles(first) {
    var grid = el("div", { className: "profiles", "data-nav-row": true });
    var node = el("section", { className: "profile-picker" }, [el("h1", { text: T.profiles_title }), grid]);
    show({ name: "profiles", node: node, focusLater: true, keys: first ? function (a) { return a === "back"; } : null }, first);
    api.call("GET", "profiles").then(function (answer) {
      var profiles = answer.profiles || [];
      var current = profiles.filter(function (p) { return p.current; })[0] || null;
      if (profiles.length === 1 && first) { useProfile(profiles[0], "").catch(failed); return; }
      profiles.forEach(function (p) {
        grid.appendChild(button(p.name + (p.is_kids ? " · " + T.kids : ""), function () { pickProfile(p, current); }, {
          className: "profile" + (p.is_kids ? " kids" : "") + (p.current ? " current" : ""), "data-profile": p.id,
          "data-autofocus": !!p.current
        }));
      });
      nav.focusFirst();
    }, failed);
  }

  function pickProfile(profile, current) {
    var leavingKids = current && current.is_kids && !profile.is_kids && current.id !== profile.id;
    if (leavingKids) showPin(profile); else useProfile(profile, "").catch(failed);
  }

  function useProfile(profile, pin) {
    return api.call("POST", "profiles/" + encodeURIComponent(profile.id) + "/select", { pin: pin }).then(function (chosen) {
      setProfile(chosen);
      showHome();
    });
  }

  function showPin(profile) {
    var digits = [];
    var field = el("p", { className: "pin-field", id: "pin-field", "aria-live": "polite" });
    var message = el("p", { className: "pin-note", id: "pin-note" });
    var pad = el("div", { className: "pin-pad" });
    function draw() { field.textContent = digits.map(function () { return "●"; }).join(" ") || "—"; }
    function add(d) { if (digits.length < 8) digits.push(d); draw(); }
    "1234567890".split("").forEach(function (d) {
      pad.appendChild(button(d, function () { add(d); }, { className: "digit", "data-digit": d }));
    });
    pad.appendChild(button(T.pin_clear, function () { digits = []; draw(); }, { className: "digit wide", id: "pin-clear" }));
    pad.appendChild(button(T.pin_ok, submit, { className: "digit wide", id: "pin-ok" }));
    function submit() {
      useProfile(profile, digits.join("")).catch(function (error) {
        digits = []; draw();
        message.textContent = error.status === 403 ? T.pin_wrong : (error.message || T.error);
      });
    }
    draw();
    show({
      name: "pin", node: el("section", { className: "pin" }, [el("h1", { text: T.pin_title }), field, pad, message]),
      keys: function (action, event) {
        if (/^[0-9]$/.test(event.key || "")) { add(event.key); return true; }
        return false;
      }
    });
  }

  /* ---- home, search ------------------------------------------------------------------------ */

  function card(item) {
    var poster = item.poster_url;
    var b = el("button", { type: "button", className: "card", "data-focusable": true, "data-work": item.work_id, on: function () { showTitle(item.work_id); } }, [
      poster ? el("img", { src: poster, alt: "", loading: "lazy" }) : el("span", { className: "poster-blank" }),
      el("span", { className: "card-title", text: item.title || "" })
    ]);
    return b;
  }

  function row(title, items) {
    return el("section", { className: "row", "data-nav-block": true }, [
      el("h2", { text: title }),
      el("div", { className: "row-items", "data-nav-row": true }, items.map(card))
    ]);
  }

  function menu() {
    return el("nav", { className: "menu", "data-nav-row": true }, [
      button(T.search, showSearch, { id: "menu-search" }),
      button(T.profile, function () { showProfiles(false); }, { id: "menu-profiles" }),
      button(T.sign_out, function () { api.signOut().then(function () { setProfile(null); showPairing(); }); }, { id: "menu-sign-out" })
    ]);
  }

  /* Home is drawn again whenever the viewer comes back to it (continue watching changes after
     playing); the focus returns to the same title in the same row when it is still there. */
  function showHome() {
    var rows = el("div", { className: "rows" }, [el("p", { className: "loading", text: T.loading })]);
    var screen = { name: "home", node: el("section", { className: "home" }, [menu(), rows]), focusLater: true, keys: function (a) { return a === "back"; } };
    function load() {
      var focused = document.activeElement;
      var was = focused && focused.dataset && focused.dataset.work ? { work: focused.dataset.work, row: rowIndex(focused) } : null;
      api.call("GET", "home").then(function (answer) {
        if (stack[stack.length - 1] !== screen) return;
        rows.innerHTML = "";
        var list = (answer.rows || []).filter(function (r) { return r.titles.length; });
        if (!list.length) rows.appendChild(el("p", { className: "empty", text: T.home_empty }));
        list.forEach(function (r) { rows.appendChild(row(r.label, r.titles)); });
        var again = was && rows.querySelectorAll(".row")[was.row];
        var target = (again && again.querySelector(".card[data-work='" + was.work + "']")) || rows.querySelector(".card");
        if (target) nav.focus(target); else nav.focusFirst();
      }, failed);
    }
    screen.refresh = load;
    show(screen, true);
    load();
  }

  function rowIndex(card) {
    var rowNode = card.closest(".row");
    return rowNode ? Array.prototype.indexOf.call(rowNode.parentNode.children, rowNode) : -1;
  }

  function showSearch() {
    var input = el("input", { type: "search", id: "search-q", "data-focusable": true, placeholder: T.search_placeholder, autocomplete: "off" });
    var results = el("div", { className: "results", "data-nav-row": true });
    var timer = null;
    function run() {
      var q = input.value.trim();
      if (!q) { results.innerHTML = ""; return; }
      api.call("GET", "search?q=" + encodeURIComponent(q)).then(function (answer) {
        if (input.value.trim() !== q) return;
        results.innerHTML = "";
        var items = answer.results || [];
        if (!items.length) results.appendChild(el("p", { className: "empty", text: T.search_none }));
        items.forEach(function (item) { results.appendChild(card(item)); });
      }, failed);
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 300); });
    input.addEventListener("keydown", function (e) { if (e.key === "Enter") { clearTimeout(timer); run(); } });
    show({ name: "search", node: el("section", { className: "search" }, [el("h1", { text: T.search }), input, results]) });
  }

  /* ---- title: seasons, episodes, play ------------------------------------------------- */

  /* Play (from where this profile left it: the service says when the session starts) and From
     the beginning; a title this profile may not play says so, with what the platform offers. */
  function playButtons(work) {
    if (!work.entitled) {
      return [el("p", { className: "not-available", id: "not-available", text: T.not_available }),
              work.offers.length ? el("p", { className: "offers", text: work.offers.map(offerText).join(" · ") }) : null];
    }
    var what = { work_id: work.play_work_id, title: work.title };
    return [
      button(T.play, function () { showPlayer(what, null); }, { className: "play primary", id: "play", "data-autofocus": true }),
      button(T.from_start, function () { showPlayer(what, 0); }, { className: "play", id: "play-from-start" })
    ];
  }

  function offerText(offer) {
    var price = offer.price + " " + offer.currency;
    try { price = new Intl.NumberFormat(config.language, { style: "currency", currency: offer.currency }).format(Number(offer.price)); } catch (e) { /* keep the plain form */ }
    return (T["offer_" + offer.media] || offer.media) + " " + price;
  }

  function languagesLine(work) {
    var audio = work.audio.map(function (l) { return l.name; });
    var subs = work.subtitles.map(function (l) { return l.name; });
    return el("p", { className: "languages" }, [
      audio.length ? T.audio + ": " + audio.join(", ") : null, audio.length && subs.length ? " · " : null,
      subs.length ? T.subtitles + ": " + subs.join(", ") : null
    ]);
  }

  function seasonsBlock(work) {
    var seasons = work.seasons || [];
    if (!seasons.length) return null;
    var episodes = el("div", { className: "episodes", "data-nav-row": true });
    function fill(season) {
      episodes.innerHTML = "";
      (season.episodes || []).forEach(function (ep) {
        var numbered = ep.number ? format(T.episode, { number: ep.number }) : "";
        var label = !ep.title || ep.title === numbered ? numbered || ep.title : (ep.number ? ep.number + ". " : "") + ep.title;
        episodes.appendChild(button(label, function () { showPlayer({ work_id: ep.work_id, title: ep.title }, null); },
                                    { className: "episode", "data-work": ep.work_id }));
      });
    }
    var tabs = el("div", { className: "seasons", "data-nav-row": true }, seasons.map(function (season, i) {
      var tab = button(season.label || format(T.season, { number: season.number || i + 1 }), function () {
        Array.prototype.forEach.call(tabs.children, function (t) { t.classList.toggle("current", t === tab); });
        fill(season);
      }, { className: "season" + (i === 0 ? " current" : ""), "data-season": season.number || i + 1 });
      tab.addEventListener("focus", function () { tab.click(); });
      return tab;
    }));
    fill(seasons[0]);
    return el("div", { className: "series" }, [tabs, episodes]);
  }

  function showTitle(workId) {
    var node = el("section", { className: "title" }, [el("p", { className: "loading", text: T.loading })]);
    var screen = { name: "title", node: node, focusLater: true };
    function draw(work) {
      node.innerHTML = "";
      var poster = work.poster_url;
      node.appendChild(el("div", { className: "title-head" }, [
        poster ? el("img", { className: "poster", src: poster, alt: "" }) : null,
        el("div", { className: "title-text" }, [
          el("h1", { text: work.title || "" }),
          el("p", { className: "facts", text: [work.year, work.rating ? work.rating.value : null, work.runtime_minutes ? format(T.minutes, { minutes: work.runtime_minutes }) : null].filter(Boolean).join(" · ") }),
          el("p", { className: "synopsis", text: work.synopsis || "" }),
          languagesLine(work),
          el("div", { className: "actions", "data-nav-row": true }, playButtons(work))
        ])
      ]));
      var series = seasonsBlock(work);
      if (series) node.appendChild(series);
      nav.focusFirst();
    }
    screen.refresh = function () { load(false); };
    function load(first) {
      api.call("GET", "titles/" + encodeURIComponent(workId)).then(function (work) {
        if (stack[stack.length - 1] !== screen) return;
        var focused = document.activeElement && document.activeElement.id;
        draw(work);
        if (!first && focused && document.getElementById(focused)) nav.focus(document.getElementById(focused));
      }, failed);
    }
    show(screen);
    load(true);
  }

  /* ---- player ---------------------------------------------------------------------------- */

  /* `from`: seconds to start at, or null for where this profile left it. */
  function showPlayer(work, from) {
    var player = KinomostTvPlayer.create({ api: api, strings: T, languageName: languageName, clock: clock,
                                           el: el, button: button, nav: nav, onFail: function (text) { status(text); }, onBack: back });
    show({ name: "player", node: player.node, focusLater: true, keys: player.keys, leave: player.leave });
    player.start(work, from);
  }

  /* ---- start --------------------------------------------------------------------------- */

  function start() {
    if (!api.signedIn()) { showPairing(); return; }
    var profile = chosenProfile();
    if (profile) { setProfile(profile); showHome(); } else { showProfiles(true); }
  }

  window.kinomostTv = { api: api, nav: nav, stack: function () { return stack.map(function (s) { return s.name; }); } };
  start();
})();
