/* The viewer API as the TV app uses it (docs/apps.md): the device sign-in of RFC 8628, bearer
   tokens kept in localStorage and refreshed when the access token runs out, and JSON calls
   under /api/v1/viewer/<org>/<platform>/.

   Plain ES5 + Promise/fetch (Tizen 4+, webOS 4+). Exposed as window.KinomostViewerApi. */
(function (global) {
  "use strict";

  var DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

  function ApiError(status, body) {
    this.status = status;
    this.body = body || {};
    this.code = this.body.error || this.body.code || null;
    this.message = this.body.message || this.body.detail || this.body.error_description || ("HTTP " + status);
  }

  function Api(options) {
    this.base = options.base;            /* "/api/v1/viewer/<org>/<platform>/" */
    this.clientId = options.clientId;    /* "kinomost-tv" */
    this.language = options.language;
    this.storageKey = options.storageKey;
    this.onSignedOut = options.onSignedOut || function () {};
    this.refreshing = null;
  }

  Api.prototype.tokens = function () {
    try { return JSON.parse(global.localStorage.getItem(this.storageKey) || "null"); } catch (e) { return null; }
  };

  Api.prototype.keep = function (answer) {
    var tokens = {
      access: answer.access_token,
      refresh: answer.refresh_token,
      expiresAt: Date.now() + (answer.expires_in || 300) * 1000
    };
    global.localStorage.setItem(this.storageKey, JSON.stringify(tokens));
    return tokens;
  };

  Api.prototype.forget = function () { global.localStorage.removeItem(this.storageKey); };

  Api.prototype.signedIn = function () { var t = this.tokens(); return !!(t && t.refresh); };

  /* One HTTP call; resolves with the JSON body, rejects with an ApiError (status 0: no network). */
  Api.prototype.raw = function (method, path, body, access) {
    var headers = { "Accept": "application/json", "Accept-Language": this.language };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (access) headers["Authorization"] = "Bearer " + access;
    return global.fetch(this.base + path, {
      method: method, headers: headers, credentials: "omit", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var json = {};
        try { json = text ? JSON.parse(text) : {}; } catch (e) { json = { message: text }; }
        if (!response.ok) throw new ApiError(response.status, json);
        return json;
      });
    }, function () { throw new ApiError(0, { message: "network" }); });
  };

  /* A signed-in call: the access token, renewed once by the refresh token when refused (401)
     or known to be out of date; a refused refresh signs the TV out. */
  Api.prototype.call = function (method, path, body) {
    var self = this;
    var tokens = this.tokens();
    if (!tokens) { this.onSignedOut(); return Promise.reject(new ApiError(401, { message: "signed out" })); }
    var fresh = tokens.expiresAt - Date.now() > 10000 ? Promise.resolve(tokens) : this.refresh();
    return fresh.then(function (t) {
      return self.raw(method, path, body, t.access).catch(function (error) {
        if (error.status !== 401) throw error;
        return self.refresh().then(function (renewed) { return self.raw(method, path, body, renewed.access); });
      });
    });
  };

  Api.prototype.refresh = function () {
    var self = this;
    if (this.refreshing) return this.refreshing;
    var tokens = this.tokens();
    if (!tokens || !tokens.refresh) { this.onSignedOut(); return Promise.reject(new ApiError(401, {})); }
    this.refreshing = this.raw("POST", "auth/refresh", { refresh_token: tokens.refresh, client_id: this.clientId })
      .then(function (answer) { self.refreshing = null; return self.keep(answer); }, function (error) {
        self.refreshing = null;
        if (error.status === 400 || error.status === 401 || error.status === 403) { self.forget(); self.onSignedOut(); }
        throw error;
      });
    return this.refreshing;
  };

  /* RFC 8628 §3.1: a device code, the user code to show and where to enter it. */
  Api.prototype.deviceCode = function () {
    return this.raw("POST", "device/code", { client_id: this.clientId });
  };

  /* RFC 8628 §3.4–3.5: poll at `interval` seconds (5 more after each slow_down) until approved
     (resolves with the tokens, kept), denied or expired (rejects with the error's code).
     `control.cancelled` set to true stops the polling quietly. */
  Api.prototype.pollDeviceToken = function (code, control) {
    var self = this;
    var interval = Math.max(1, code.interval || 5);
    var deadline = Date.now() + (code.expires_in || 600) * 1000;
    return new Promise(function (resolve, reject) {
      function ask() {
        if (control.cancelled) return;
        if (Date.now() > deadline) { reject(new ApiError(400, { error: "expired_token" })); return; }
        self.raw("POST", "device/token", { grant_type: DEVICE_GRANT, device_code: code.device_code, client_id: self.clientId })
          .then(function (answer) { if (!control.cancelled) resolve(self.keep(answer)); }, function (error) {
            if (control.cancelled) return;
            if (error.code === "authorization_pending" || error.status === 0 || error.status >= 500) {
              if (control.onWait) control.onWait(error);
              setTimeout(ask, interval * 1000);
            } else if (error.code === "slow_down") {
              interval += 5;
              setTimeout(ask, interval * 1000);
            } else {
              reject(error);
            }
          });
      }
      control.interval = function () { return interval; };
      setTimeout(ask, interval * 1000);
    });
  };

  Api.prototype.signOut = function () {
    var self = this;
    var tokens = this.tokens();
    var done = function () { self.forget(); };
    if (!tokens) return Promise.resolve(done());
    return this.raw("POST", "auth/signout", {}, tokens.access)
      .then(done, done);
  };

  global.KinomostViewerApi = { Api: Api, ApiError: ApiError, DEVICE_GRANT: DEVICE_GRANT };
})(window);
