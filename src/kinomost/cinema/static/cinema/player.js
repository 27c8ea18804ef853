/* The storefront's player: hls.js on a <video>, with quality, audio language and subtitles,
   keyboard (space, arrows, f, m) and touch (tap: play/pause; double tap on a side: ±10 s).

   The session is started by POST (with the page's cookie); its master URL works for the whole
   session and its playlists name the session's own key URL, so nothing is rewritten. Heartbeats
   and stop go to /playback/<session>/… with the session's playback token (no cookie, no CSRF). */
(function () {
  "use strict";
  var root = document.getElementById("player");
  if (!root) return;
  var video = root.querySelector("video");
  var $ = function (id) { return document.getElementById(id); };
  var csrf = root.dataset.csrf;
  var state = { session: null, token: null, heartbeatUrl: null, stopUrl: null, watched: 0, lastTime: null, timer: null, stopped: false };
  var lang = document.documentElement.lang || "en";
  var names = window.Intl && Intl.DisplayNames ? new Intl.DisplayNames([lang], { type: "language" }) : null;
  var hls = null;

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: true,
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body || {})
    }).then(function (r) { return r.json().catch(function () { return {}; }).then(function (j) { return { ok: r.ok, body: j }; }); });
  }

  function playbackPost(url, body) {
    var headers = { "Authorization": "Bearer " + state.token, "Accept": "application/json" };
    if (body) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: "POST", credentials: "omit", keepalive: true, headers: headers,
      body: body ? JSON.stringify(body) : null
    }).then(function (r) { return r.json().catch(function () { return {}; }).then(function (j) { return { ok: r.ok, body: j }; }); });
  }

  function fail(message) {
    var box = $("player-error");
    box.textContent = message;
    box.hidden = false;
  }

  function languageName(code, fallback) {
    try { return (code && names && names.of(code)) || fallback || code; } catch (e) { return fallback || code; }
  }

  function option(select, value, label, selected) {
    var o = document.createElement("option");
    o.value = String(value);
    o.textContent = label;
    o.selected = !!selected;
    select.appendChild(o);
  }

  function fillQuality() {
    var select = $("quality");
    while (select.options.length > 1) select.remove(1);
    hls.levels.forEach(function (level, i) { option(select, i, level.height + "p", false); });
  }

  function fillAudio() {
    var select = $("audio");
    select.innerHTML = "";
    hls.audioTracks.forEach(function (t, i) { option(select, i, languageName(t.lang, t.name), i === hls.audioTrack); });
    select.disabled = hls.audioTracks.length < 2;
  }

  function fillSubtitles() {
    var select = $("subtitles");
    while (select.options.length > 1) select.remove(1);
    hls.subtitleTracks.forEach(function (t, i) { option(select, i, languageName(t.lang, t.name), i === hls.subtitleTrack); });
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
  }

  function beat() {
    if (!state.heartbeatUrl || state.stopped) return Promise.resolve();
    var seconds = state.watched;
    state.watched = 0;
    // The numbers in the query, no body: the server answers a beat without reading one.
    var url = state.heartbeatUrl + "?position=" + (video.currentTime || 0).toFixed(3) + "&seconds=" + seconds.toFixed(3);
    return playbackPost(url, null).then(function (res) {
      if (res.ok) return;
      state.stopped = true;
      video.pause();
      fail(root.dataset.ended || res.body.detail || "");
    });
  }

  function stop() {
    if (!state.stopUrl || state.stopped) return Promise.resolve();
    state.stopped = true;
    clearInterval(state.timer);
    return playbackPost(state.stopUrl, { position: video.currentTime });
  }

  function toggle() { if (video.paused) { video.play().catch(function () { $("big-play").hidden = false; }); } else { video.pause(); } }
  function seekBy(delta) { video.currentTime = Math.max(0, Math.min((video.duration || 0) - 0.5, video.currentTime + delta)); }
  function fullscreen() { if (document.fullscreenElement) { document.exitFullscreen(); } else if (root.requestFullscreen) { root.requestFullscreen(); } }
  function mute() { video.muted = !video.muted; }

  function wire() {
    $("play-toggle").addEventListener("click", toggle);
    $("big-play").addEventListener("click", function () { $("big-play").hidden = true; toggle(); });
    $("mute").addEventListener("click", mute);
    $("fullscreen").addEventListener("click", fullscreen);
    $("seek").addEventListener("input", function (e) { video.currentTime = parseFloat(e.target.value); });
    $("quality").addEventListener("change", function (e) { hls.currentLevel = parseInt(e.target.value, 10); });
    $("audio").addEventListener("change", function (e) { hls.audioTrack = parseInt(e.target.value, 10); });
    $("subtitles").addEventListener("change", function (e) {
      var i = parseInt(e.target.value, 10);
      hls.subtitleDisplay = i >= 0;
      hls.subtitleTrack = i;
    });
    video.addEventListener("play", function () { $("play-toggle").textContent = "❚❚"; $("big-play").hidden = true; });
    video.addEventListener("pause", function () { $("play-toggle").textContent = "▶"; beat(); });
    video.addEventListener("volumechange", function () { $("mute").classList.toggle("muted", video.muted); });
    video.addEventListener("timeupdate", function () {
      var t = video.currentTime;
      if (state.lastTime !== null && !video.paused && t > state.lastTime && t - state.lastTime < 2) state.watched += t - state.lastTime;
      state.lastTime = t;
      $("seek").max = String(video.duration || 0);
      $("seek").value = String(t);
      $("clock").textContent = clock(t) + " / " + clock(video.duration);
    });
    document.addEventListener("keydown", function (e) {
      var tag = (e.target && e.target.tagName) || "";
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || e.ctrlKey || e.metaKey || e.altKey) return;
      var keys = {
        " ": toggle, "k": toggle, "f": fullscreen, "m": mute,
        "ArrowLeft": function () { seekBy(-10); }, "ArrowRight": function () { seekBy(10); },
        "ArrowUp": function () { video.volume = Math.min(1, video.volume + 0.1); },
        "ArrowDown": function () { video.volume = Math.max(0, video.volume - 0.1); }
      };
      if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
    });
    var lastTap = 0;
    video.addEventListener("touchend", function (e) {
      var now = Date.now(), touch = e.changedTouches[0], box = video.getBoundingClientRect();
      var x = touch ? (touch.clientX - box.left) / box.width : 0.5;
      e.preventDefault();
      if (now - lastTap < 300 && (x < 1 / 3 || x > 2 / 3)) { seekBy(x < 1 / 3 ? -10 : 10); lastTap = 0; return; }
      lastTap = now;
      setTimeout(function () { if (lastTap === now) toggle(); }, 300);
    });
    video.addEventListener("click", toggle);
    $("leave").addEventListener("click", function (e) {
      e.preventDefault();
      var href = e.currentTarget.href;
      stop().then(function () { location.href = href; }, function () { location.href = href; });
    });
    window.addEventListener("pagehide", stop);
  }

  function attach(started) {
    state.session = started.session;
    state.heartbeatUrl = started.heartbeat_url;
    state.stopUrl = started.stop_url;
    state.token = started.playback_token;
    state.timer = setInterval(beat, (started.heartbeat_seconds || 15) * 1000);
    if (window.Hls && Hls.isSupported()) {
      hls = new Hls({ startPosition: started.resume_at || 0 });
      hls.on(Hls.Events.MANIFEST_PARSED, function () { fillQuality(); fillAudio(); fillSubtitles(); toggle(); });
      hls.on(Hls.Events.AUDIO_TRACKS_UPDATED, fillAudio);
      hls.on(Hls.Events.AUDIO_TRACK_SWITCHED, fillAudio);
      hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, fillSubtitles);
      hls.on(Hls.Events.ERROR, function (_e, data) { if (data.fatal) fail(data.details || data.type); });
      hls.loadSource(started.master_url);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = started.master_url;  // Safari plays HLS itself: the URL lasts the whole session
      video.addEventListener("loadedmetadata", function () { video.currentTime = started.resume_at || 0; toggle(); }, { once: true });
    } else {
      fail(root.dataset.unsupported || "HLS is not supported by this browser.");
    }
    window.kinomostPlayer = { hls: hls, video: video, state: state };
  }

  wire();
  post(root.dataset.startUrl).then(function (res) {
    if (!res.ok) { fail(res.body.message || ""); return; }
    attach(res.body);
  });
})();
