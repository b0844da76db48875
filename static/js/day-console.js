// Live console: keeps the event clock ticking in the event's time zone between page loads.
(function () {
  "use strict";
  var clock = document.querySelector("[data-clock]");
  if (!clock || !window.Intl) return;
  var offset = new Date(clock.getAttribute("data-now")).getTime() - Date.now();
  var fmt = new Intl.DateTimeFormat("ja-JP", {
    hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: clock.getAttribute("data-zone")
  });
  function tick() { clock.textContent = fmt.format(new Date(Date.now() + offset)); }
  tick();
  setInterval(tick, 1000);
})();
