// Page-wide helpers (no inline scripts anywhere: the Content-Security-Policy forbids them).
// * The header menu folds behind a "Menu" button on narrow screens (without JavaScript it stays open).
// * Table cells stacked on a phone keep their column names (data-label from the table's header).
// * Messages (shown fixed at the bottom of the window) get a close button.
// * The case page's section menu lists only the sections the page has.
// * The error summary of a form that came back with errors takes the focus, so that a keyboard or
//   screen-reader user starts from the list of problems; each link in it moves the focus to its field.
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) { return; }
    event.preventDefault();
    // Show the field with its label above it, then give it the focus.
    var label = document.querySelector("label[for='" + field.id + "']");
    var details = field.closest("details");
    if (details) { details.open = true; }
    (label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });

  // A region that scrolls must be reachable by keyboard (axe: scrollable-region-focusable): a case
  // section whose wide table overflows on a narrow screen gets a tab stop, as lists with a fixed
  // height have one in their templates.
  function focusableScrollers() {
    var regions = document.querySelectorAll(".case-section, .case-main > .card");
    Array.prototype.forEach.call(regions, function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && el.hasAttribute("data-scroll-focus")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-scroll-focus");
      }
    });
  }

  var NARROW = window.matchMedia("(max-width: 700px)");

  function setupMenu() {
    var header = document.querySelector("header.topbar");
    var button = header && header.querySelector(".menu-toggle");
    var menu = document.getElementById("topbar-menu");
    if (!button || !menu) { return; }
    button.hidden = false;
    function set(open) {
      header.classList.toggle("menu-collapsed", !open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    set(false);
    button.addEventListener("click", function () {
      set(header.classList.contains("menu-collapsed"));
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && NARROW.matches && !header.classList.contains("menu-collapsed")) {
        set(false);
        button.focus();
      }
    });
  }

  function labelStackedCells() {
    var tables = document.querySelectorAll("table.data");
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.querySelectorAll("thead tr:first-child th");
      if (!heads.length) { return; }
      var names = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          if (row.cells.length !== names.length) { return; }  // a message row spanning the columns
          Array.prototype.forEach.call(row.cells, function (cell, i) {
            if (names[i] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", names[i]); }
          });
        });
      });
    });
  }

  function closableMessages() {
    var region = document.querySelector(".messages");
    if (!region) { return; }
    var label = region.getAttribute("data-close-label") || "Close";
    Array.prototype.forEach.call(region.querySelectorAll(".msg"), function (msg) {
      var close = document.createElement("button");
      close.type = "button";
      close.className = "msg-close";
      close.setAttribute("aria-label", label);
      close.textContent = "\u00d7";
      close.addEventListener("click", function () {
        msg.remove();
        if (!region.querySelector(".msg")) { region.remove(); }
      });
      msg.appendChild(close);
    });
  }

  function sectionMenu() {
    var nav = document.querySelector("nav.case-jump");
    if (!nav) { return; }
    var list = nav.querySelector("ul");
    var entries = [];
    Array.prototype.forEach.call(nav.querySelectorAll("a[href^='#']"), function (link) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        link.parentNode.hidden = true;
      } else {
        entries.push({ link: link, target: target });
      }
    });
    // The section being read is marked in the menu, and kept in sight in its scrolling row.
    var current = null;
    function mark() {
      // Stuck at the top, the menu covers the first 3.5rem (the sections' scroll margin); before that,
      // a section counts once it reaches the menu.
      var box = nav.getBoundingClientRect();
      var below = box.top <= 1 ? Math.max(box.bottom + 12, 64) : box.bottom;
      var found = null;
      entries.forEach(function (entry) {
        if (entry.target.getBoundingClientRect().top <= below) { found = entry; }
      });
      // At the end of the page the last sections cannot reach the top: the one jumped to is current.
      var atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
      if (atEnd && location.hash) {
        entries.forEach(function (entry) {
          if ("#" + entry.target.id === location.hash) { found = entry; }
        });
      }
      if (found === current) { return; }
      if (current) { current.link.removeAttribute("aria-current"); }
      current = found;
      if (!current) { return; }
      current.link.setAttribute("aria-current", "location");
      var left = current.link.offsetLeft - list.offsetLeft;
      if (left < list.scrollLeft || left + current.link.offsetWidth > list.scrollLeft + list.clientWidth) {
        list.scrollLeft = Math.max(0, left - 16);
      }
    }
    var pending = false;
    window.addEventListener("scroll", function () {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; mark(); });
    }, { passive: true });
    window.addEventListener("hashchange", mark);
    mark();
  }

  function init() {
    setupMenu();
    labelStackedCells();
    closableMessages();
    sectionMenu();
    focusSummary();
    focusableScrollers();
    window.addEventListener("resize", focusableScrollers);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
