// Keeps a personal page current without a reload: polls its state endpoint with If-None-Match
// (304 while nothing changed) and swaps in the new live part. Also runs countdowns and adds the
// viewer's local times when their zone differs from the event's. Without JavaScript the page is
// complete as served (and refreshes itself through a <noscript> meta refresh).
(function () {
  "use strict";
  var region = document.querySelector("[data-live-region]");
  if (!region || !window.fetch) return;
  var url = region.getAttribute("data-state-url");
  var every = Math.max(2, parseInt(region.getAttribute("data-poll"), 10) || 5) * 1000;
  var status = document.querySelector("[data-live-status]");
  var etag = region.getAttribute("data-etag") || null;
  var failures = 0;
  var lang = document.documentElement.lang || "ja";

  function text(ja, en) { return lang === "ja" ? ja : en; }

  function localTimes(root) {
    if (!window.Intl) return;
    var viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var eventZone = region.getAttribute("data-event-zone");
    if (!viewerZone || !eventZone || viewerZone === eventZone) return;
    var fmt = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: viewerZone });
    root.querySelectorAll("time[data-local-time]").forEach(function (el) {
      if (el.nextElementSibling && el.nextElementSibling.classList.contains("day-viewer-time")) return;
      var extra = document.createElement("span");
      extra.className = "day-viewer-time";
      extra.textContent = " (" + fmt.format(new Date(el.getAttribute("datetime"))) + " " + text("現地", "your time") + ")";
      el.insertAdjacentElement("afterend", extra);
    });
  }

  function tick() {
    var now = Date.now();
    region.querySelectorAll("[data-countdown-to]").forEach(function (el) {
      var left = Math.round((new Date(el.getAttribute("data-countdown-to")).getTime() - now) / 1000);
      el.hidden = false;
      if (left <= 0) { el.textContent = text("（まもなく切り替わります）", "(changing now)"); return; }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
      var m = Math.floor(left % 3600 / 60), s = left % 60;
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      var span = d > 0 ? text(d + "日" + h + "時間", d + " d " + h + " h")
        : h > 0 ? text(h + "時間" + m + "分", h + " h " + m + " min")
        : m + ":" + pad(s);
      el.textContent = text("あと ", "") + span + text("", " left");
    });
  }

  function show(message) { if (status) status.textContent = message; }

  function poll() {
    var headers = { "Accept": "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 304) return null;
      if (response.status === 404) { show(text("このリンクは無効になりました。", "This link is no longer valid.")); stop(); return null; }
      if (!response.ok) throw new Error(String(response.status));
      etag = response.headers.get("ETag");
      return response.json().then(function (data) {
        // The server asks less often before and after the event (adaptive polling).
        if (data.poll) every = Math.max(2, parseInt(data.poll, 10) || 5) * 1000;
        region.innerHTML = data.html;
        localTimes(region);
        tick();
        region.dispatchEvent(new CustomEvent("day:updated", { bubbles: true }));
      });
    }).then(function () {
      failures = 0;
      show("");
    }).catch(function () {
      failures += 1;
      if (failures > 2) show(text("接続を確認しています…", "Checking the connection…"));
    }).then(schedule);
  }

  var timer = null;
  function schedule() {
    if (timer === false) return;
    // Back off while offline, and ask at once when the tab becomes visible again.
    timer = setTimeout(poll, every * Math.min(1 + failures, 6));
  }
  function stop() { clearTimeout(timer); timer = false; }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && timer !== false) { clearTimeout(timer); poll(); }
  });

  localTimes(document);
  tick();
  setInterval(tick, 1000);
  poll();
})();
