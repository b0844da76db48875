// Conflict view: "take theirs" / "keep yours" fill the merged text; choosing the merged text again brings
// back what it held (both texts, or your edit of them); typing in it selects "edit merged".
(function () {
  "use strict";
  document.querySelectorAll("[data-merge-field]").forEach(function (fieldset) {
    var name = fieldset.getAttribute("data-merge-field");
    var edited = fieldset.querySelector("[data-merge-edited]");
    var texts = {
      theirs: fieldset.querySelector("[data-merge-theirs]").textContent,
      yours: fieldset.querySelector("[data-merge-yours]").textContent,
      edited: edited.value
    };
    fieldset.querySelectorAll("input[type=radio][name='choice-" + name + "']").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (radio.checked && texts.hasOwnProperty(radio.value)) edited.value = texts[radio.value];
        fieldset.setAttribute("data-choice", radio.value);
      });
    });
    edited.addEventListener("input", function () {
      texts.edited = edited.value;
      var choice = fieldset.querySelector("input[type=radio][value=edited]");
      if (choice) choice.checked = true;
      fieldset.setAttribute("data-choice", "edited");
    });
  });
})();
