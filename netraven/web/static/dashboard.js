// The dashboard's chart: hosts backed up and configs changed per day (uPlot, bars), redrawn to the
// width of its box; the colours follow the page's light or dark theme.
(function () {
  "use strict";
  var box = document.getElementById("activity-chart");
  var source = document.getElementById("activity-data");
  if (!box || !source || typeof uPlot === "undefined") return;
  var data = JSON.parse(source.textContent);
  var days = data.days.map(function (d) { return Date.parse(d + "T00:00:00Z") / 1000; });
  var style = getComputedStyle(document.documentElement);
  function colour(name, fallback) { return (style.getPropertyValue(name) || fallback).trim(); }
  var text = colour("--pico-color", "#333");
  var grid = colour("--pico-muted-border-color", "#ddd");
  var bars = uPlot.paths.bars({ size: [0.4, 24], align: -1 });
  var changeBars = uPlot.paths.bars({ size: [0.4, 24], align: 1 });
  var axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  function size() { return { width: Math.max(box.clientWidth, 200), height: 240 }; }
  var options = Object.assign(size(), {
    tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
    scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(max, 1)]; } } },
    axes: [Object.assign({}, axis), Object.assign({}, axis)],
    legend: { show: true },
    series: [
      { label: "Day" },
      { label: "Hosts backed up", stroke: colour("--nr-ok", "#1f8a4c"), fill: colour("--nr-ok", "#1f8a4c"), paths: bars, points: { show: false } },
      { label: "Configs changed", stroke: colour("--nr-info", "#1e63c4"), fill: colour("--nr-info", "#1e63c4"), paths: changeBars, points: { show: false } }
    ]
  });
  var chart = new uPlot(options, [days, data.backups, data.changes], box);
  window.addEventListener("resize", function () { chart.setSize(size()); });
})();
