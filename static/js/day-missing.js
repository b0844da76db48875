// "Who is missing?": search as you type, and mark people without leaving the page (the page works without it).
(function () {
  "use strict";
  var form = document.querySelector("[data-missing-search]");
  var live = document.querySelector("[data-missing-live]");
  if (!form || !live || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var timer = null;
  var asked = 0;

  function results() { return live.querySelector("#missing-results"); }

  function search() {
    var q = input.value.trim();
    var url = new URL(form.action, window.location.href);
    url.searchParams.set("q", q);
    url.searchParams.set("partial", "results");
    var mine = ++asked;
    fetch(url.toString(), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null || mine !== asked) return;  // a later keystroke wins
        var old = results();
        if (old) old.outerHTML = html;
        var page = new URL(window.location.href);
        if (q) { page.searchParams.set("q", q); } else { page.searchParams.delete("q"); }
        window.history.replaceState(null, "", page.toString());
        live.setAttribute("data-searched", q);
      });
  }

  // A name typed before this script ran (a slow connection, a quick organiser) is searched now, not lost.
  var shown = new URL(window.location.href).searchParams.get("q") || "";
  if (input.value.trim() && input.value.trim() !== shown.trim()) search();

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 180);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    search();
  });

  live.addEventListener("submit", function (event) {
    var target = event.target;
    if (!target.matches("form[data-missing-status]")) return;
    event.preventDefault();
    var data = new FormData(target);
    if (event.submitter && event.submitter.name) data.set(event.submitter.name, event.submitter.value);
    data.set("q", input.value.trim());
    fetch(target.action, {
      method: "POST", body: data, credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
    })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { target.submit(); return; }  // let the server answer the plain way
        live.innerHTML = html;
        input.focus();
        input.select();  // ready for the next name
      });
  });
})();
