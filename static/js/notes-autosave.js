// Round notes: autosave drafts, keep a copy on this device, re-send when back online, show the state.
// Progressive enhancement: without this script the form posts normally.
(function () {
  "use strict";
  var form = document.querySelector("[data-note-form]");
  var PREFIX = "tsunagu-note:";
  var FIELDS = ["summary", "key_points", "ideas", "quotes", "body_md"];

  function storage() {
    try { var s = window.localStorage; s.setItem(PREFIX + "probe", "1"); s.removeItem(PREFIX + "probe"); return s; }
    catch (e) { return null; }
  }
  var store = storage();

  // One key per tab (kept across reloads in sessionStorage), so two tabs never clobber each other's copy.
  var tabId;
  try {
    tabId = sessionStorage.getItem("tsunagu-tab") || Math.random().toString(36).slice(2, 10);
    sessionStorage.setItem("tsunagu-tab", tabId);
  } catch (e) { tabId = Math.random().toString(36).slice(2, 10); }

  // On the merge form and its "drop my changes" link: this tab's local copy has been dealt with.
  function forget(noteKey) {
    if (store) store.removeItem(PREFIX + noteKey + ":" + tabId);
  }
  var mergeForm = document.querySelector("[data-merge-form]");
  if (mergeForm) {
    var mergeKey = mergeForm.getAttribute("data-storage-key");
    mergeForm.addEventListener("submit", function () { forget(mergeKey); });
    var discard = document.querySelector("[data-merge-discard]");
    if (discard) discard.addEventListener("click", function () { forget(mergeKey); });
  }
  if (!form || !window.fetch) return;

  var noteKey = form.getAttribute("data-storage-key");
  var url = form.getAttribute("data-autosave-url");
  var statusEl = form.querySelector("[data-autosave-status]");
  var banner = form.querySelector("[data-conflict-banner]");
  var preview = document.querySelector("[data-note-preview]");
  var versionInput = form.querySelector("input[name=version]");
  var csrfInput = form.querySelector("input[name=csrf_token]");
  var SAVE_DELAY = 2500, RETRY_DELAY = 15000, HEARTBEAT = 5000, ORPHAN_AFTER = 20000;

  var ownKey = PREFIX + noteKey + ":" + tabId;

  var timer = null, inFlight = false, again = false, conflict = false;

  function message(name, time) {
    var text = statusEl.getAttribute("data-msg-" + name) || "";
    return time ? text.replace("{time}", time) : text;
  }
  function show(name, time) {
    statusEl.textContent = message(name, time);
    statusEl.setAttribute("data-state", name);
  }
  function values() {
    var data = {};
    FIELDS.forEach(function (name) { data[name] = form.elements[name].value; });
    data.publishable = form.elements.publishable.checked;
    return data;
  }
  function fill(data) {
    FIELDS.forEach(function (name) { if (typeof data[name] === "string") form.elements[name].value = data[name]; });
    if (typeof data.publishable === "boolean") form.elements.publishable.checked = data.publishable;
  }
  function same(a, b) {
    var norm = function (s) { return (s || "").replace(/\r\n?/g, "\n").replace(/[ \t]+$/gm, "").replace(/^\n+|\n+$/g, ""); };
    return FIELDS.every(function (n) { return norm(a[n]) === norm(b[n]); }) && a.publishable === b.publishable;
  }
  function version() { return parseInt(versionInput.value || "0", 10) || 0; }

  function readDraft(key) {
    if (!store) return null;
    try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
  }
  function keep(extra) {
    if (!store) return;
    var draft = { v: version(), f: values(), t: Date.now(), closed: false };
    if (extra) Object.keys(extra).forEach(function (k) { draft[k] = extra[k]; });
    try { store.setItem(ownKey, JSON.stringify(draft)); } catch (e) { /* storage full: the server copy still counts */ }
  }
  function drop() { if (store) store.removeItem(ownKey); }

  // Each open tab holds a Web Lock named after it, so a copy whose tab holds no lock was left behind.
  var LOCK = "tsunagu-note-tab:";
  if (navigator.locks) navigator.locks.request(LOCK + tabId, function () { return new Promise(function () {}); });
  function liveTabs() {
    if (!navigator.locks || !navigator.locks.query) return Promise.resolve(null);
    return navigator.locks.query().then(function (state) {
      return (state.held || []).map(function (l) { return l.name; });
    }).catch(function () { return null; });
  }

  // A copy left by this tab before a reload, or by a tab that was closed: adopt the newest.
  function findDraft(held) {
    var own = readDraft(ownKey);
    if (own) return own;
    if (!store) return null;
    var best = null, bestKey = null;
    for (var i = 0; i < store.length; i++) {
      var k = store.key(i);
      if (!k || k.indexOf(PREFIX + noteKey + ":") !== 0) continue;
      var d = readDraft(k);
      var owner = k.slice((PREFIX + noteKey + ":").length);
      var orphan = held ? held.indexOf(LOCK + owner) === -1 : (d && (d.closed || Date.now() - d.t > ORPHAN_AFTER));
      if (d && orphan && (!best || d.t > best.t)) { best = d; bestKey = k; }
    }
    if (best) { store.removeItem(bestKey); store.setItem(ownKey, JSON.stringify(best)); }
    return best;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  function save() {
    if (conflict) return;
    if (inFlight) { again = true; return; }
    var sent = values();
    var base = version();
    if (!navigator.onLine) { show("offline"); return; }
    inFlight = true;
    show("saving");
    var body = JSON.stringify(Object.assign({ version: base }, sent));
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfInput ? csrfInput.value : "" },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      inFlight = false;
      if (result.status === 200) {
        versionInput.value = result.data.version;
        if (preview && typeof result.data.preview === "string") preview.innerHTML = result.data.preview;  // sanitised by the server
        if (same(values(), sent)) { drop(); show("saved", result.data.saved_label); }
        else { keep(); show("pending"); schedule(SAVE_DELAY); }
      } else if (result.status === 409) {
        conflict = true;
        keep();
        show("conflict");
        if (banner) banner.hidden = false;
      } else {
        keep();
        show("error");
      }
      if (again && !conflict) { again = false; schedule(SAVE_DELAY); }
    }).catch(function () {
      inFlight = false;
      keep();
      show("offline");
      schedule(RETRY_DELAY);
    });
  }

  function changed() {
    keep();
    if (!conflict) { show("pending"); schedule(SAVE_DELAY); }
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    // A normal post takes over (save, submit, or the conflict view); the local copy stays until it succeeded.
    clearTimeout(timer);
    conflict = true;  // no autosave may race the post
    keep();
  });
  window.addEventListener("online", function () { if (readDraft(ownKey) && !conflict) save(); });
  window.addEventListener("offline", function () { if (readDraft(ownKey)) show("offline"); });
  // A closed tab leaves its copy for the next tab that opens this note.
  function closing() {
    var d = readDraft(ownKey);
    if (d && store) { d.closed = true; d.t = Date.now(); store.setItem(ownKey, JSON.stringify(d)); }
  }
  window.addEventListener("pagehide", closing);
  window.addEventListener("beforeunload", closing);
  setInterval(function () {
    var d = readDraft(ownKey);
    if (d && store) { d.t = Date.now(); d.closed = false; store.setItem(ownKey, JSON.stringify(d)); }
  }, HEARTBEAT);

  // On load: the server's text wins if it equals our copy; otherwise bring back what was typed and send it.
  liveTabs().then(function (held) {
    var draft = findDraft(held);
    if (!draft || !draft.f) return;
    if (same(draft.f, values()) && draft.v <= version()) {
      drop();
    } else {
      fill(draft.f);
      versionInput.value = draft.v;  // saving from the version it was typed on: a newer server version → conflict view
      keep();
      show("restored");
      schedule(500);
    }
  });
})();
