// Draft minutes save themselves while the coordinator types (htmx posts the form to the autosave
// endpoint; the answer is a one-line status). The endpoint marks its answers with X-Autosave, also
// the refusals (400 invalid, 403, 409 locked), so they are shown; anything else (a login page after
// the session ended, a lost connection) shows the element's data-autosave-failed text. A refusal's
// messages per field (<template data-autosave-field="name">) are shown beside those fields. Once the
// minutes are locked (or the form is submitted with its button) no automatic save starts.
// An autosave answer never replaces the page: page-wide handlers of error answers (such as the
// development helper that shows a 400 answer as the whole page) do not get to see it.
(function () {
  function isAutosave(el) {
    return el && el.hasAttribute && el.hasAttribute("data-autosave");
  }

  function failed(el) {
    el.textContent = el.getAttribute("data-autosave-failed") || "";
    el.classList.add("error");
  }

  function clearFieldErrors(form) {
    if (!form) return;
    form.querySelectorAll(".autosave-error").forEach(function (node) { node.remove(); });
    form.querySelectorAll(".autosave-has-error").forEach(function (node) {
      node.classList.remove("autosave-has-error", "has-error");
    });
  }

  function showFieldErrors(el) {
    var form = el.closest("form");
    if (!form) return;
    el.querySelectorAll("template[data-autosave-field]").forEach(function (template) {
      var input = form.querySelector('[name="' + template.getAttribute("data-autosave-field") + '"]');
      var box = input && (input.closest(".field") || input.parentNode);
      if (box) {
        if (!box.classList.contains("has-error")) box.classList.add("has-error", "autosave-has-error");
        box.appendChild(template.content.cloneNode(true));
      }
      template.remove();
    });
  }

  // Capturing at the document runs before any handler further down, and stopping the event there
  // keeps it from the bubbling handlers on the document (htmx goes on with the answer regardless).
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    if (isAutosave(event.detail.elt)) event.stopPropagation();
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var el = event.detail.elt;
    if (!isAutosave(el)) return;
    if (el.getAttribute("data-autosave-stopped") === "1") {
      event.preventDefault();
      return;
    }
    var saving = el.getAttribute("data-autosave-saving");
    if (saving) el.textContent = saving;
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var el = event.detail.elt;
    if (!isAutosave(el)) return;
    var state = event.detail.xhr.getResponseHeader("X-Autosave");
    clearFieldErrors(el.closest("form"));
    if (state) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      el.classList.remove("error");
      if (state === "locked" || state === "forbidden") el.setAttribute("data-autosave-stopped", "1");
    } else {
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      failed(el);
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (isAutosave(event.detail.elt)) showFieldErrors(event.detail.elt);
  });

  // Saving with the button takes over: no automatic save starts after it (it would be older).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.querySelectorAll) return;
    form.querySelectorAll("[data-autosave]").forEach(function (el) {
      el.setAttribute("data-autosave-stopped", "1");
    });
  });

  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (isAutosave(event.detail.elt)) failed(event.detail.elt);
    });
  });
})();
