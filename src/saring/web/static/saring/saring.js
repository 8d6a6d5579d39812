// Behaviour every page shares. No inline scripts or handlers anywhere: the
// Content-Security-Policy allows scripts from Saring's own static files only.
(function () {
  // A <select data-autosubmit> submits its form when changed (the language switch);
  // without JavaScript its form has a <noscript> button instead.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // On a phone the filters start folded so the results are on the first screen.
  if (window.matchMedia("(max-width: 759px)").matches) {
    document.querySelectorAll("details.filter-box").forEach(function (d) { d.open = false; });
  }
})();
