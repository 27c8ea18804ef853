/* The operator player on a studio asset page: hls.js on a token URL; the key comes from
   /cinema/keys/ with this browser session (a studio member of the asset's organisation). A growing
   preview playlist is fetched past the browser cache (the server marks playlists cacheable for an
   hour). A file, not an inline <script>, because the Content-Security-Policy runs only our files. */
(function () {
  var video = document.getElementById("operator-player");
  if (!video) return;
  var error = document.getElementById("operator-player-error");
  function fail(why) { error.textContent = video.dataset.failed + " " + why; error.hidden = false; }
  var src = video.dataset.src, growing = video.dataset.preview === "1";
  if (window.Hls && Hls.isSupported()) {
    var hls = new Hls({xhrSetup: function (xhr, url) {
      if (growing && /\.m3u8$/.test(url)) xhr.open("GET", url + "?t=" + Date.now(), true);
    }});
    hls.on(Hls.Events.ERROR, function (_e, data) { if (data.fatal) fail(data.details || data.type); });
    hls.loadSource(src);
    hls.attachMedia(video);
    window.operatorHls = hls;
  } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = src;
  } else {
    error.textContent = video.dataset.unsupported; error.hidden = false;
  }
})();
