// Automatic saving (draft minutes; drafts of the case forms): htmx posts the form to an autosave
// endpoint from an element marked data-autosave; the answer is a one-line status. The endpoint marks its answers with X-Autosave, also
// the refusals (400 invalid, 403, 409 locked), so they are shown; anything else (a login page after
// the session ended, a lost connection) shows the element's data-autosave-failed text. A refusal's
// messages per field (<template data-autosave-field="name">) are shown beside those fields. Once the
// minutes are locked (or the form is submitted with its button) no automatic save starts.
// An autosave answer never replaces the page: page-wide handlers of error answers (such as the
// development helper that shows a 400 answer as the whole page) do not get to see it.
// A form marked data-draft-form also gets a "draft-save" event every few seconds while it is being
// typed into (data-draft-interval, in ms; 15 s by default) and when a field loses focus, so that its
// draft is kept while typing and not only after a pause.
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

  function startDrafts(form) {
    if (form.getAttribute("data-draft-started") === "1") return;
    form.setAttribute("data-draft-started", "1");
    var dirty = false;
    var interval = parseInt(form.getAttribute("data-draft-interval") || "15000", 10);
    function keep() {
      if (!dirty) return;
      dirty = false;
      form.dispatchEvent(new CustomEvent("draft-save"));
    }
    // Leaving a field keeps the draft after a moment, unless the form is being submitted: focus
    // leaves the field for the Save button first, and a draft kept after the save would outlive it.
    function soon(event) {
      var next = event && event.relatedTarget;
      if (next && next.form === form && next.type === "submit") return;
      window.setTimeout(function () {
        var status = form.querySelector("[data-autosave]");
        if (status && status.getAttribute("data-autosave-stopped") === "1") return;
        keep();
      }, 600);
    }
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; soon(); });
    form.addEventListener("focusout", soon);
    window.setInterval(keep, interval > 1000 ? interval : 15000);
  }

  function startAllDrafts() {
    document.querySelectorAll("form[data-draft-form]").forEach(startDrafts);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAllDrafts);
  } else {
    startAllDrafts();
  }
})();
