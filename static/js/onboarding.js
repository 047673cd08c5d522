// Onboarding wizard helpers (progressive enhancement; the server derives and checks everything too).
(function () {
  "use strict";

  var CYR = "абвгдђежзијклљмнњопрстћуфхцчџш";
  var LAT = ["a", "b", "v", "g", "d", "dj", "e", "z", "z", "i", "j", "k", "l", "lj", "m", "n", "nj", "o", "p", "r",
    "s", "t", "c", "u", "f", "h", "c", "c", "dz", "s"];
  var EXTRA = { "đ": "dj", "č": "c", "ć": "c", "š": "s", "ž": "z" };

  function ascii(text) {
    var out = "";
    var lower = text.toLowerCase();
    for (var i = 0; i < lower.length; i++) {
      var ch = lower.charAt(i);
      var idx = CYR.indexOf(ch);
      if (idx >= 0) { out += LAT[idx]; } else if (EXTRA[ch]) { out += EXTRA[ch]; } else { out += ch; }
    }
    return out.normalize ? out.normalize("NFKD").replace(/[\u0300-\u036f]/g, "") : out;
  }

  function slugify(text) {
    return ascii(text).replace(/[^a-z0-9\s-]/g, "").trim().replace(/[\s-]+/g, "-").slice(0, 60);
  }

  function codeFrom(text) {
    return ascii(text).replace(/[^a-z]/g, "").slice(0, 3).toUpperCase();
  }

  // Step 1: suggest the short name and code from the Latin name until the user edits them.
  var name = document.querySelector("[data-onboarding-name]");
  var slug = document.querySelector("[data-onboarding-slug]");
  var code = document.querySelector("[data-onboarding-code]");
  if (name) {
    [slug, code].forEach(function (el) {
      if (el) {
        el.dataset.auto = el.value ? "0" : "1";
        el.addEventListener("input", function () { el.dataset.auto = "0"; });
      }
    });
    name.addEventListener("input", function () {
      if (slug && slug.dataset.auto === "1") { slug.value = slugify(name.value); }
      if (code && code.dataset.auto === "1") { code.value = codeFrom(name.value); }
    });
  }
  if (code) {
    code.addEventListener("input", function () {
      var pos = code.selectionStart;
      code.value = code.value.toUpperCase();
      if (pos !== null) { code.setSelectionRange(pos, pos); }
    });
  }

  // Step 1: show the cadence the size sets (or, left to the population, the size it implies) as the
  // placeholder of the (optional) cadence field.
  var size = document.querySelector("[data-onboarding-size]");
  var cadence = document.querySelector("[data-onboarding-cadence]");
  var population = document.querySelector("[data-onboarding-population]");
  function showCadence() {
    if (!size || !cadence) { return; }
    var chosen = size.value;
    if (!chosen && population) {
      var people = parseInt(population.value.replace(/[.\s]/g, ""), 10);
      var largeFrom = parseInt(population.dataset.largeFrom, 10);
      if (isNaN(people)) { cadence.placeholder = ""; return; }
      chosen = people >= largeFrom ? "large" : "small";
    }
    cadence.placeholder = chosen === "large" ? "1" : "2";
  }
  if (size) { size.addEventListener("change", showCadence); showCadence(); }
  if (population) { population.addEventListener("input", showCadence); }

  // Step 2: typing a name into a row ticks its "include" box.
  document.querySelectorAll("[data-onboarding-row]").forEach(function (row) {
    var rowName = row.querySelector("[data-onboarding-row-name]");
    var include = row.querySelector("[data-onboarding-include]");
    if (rowName && include) {
      rowName.addEventListener("input", function () {
        if (rowName.value.trim()) { include.checked = true; }
      });
    }
  });
})();
