/* The public questionnaire: quick exit (button and Escape: location.replace, no back-button trail),
   conditional questions, and the small proof of work before sending. The page works without it. */
(function () {
  "use strict";
  var exitUrl = document.body.getAttribute("data-exit");
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.innerHTML = "";
    window.location.replace(exitUrl);
  }
  var button = document.getElementById("quick-exit");
  if (button) { button.addEventListener("click", leave); }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { leave(event); }
  });
  var form = document.getElementById("answer-form");
  if (!form) { return; }
  function refresh() {
    var items = form.querySelectorAll("[data-show-if]");
    for (var i = 0; i < items.length; i++) {
      var name = items[i].getAttribute("data-show-if");
      var want = items[i].getAttribute("data-show-value");
      var chosen = form.querySelector("input[name='" + name + "']:checked");
      var show = chosen && chosen.value === want;
      items[i].classList.toggle("is-hidden", !show);
      var cond = items[i].querySelector(".cond");
      if (cond) { cond.classList.add("is-hidden"); }
    }
  }
  form.addEventListener("change", refresh);
  refresh();
  function hex(buffer) {
    var bytes = new Uint8Array(buffer);
    return bytes;
  }
  function zeroBits(bytes, bits) {
    var full = Math.floor(bits / 8);
    for (var i = 0; i < full; i++) { if (bytes[i] !== 0) { return false; } }
    var rest = bits % 8;
    return rest === 0 || (bytes[full] >> (8 - rest)) === 0;
  }
  var working = false;
  form.addEventListener("submit", function (event) {
    var work = form.elements.work;
    if (work.value || !window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
    event.preventDefault();
    if (working) { return; }
    working = true;
    var token = form.elements.form.value;
    var bits = parseInt(form.getAttribute("data-bits"), 10) || 0;
    var encoder = new TextEncoder();
    var n = 0;
    function step() {
      var batch = [];
      for (var i = 0; i < 256; i++) { batch.push(window.crypto.subtle.digest("SHA-256", encoder.encode(token + ":" + (n + i)))); }
      Promise.all(batch).then(function (digests) {
        for (var j = 0; j < digests.length; j++) {
          if (zeroBits(hex(digests[j]), bits)) { work.value = String(n + j); form.submit(); return; }
        }
        n += 256;
        step();
      });
    }
    step();
  });
})();
