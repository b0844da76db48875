// Shows programme times in the viewer's own time zone when it differs from the event's.
(function () {
  var note = document.querySelector("[data-event-zone]");
  if (!note || !window.Intl) return;
  var viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var eventZone = note.getAttribute("data-event-zone");
  if (!viewerZone || viewerZone === eventZone) return;
  var lang = document.documentElement.lang || "ja";
  var fmt = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", weekday: "short", timeZone: viewerZone });
  document.querySelectorAll(".viewer-time").forEach(function (el) {
    var start = new Date(el.getAttribute("data-start"));
    var end = new Date(el.getAttribute("data-end"));
    el.textContent = fmt.format(start) + "–" + fmt.format(end).replace(/^.*\s/, "");
    el.hidden = false;
  });
  note.textContent = note.textContent.replace(/\(\s*\)|（\s*）/, "(" + viewerZone + ")");
  note.hidden = false;
})();
