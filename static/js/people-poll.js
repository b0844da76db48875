// "People you met": keeps the contacts shared with the holder current without a reload. Polls the
// shared.json endpoint with If-None-Match (304 while nothing changed); when someone shares, changes or
// withdraws a contact, the person's contact line is rebuilt (text only, never HTML). Without JavaScript
// the page is complete as served: a reload shows the same.
(function () {
  "use strict";
  var config = document.querySelector("[data-people-poll]");
  if (!config || !window.fetch) return;
  var url = config.getAttribute("data-url");
  var every = Math.max(3, parseInt(config.getAttribute("data-poll"), 10) || 10) * 1000;
  var label = config.getAttribute("data-label") || "";
  var etag = null;

  function render(box, contact) {
    while (box.firstChild) box.removeChild(box.firstChild);
    box.classList.toggle("has-contact", !!contact);
    if (!contact) return;
    var tag = document.createElement("span");
    tag.className = "cx-contact-label";
    tag.textContent = label;
    box.appendChild(tag);
    if (contact.email) {
      var link = document.createElement("a");
      link.href = "mailto:" + contact.email;
      link.setAttribute("data-contact-email", "");
      link.textContent = contact.email;
      box.appendChild(document.createTextNode(" "));
      box.appendChild(link);
    }
    if (contact.text) {
      var text = document.createElement("span");
      text.setAttribute("data-contact-text", "");
      text.textContent = contact.text;
      box.appendChild(document.createTextNode(" "));
      box.appendChild(text);
    }
  }

  function apply(shared) {
    document.querySelectorAll("[data-contact-for]").forEach(function (box) {
      render(box, shared[box.getAttribute("data-contact-for")] || null);
    });
    var count = document.querySelector("[data-shared-count]");
    if (count) count.setAttribute("data-shared-count", String(Object.keys(shared).length));
  }

  function poll() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error(String(response.status));
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) { if (data) apply(data.shared || {}); })
      .catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () { window.setTimeout(poll, every); });
  }

  window.setTimeout(poll, every);
})();
