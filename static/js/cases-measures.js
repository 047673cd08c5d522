// Keeps the deadline badges of the measures pages current while the page stays open.
// The server renders every badge (text and colour); this only recomputes them each half minute
// from data-due, with the phrases the server translated (no inline scripts: strict CSP).
(function () {
  "use strict";
  if (window.kznCountdowns) {
    return;
  }
  window.kznCountdowns = true;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function duration(el, seconds) {
    seconds = Math.abs(Math.trunc(seconds));
    var d = Math.floor(seconds / 86400);
    var h = Math.floor((seconds % 86400) / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var ds = el.dataset;
    if (d) {
      return h ? fill(ds.fDh, { d: d, h: h }) : fill(ds.fD, { d: d });
    }
    if (h) {
      return m ? fill(ds.fHm, { h: h, m: m }) : fill(ds.fH, { h: h });
    }
    return fill(ds.fM, { m: Math.max(m, 1) });
  }

  function update(el) {
    var due = Date.parse(el.dataset.due);
    if (isNaN(due)) {
      return;
    }
    var seconds = (due - Date.now()) / 1000;
    var warn = parseInt(el.dataset.warn || "0", 10);
    var text;
    el.classList.remove("badge-err", "badge-warn");
    if (seconds <= 0) {
      text = el.dataset.past.replace("{}", duration(el, seconds));
      if (el.dataset.pastClass) {
        el.classList.add(el.dataset.pastClass);
      }
    } else {
      text = el.dataset.future.replace("{}", duration(el, seconds));
      if (seconds <= warn) {
        el.classList.add("badge-warn");
      }
    }
    if (el.textContent !== text) {
      el.textContent = text;
    }
  }

  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(update);
  }

  document.addEventListener("DOMContentLoaded", function () {
    window.setInterval(tick, 30000);
  });
  document.addEventListener("htmx:afterSwap", tick);
})();
