// Optional live SMS counter on the compose page (the server's "Check" is the authority).
// GSM 03.38: the default alphabet counts 1, its extension table 2; anything else: UCS-2.
(function () {
  "use strict";
  var BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENSION = "^{}\\[~]|€\f";

  function measure(text) {
    var chars = Array.from(text);
    var gsm = chars.every(function (c) { return BASIC.indexOf(c) >= 0 || EXTENSION.indexOf(c) >= 0; });
    var units = chars.map(function (c) {
      if (gsm) { return EXTENSION.indexOf(c) >= 0 ? 2 : 1; }
      return c.codePointAt(0) > 0xffff ? 2 : 1;
    });
    var total = units.reduce(function (a, b) { return a + b; }, 0);
    var single = gsm ? 160 : 70, split = gsm ? 153 : 67;
    if (total === 0) { return { gsm: gsm, total: 0, segments: 0 }; }
    if (total <= single) { return { gsm: gsm, total: total, segments: 1 }; }
    var segments = 1, used = 0;
    units.forEach(function (size) {
      if (used + size > split) { segments += 1; used = 0; }
      used += size;
    });
    return { gsm: gsm, total: total, segments: segments };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var area = document.querySelector("textarea[data-sms-counter]");
    if (!area) { return; }
    var out = document.getElementById(area.getAttribute("data-sms-counter"));
    var channel = document.getElementById("id_channel");
    function update() {
      if (!out) { return; }
      if (channel && channel.value !== "sms") { out.textContent = ""; return; }
      var m = measure(area.value);
      out.textContent = m.total + " · " + m.segments + " SMS · " + (m.gsm ? "GSM-7" : "UCS-2");
    }
    area.addEventListener("input", update);
    if (channel) { channel.addEventListener("change", update); }
    update();
  });
})();
