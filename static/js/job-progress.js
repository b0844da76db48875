// Background jobs (templates/jobs/_progress.html): polls the job's JSON every two seconds, moves the
// progress bar, and reloads the page once the job has finished so the page shows its outcome. Without
// JavaScript the "Refresh" link does the same by hand.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-poll]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-url");
  var bar = box.querySelector("[data-job-bar]");
  var done = box.querySelector("[data-job-done]");
  var total = box.querySelector("[data-job-total]");
  var state = box.querySelector("[data-job-state]");
  var reload = box.querySelector("[data-job-reload]");
  if (reload) reload.hidden = true;

  function show(job) {
    if (bar && done) {
      bar.max = job.total || 1;
      bar.value = job.done;
      bar.textContent = job.percent + " %";
    }
    if (done) done.textContent = job.done;
    if (total) total.textContent = job.total || "…";
    if (state) state.textContent = box.getAttribute(job.state === "queued" ? "data-queued" : "data-running");
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (body) {
        var job = body.job;
        if (!job || job.finished) {
          window.location.reload();
          return;
        }
        show(job);
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        if (reload) reload.hidden = false; // offline or logged out: fall back to the link
        window.setTimeout(poll, 10000);
      });
  }

  window.setTimeout(poll, 1000);
})();
