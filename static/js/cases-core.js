// Case-core pages: confirmation of removals and the closure reason shown only when closing.
// No inline scripts anywhere (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  function syncClosureReason(form) {
    var field = form.querySelector("[data-closure-field]");
    if (!field) { return; }
    var checked = form.querySelector("input[name='to_status']:checked");
    var closing = checked && checked.value === "closed";
    var hasError = field.classList.contains("has-error");
    field.hidden = !(closing || hasError);
  }

  function init() {
    var forms = document.querySelectorAll("form.status-form");
    Array.prototype.forEach.call(forms, function (form) {
      syncClosureReason(form);
      form.addEventListener("change", function (event) {
        if (event.target && event.target.name === "to_status") { syncClosureReason(form); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
