// The multi-year line chart with the locally served ECharts. Values arrive as exact decimal
// strings (null for a year without the figure); Number() is used only to draw.
(function () {
  function draw() {
    var el = document.getElementById("multi-year-data");
    var box = document.getElementById("chart-multi-year");
    if (!el || !box || !window.echarts) return;
    var data = JSON.parse(el.textContent);
    echarts.init(box).setOption({
      title: { text: data.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { top: 34 },
      grid: { left: 50, right: 30, top: 80, bottom: 40 },
      xAxis: { type: "category", data: data.years },
      yAxis: { type: "value" },
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", connectNulls: false,
                 data: s.values.map(function (v) { return v === null ? null : Number(v); }) };
      })
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
