// Shows programme times in the viewer's own time zone when it differs from the event's.
(function () {
  var note = document.querySelector("[data-event-zone]");
  if (!note || !window.Intl) return;
  var viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var eventZone = note.getAttribute("data-event-zone");
  if (!viewerZone || viewerZone === eventZone) return;
  var lang = document.documentElement.lang || "ja";
  var day = new Intl.DateTimeFormat(lang, { weekday: "short", timeZone: viewerZone });
  var time = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: viewerZone });
  document.querySelectorAll(".viewer-time").forEach(function (el) {
    var start = new Date(el.getAttribute("data-start"));
    var end = new Date(el.getAttribute("data-end"));
    el.textContent = day.format(start) + " " + time.format(start) + "–" + time.format(end);
    el.hidden = false;
  });
  note.textContent = note.textContent.replace(/\(\s*\)|（\s*）/, "(" + viewerZone + ")");
  note.hidden = false;
})();
