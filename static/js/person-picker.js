// Person pickers: a text box that suggests people as you type, from one shared JSON list
// (participants.people_json). Without this script the box is a plain search box the server resolves.
(function () {
  "use strict";
  if (!window.fetch) return;
  var list = null, input = null, items = [], active = -1, timer = null, asked = 0;

  function ensureList() {
    if (list) return list;
    list = document.createElement("ul");
    list.id = "person-picker-list";
    list.className = "person-picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    document.body.appendChild(list);
    list.addEventListener("mousedown", function (event) {
      var li = event.target.closest("li[data-index]");
      if (!li) return;
      event.preventDefault();  // keep the focus in the box
      choose(Number(li.getAttribute("data-index")));
    });
    return list;
  }

  function place() {
    var box = input.getBoundingClientRect();
    list.style.left = (box.left + window.scrollX) + "px";
    list.style.top = (box.bottom + window.scrollY + 2) + "px";
    list.style.minWidth = box.width + "px";
  }

  function close() {
    if (!list) return;
    list.hidden = true;
    if (input) { input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); }
    active = -1;
  }

  function highlight(index) {
    active = index;
    Array.prototype.forEach.call(list.children, function (li) {
      var on = li.getAttribute("data-index") === String(index);
      li.classList.toggle("is-active", on);
      li.setAttribute("aria-selected", on ? "true" : "false");
      if (on) { input.setAttribute("aria-activedescendant", li.id); li.scrollIntoView({ block: "nearest" }); }
    });
  }

  function choose(index) {
    if (!items[index]) return;
    input.value = items[index].label;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    close();
  }

  function show(people, more) {
    ensureList();
    list.textContent = "";
    items = people;
    people.forEach(function (person, index) {
      var li = document.createElement("li");
      li.id = "person-picker-option-" + index;
      li.setAttribute("role", "option");
      li.setAttribute("data-index", String(index));
      li.textContent = person.label;
      if (person.detail) {
        var small = document.createElement("span");
        small.className = "muted";
        small.textContent = " " + person.detail;
        li.appendChild(small);
      }
      list.appendChild(li);
    });
    if (more || !people.length) {
      var note = document.createElement("li");
      note.className = "person-picker-note";
      var texts = document.getElementById("person-picker-texts");
      note.textContent = texts ? texts.getAttribute(people.length ? "data-more" : "data-none") : "…";
      list.appendChild(note);
    }
    place();
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  function search() {
    var url = new URL(input.getAttribute("data-person-source"), window.location.href);
    url.searchParams.set("q", input.value.trim());
    var mine = ++asked, box = input;
    fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || mine !== asked || box !== input || document.activeElement !== box) return;  // a later keystroke wins
        show(data.people || [], data.more);
      })
      .catch(function () {});
  }

  function attach(box) {
    if (box.hasAttribute("role")) return;
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", "person-picker-list");
  }

  function isPicker(element) {
    return element instanceof HTMLInputElement && element.hasAttribute("data-person-source");
  }

  function adopt(box) {  // the box the organiser is in becomes the one suggestions are for
    attach(box);
    input = box;
    ensureList();
  }

  document.querySelectorAll("input[data-person-source]").forEach(attach);

  document.addEventListener("focusin", function (event) {
    if (isPicker(event.target)) adopt(event.target);
  });
  document.addEventListener("focusout", function (event) {
    if (event.target === input) close();
  });
  document.addEventListener("input", function (event) {
    if (!isPicker(event.target)) return;
    adopt(event.target);
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 150);
  });
  document.addEventListener("keydown", function (event) {
    if (event.target !== input) return;
    var open = list && !list.hidden;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) { search(); return; }
      highlight(Math.min(active + 1, items.length - 1));
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();  // pick, do not submit yet
      choose(active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });
  window.addEventListener("resize", function () { if (list && !list.hidden) place(); });

  // A box focused and typed in before this script ran (a slow connection, a quick organiser) is searched now:
  // its focus came before the listeners above, so nothing else would make it the current box.
  if (isPicker(document.activeElement)) {
    adopt(document.activeElement);
    if (input.value.trim()) search();
  }
})();
