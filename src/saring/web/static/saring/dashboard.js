// Draws the volume chart from the JSON the server embedded (no extra request on slow links).
(function () {
  var source = document.getElementById("volume-data");
  var canvas = document.getElementById("volume-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // Colour-blind-safe palette (Okabe-Ito), one colour per platform.
  var colours = { tiktok: "#000000", instagram: "#CC79A7", x: "#0072B2", facebook: "#56B4E9",
                  youtube: "#D55E00" };
  var spare = ["#009E73", "#E69F00", "#F0E442", "#999999"];
  data.datasets.forEach(function (set, i) {
    var c = colours[set.label] || spare[i % spare.length];
    set.borderColor = c; set.backgroundColor = c; set.pointRadius = 0; set.borderWidth = 2;
    set.tension = 0.2;
  });
  new Chart(canvas, {
    type: "line", data: data,
    // Axis and tooltip numbers grouped in the page's language (id 12.345, en 12,345).
    options: { locale: document.documentElement.lang || undefined,
               responsive: true, maintainAspectRatio: false, animation: false,
               interaction: { mode: "index", intersect: false },
               scales: { x: { ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true } },
               plugins: { legend: { position: "bottom" } } }
  });
})();
