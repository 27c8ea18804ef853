/* The TV app's player: a playback session from the viewer API, hls.js on a full-screen <video>,
   controls that appear on any key and hide after a few seconds, audio and subtitle menus, and
   heartbeats that keep the session (position, seconds watched) until Back stops it.

   With the controls hidden: OK or Play/Pause toggles, Left/Right seek 10 s, other keys show the
   controls. With them shown, the arrows move among the buttons and menus.
   Exposed as window.KinomostTvPlayer; the app passes in its helpers (el, button, nav, strings). */
(function (global) {
  "use strict";
  var HIDE_AFTER_MS = 5000;
  var HLS_URL = /^(.*?\/hls\/)[^/]+\/\d+\/([0-9a-f-]{36})\/(.*)$/;

  function create(o) {
    var T = o.strings, el = o.el, button = o.button;
    var video = el("video", { id: "tv-video", playsinline: true });
    var state = { session: null, base: null, heartbeatUrl: null, playbackToken: null, watched: 0, lastTime: null, timer: null, hideTimer: null, stopped: false, hls: null };
    var title = el("h1", { className: "player-title" });
    var clockText = el("span", { className: "player-clock", id: "player-clock", text: "0:00" });
    var progress = el("progress", { className: "player-progress", max: "1", value: "0" });
    var menuPanel = el("div", { className: "player-menu", id: "player-menu", hidden: true, "data-nav-row": true });
    var toggleButton = button("❚❚", toggle, { id: "player-toggle", className: "player-button", "aria-label": T.play });
    var audioButton = button(T.audio, function () { openMenu("audio"); }, { id: "player-audio", className: "player-button" });
    var subsButton = button(T.subtitles, function () { openMenu("subtitles"); }, { id: "player-subtitles", className: "player-button" });
    var backButton = button(T.back, function () { o.onBack(); }, { id: "player-back", className: "player-button" });
    var controls = el("div", { className: "player-controls", id: "player-controls" }, [
      title, el("div", { className: "player-bar" }, [progress, clockText]),
      el("div", { className: "player-buttons", "data-nav-row": true }, [toggleButton, audioButton, subsButton, backButton]),
      menuPanel
    ]);
    var node = el("section", { className: "player" }, [video, controls]);

    function shown() { return !controls.classList.contains("hidden"); }
    function showControls() {
      controls.classList.remove("hidden");
      if (!controls.contains(document.activeElement)) o.nav.focus(toggleButton);
      clearTimeout(state.hideTimer);
      state.hideTimer = setTimeout(function () { if (!video.paused && menuPanel.hidden) controls.classList.add("hidden"); }, HIDE_AFTER_MS);
    }
    function toggle() { if (video.paused) video.play().catch(function () {}); else video.pause(); }
    function seekBy(delta) { video.currentTime = Math.max(0, Math.min((video.duration || 0) - 0.5, video.currentTime + delta)); }

    function fail(text) { video.pause(); o.onFail(text || T.error); showControls(); }

    function trackName(t) { return o.languageName(t.lang, t.name); }

    function openMenu(kind) {
      var hls = state.hls;
      menuPanel.innerHTML = "";
      menuPanel.dataset.kind = kind;
      var tracks = !hls ? [] : kind === "audio" ? hls.audioTracks : hls.subtitleTracks;
      var current = !hls ? -1 : kind === "audio" ? hls.audioTrack : (hls.subtitleDisplay ? hls.subtitleTrack : -1);
      var items = tracks.map(function (t, i) { return { index: i, label: trackName(t) }; });
      if (kind === "subtitles") items.unshift({ index: -1, label: T.subtitles_off });
      items.forEach(function (item) {
        var b = button(item.label, function () { choose(kind, item.index); }, {
          className: "menu-item" + (item.index === current ? " current" : ""), "data-track": item.index, "aria-pressed": item.index === current ? "true" : "false"
        });
        menuPanel.appendChild(b);
      });
      menuPanel.hidden = false;
      o.nav.focus(menuPanel.querySelector(".current") || menuPanel.firstChild);
    }

    function closeMenu() {
      var kind = menuPanel.dataset.kind;
      menuPanel.hidden = true;
      o.nav.focus(kind === "subtitles" ? subsButton : audioButton);
      showControls();
    }

    function choose(kind, index) {
      var hls = state.hls;
      if (hls && kind === "audio") hls.audioTrack = index;
      if (hls && kind === "subtitles") { hls.subtitleDisplay = index >= 0; hls.subtitleTrack = index; }
      closeMenu();
    }

    function post(path, body) { return o.api.call("POST", path, body); }

    /* The beat in front of Django (the start's heartbeat_url and playback token): the numbers in
       the query, no body, no access token to renew. Servers that give no heartbeat_url get the
       API's sessions/{id}/heartbeat, which answers the same. */
    function frontBeat(seconds) {
      var url = state.heartbeatUrl + "?position=" + (video.currentTime || 0).toFixed(3) + "&seconds=" + seconds.toFixed(3);
      return fetch(url, { method: "POST", credentials: "omit", headers: { "Authorization": "Bearer " + state.playbackToken, "Accept": "application/json" } })
        .then(function (r) {
          if (r.ok) return {};
          throw { status: r.status === 503 ? 0 : r.status, message: r.status === 409 || r.status === 403 ? T.playback_ended : T.error };
        }, function () { throw { status: 0 }; });
    }

    function beat() {
      if (!state.session || state.stopped) return;
      var seconds = state.watched;
      state.watched = 0;
      var sent = state.heartbeatUrl ? frontBeat(seconds) : post("sessions/" + state.session + "/heartbeat", { position: video.currentTime, seconds: seconds });
      sent.then(function (answer) {
        if (answer && answer.base_url) state.base = answer.base_url;
      }, function (error) {
        if (error.status === 0) return;  /* a network blip, or "send it again": the next beat tries again */
        state.stopped = true;
        fail(error.message);
      });
    }

    function stop() {
      if (!state.session || state.stopped) return Promise.resolve();
      state.stopped = true;
      clearInterval(state.timer);
      return post("sessions/" + state.session + "/stop", { position: video.currentTime }).catch(function () {});
    }

    function rebase(url) {
      var m = url.match(HLS_URL);
      if (!m || !state.base || state.base.indexOf("/" + m[2] + "/") < 0) return url;
      return new URL(state.base + m[3], location.href).href;
    }

    function wireVideo() {
      video.addEventListener("play", function () { toggleButton.textContent = "❚❚"; node.classList.remove("paused"); showControls(); });
      video.addEventListener("pause", function () { toggleButton.textContent = "▶"; node.classList.add("paused"); showControls(); beat(); });
      video.addEventListener("timeupdate", function () {
        var t = video.currentTime;
        if (state.lastTime !== null && !video.paused && t > state.lastTime && t - state.lastTime < 2) state.watched += t - state.lastTime;
        state.lastTime = t;
        progress.max = String(video.duration || 1);
        progress.value = String(t);
        clockText.textContent = o.clock(t) + " / " + o.clock(video.duration);
      });
      video.addEventListener("ended", function () { stop(); showControls(); });
    }

    function attach(started, from) {
      state.session = started.session_id;
      state.heartbeatUrl = started.heartbeat_url || null;
      state.playbackToken = started.playback_token || null;
      state.base = started.master_url.replace(/^(.*\/[0-9a-f-]{36}\/).*$/, "$1");
      state.timer = setInterval(beat, (started.heartbeat_seconds || 15) * 1000);
      var at = from === null ? (started.resume_position || 0) : from;
      if (global.Hls && Hls.isSupported()) {
        var hls = state.hls = new Hls({
          startPosition: at,
          xhrSetup: function (xhr, url) { var fresh = rebase(url); if (fresh !== url) xhr.open("GET", fresh, true); }
        });
        hls.on(Hls.Events.MANIFEST_PARSED, function () { video.play().catch(function () { showControls(); }); });
        hls.on(Hls.Events.ERROR, function (_e, data) { if (data.fatal) fail(data.details || data.type); });
        hls.loadSource(started.master_url);
        hls.attachMedia(video);
      } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
        video.src = started.master_url;  /* the TV's own HLS player: the URL lasts as long as the session */
        video.addEventListener("loadedmetadata", function () { video.currentTime = at; video.play(); }, { once: true });
      } else {
        fail(T.unsupported);
      }
      global.kinomostTv.player = { video: video, hls: state.hls, state: state };
    }

    function start(work, from) {
      wireVideo();
      title.textContent = work.title || "";
      showControls();
      o.api.call("POST", "titles/" + encodeURIComponent(work.work_id) + "/play", {})
        .then(function (started) { attach(started, from); }, function (error) { fail(error.message); });
    }

    /* Keys for the player screen; false hands the key to the app (Back then leaves the screen). */
    function keys(action) {
      if (action === "back") {
        if (!menuPanel.hidden) { closeMenu(); return true; }
        return false;
      }
      if (action === "playpause" || action === "play" || action === "pause") { toggle(); showControls(); return true; }
      if (action === "forward" || action === "rewind") { seekBy(action === "forward" ? 30 : -30); showControls(); return true; }
      if (!shown()) {
        if (action === "left" || action === "right") { seekBy(action === "right" ? 10 : -10); showControls(); return true; }
        if (action === "enter") { toggle(); return true; }
        showControls();
        return true;
      }
      showControls();
      return false;
    }

    function leave() {
      stop();
      clearTimeout(state.hideTimer);
      if (state.hls) { state.hls.destroy(); state.hls = null; }
      video.removeAttribute("src");
      try { video.load(); } catch (e) { /* already detached */ }
    }

    global.addEventListener("pagehide", stop);
    return { node: node, start: start, keys: keys, leave: leave };
  }

  global.KinomostTvPlayer = { create: create };
})(window);
