// Draft minutes save themselves while the coordinator types (htmx posts the form to the autosave
// endpoint; the answer is a one-line status). The endpoint marks its answers with X-Autosave, also
// the refusals (400 invalid, 403, 409 locked), so they are shown; anything else (a login page after
// the session ended, a lost connection) shows the element's data-autosave-failed text. Once the
// minutes are locked (or the form is submitted with its button) no automatic save starts.
(function () {
  function isAutosave(el) {
    return el && el.hasAttribute && el.hasAttribute("data-autosave");
  }

  function failed(el) {
    el.textContent = el.getAttribute("data-autosave-failed") || "";
    el.classList.add("error");
  }

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
    if (state) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      el.classList.remove("error");
      if (state === "locked" || state === "forbidden") el.setAttribute("data-autosave-stopped", "1");
    } else {
      event.detail.shouldSwap = false;
      failed(el);
    }
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
