/* Saring public guide: optional enhancements; every page works without this file. */
(function () {
  "use strict";
  var KEY = "saring.region";
  var root = document.documentElement.getAttribute("data-root") || "./";
  function store(code, name, path) {
    try { localStorage.setItem(KEY, JSON.stringify({ code: code, name: name, path: path })); } catch (e) { /* private mode */ }
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  // Remember the region a visitor picks from the chooser (links carry data-region).
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-region]") : null;
    if (link) { store(link.getAttribute("data-region"), link.getAttribute("data-region-name"), link.getAttribute("data-region-path")); }
  });
  // The home page offers a shortcut to the remembered region.
  var mine = load();
  var slot = document.querySelector("[data-my-region]");
  if (slot && mine && mine.path && /^wilayah\/[0-9-]+\/$/.test(mine.path)) {
    var a = slot.querySelector("a");
    a.href = root + mine.path;
    a.setAttribute("data-region", mine.code || "");
    slot.querySelector("[data-my-region-name]").textContent = mine.name || mine.code;
    slot.hidden = false;
  }
  // Refresh the countdowns written at build time (days until a date, in the page's zone).
  var offset = parseInt(document.documentElement.getAttribute("data-utc-offset") || "7", 10);
  var now = new Date(Date.now() + offset * 3600000);
  var today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  Array.prototype.forEach.call(document.querySelectorAll("[data-until]"), function (el) {
    var parts = el.getAttribute("data-until").split("-");
    var days = Math.round((Date.UTC(+parts[0], parts[1] - 1, +parts[2]) - today) / 86400000);
    if (days >= 0) { el.textContent = String(days); }
  });
  // Search: Pagefind's UI, only on the search page.
  var search = document.getElementById("search");
  if (search && window.PagefindUI) {
    // Pagefind's result URLs start at the site's root: make them work under any prefix.
    var siteRoot = document.documentElement.getAttribute("data-site-root") || "./";
    var base = new URL(siteRoot, window.location.href).pathname;
    new window.PagefindUI({ element: "#search", showSubResults: true, resetStyles: false, baseUrl: base });
    // Pagefind's input carries only a title: give it the region's accessible name.
    var tries = 0;
    var label = function () {
      var input = search.querySelector("input");
      if (input) { input.setAttribute("aria-label", search.getAttribute("aria-label")); }
      else if (tries++ < 40) { window.setTimeout(label, 50); }
    };
    label();
    var off = document.querySelector("[data-needs-js]");
    if (off) { off.hidden = true; }
  }
}());
