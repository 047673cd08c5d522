// Case records pages: a field marked data-show-when="<name>" is shown only while the form field of
// that name is ticked (checkbox) or has a value (select). Without JavaScript every field shows.
(function () {
  "use strict";

  function controlOf(wrapper) {
    var form = wrapper.closest("form");
    return form ? form.elements.namedItem(wrapper.getAttribute("data-show-when")) : null;
  }

  function isOn(control) {
    if (!control) { return true; }
    if (control.type === "checkbox") { return control.checked; }
    return control.value !== "";
  }

  function update(wrapper) {
    var keep = wrapper.classList.contains("has-error") || hasValue(wrapper);
    wrapper.hidden = !(keep || isOn(controlOf(wrapper)));
  }

  function hasValue(wrapper) {
    var field = wrapper.querySelector("input:not([type=checkbox]), textarea, select");
    return field ? field.value.trim() !== "" : false;
  }

  function updateAll() {
    document.querySelectorAll("[data-show-when]").forEach(update);
  }

  document.addEventListener("change", function (event) {
    var name = event.target && event.target.name;
    if (!name) { return; }
    document.querySelectorAll('[data-show-when="' + name + '"]').forEach(update);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateAll);
  } else {
    updateAll();
  }
})();
