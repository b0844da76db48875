// The invites page's email queue: while emails wait or are being sent, the counts follow the worker
// (polling progress.json every three seconds), so the organiser sees the invitations going out. Stops once
// nothing waits. Without JavaScript the counts are those of the page's last load.
(function () {
  "use strict";
  var box = document.querySelector("[data-email-queue]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-url");
  var cells = {};
  Array.prototype.forEach.call(box.querySelectorAll("[data-email-count]"), function (cell) {
    cells[cell.getAttribute("data-email-count")] = cell;
  });
  var job = document.querySelector("[data-job-poll]"); // a send still being prepared adds emails

  function number(state) {
    return cells[state] ? parseInt(cells[state].textContent, 10) || 0 : 0;
  }

  function busy() {
    return job || number("pending") + number("sending") > 0;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (body) {
        Object.keys(cells).forEach(function (state) {
          if (body.emails && state in body.emails) cells[state].textContent = body.emails[state];
        });
        if (busy()) window.setTimeout(poll, 3000);
      })
      .catch(function () {
        window.setTimeout(poll, 15000);
      });
  }

  if (busy()) window.setTimeout(poll, 3000);
})();
