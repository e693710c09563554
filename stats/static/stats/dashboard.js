/* Draws each chart of the statistics dashboard from the figures in #stats-charts (Chart.js).
   The admin loads scripts in the page head: wait for the document. */
function drawStatisticsCharts() {
  "use strict";
  var source = document.getElementById("stats-charts");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var charts = JSON.parse(source.textContent);
  var palette = ["#007d7e", "#e9b04d", "#cd4444", "#5b6ab0", "#7a9c3c", "#a05aa0", "#3c8dbc", "#8a6d3b"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = charts[canvas.dataset.chart];
    if (!spec) {
      return;
    }
    var round = spec.type === "doughnut";
    var datasets = spec.datasets.map(function (dataset, i) {
      var colour = palette[i % palette.length];
      return {
        label: dataset.label,
        data: round ? dataset.data.slice(0, 2) : dataset.data,
        backgroundColor: round ? palette.slice(0, 2) : colour,
        borderColor: colour,
        fill: false,
        tension: 0.2,
      };
    });
    new Chart(canvas, {
      type: spec.type,
      data: { labels: round ? spec.labels.slice(0, 2) : spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: round || datasets.length > 1 } },
        scales: round ? {} : { y: { beginAtZero: true } },
      },
    });
    canvas.dataset.drawn = "true";
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawStatisticsCharts);
} else {
  drawStatisticsCharts();
}
