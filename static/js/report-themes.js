// Report editor, themes: every button of the themes section posts without reloading the page. The server
// answers with the section alone (same form handling as without JavaScript), which replaces the old one;
// folded point lists that were open stay open. Without JavaScript the forms post and come back as usual.
(function () {
  "use strict";
  var busy = false;

  function section() { return document.querySelector("[data-themes]"); }

  // "Show the other points" of a theme: the editor's page with that theme open; its themes section
  // replaces this one. Without JavaScript (or if this fails) the link simply opens that page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-theme-more]") : null;
    if (!link || !window.fetch || busy) return;
    event.preventDefault();
    busy = true;
    var old = section();
    old.setAttribute("aria-busy", "true");
    var target = link.hash;
    fetch(link.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok || response.redirected) throw new Error("unexpected answer");
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-themes]");
      if (!fresh) throw new Error("no themes section");
      old.replaceWith(document.adoptNode(fresh));
      var row = target && document.getElementById(target.slice(1));
      var fold = row && row.querySelector("details > summary");
      if (fold) fold.focus();
    }).catch(function () {
      window.location.href = link.href;
    }).then(function () {
      busy = false;
      var current = section();
      if (current) current.removeAttribute("aria-busy");
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-themes-form]") || !window.fetch || !window.FormData) return;
    if (form.hasAttribute("data-plain")) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    var data = new FormData(form);
    var button = event.submitter;
    if (button && button.name) data.append(button.name, button.value);
    var old = section();
    var open = Array.prototype.map.call(old.querySelectorAll("details[open]"), function (d) {
      var row = d.closest("[id]");
      return row ? row.id : "";
    });
    old.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("action"), {  // not form.action: an input named "action" hides it
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("text/html") !== 0 || response.status >= 500 || response.redirected) throw new Error("unexpected answer");
      return response.text();
    }).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fresh = holder.querySelector("[data-themes]");
      if (!fresh) throw new Error("no themes section");
      open.forEach(function (id) {
        var row = id && fresh.querySelector("#" + CSS.escape(id) + " details");
        if (row) row.open = true;
      });
      old.replaceWith(fresh);
      var message = fresh.querySelector(".flash");
      if (message) { message.setAttribute("tabindex", "-1"); message.focus({ preventScroll: true }); }
    }).catch(function () {
      form.setAttribute("data-plain", "");  // fall back to the plain post (the page reloads)
      if (form.requestSubmit) form.requestSubmit(button || undefined); else form.submit();
    }).then(function () {
      busy = false;
      var current = section();
      if (current) current.removeAttribute("aria-busy");
    });
  });
})();
