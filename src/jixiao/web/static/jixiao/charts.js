// Draws the dashboard charts with the locally served ECharts. Values arrive as exact decimal
// strings; Number() is used only to draw.
(function () {
  function num(v) { return v === null || v === undefined ? null : Number(v); }
  function draw() {
    var el = document.getElementById("chart-data");
    if (!el || !window.echarts) return;
    var data = JSON.parse(el.textContent);
    var sankey = document.getElementById("chart-sankey");
    if (sankey && data.sankey.links.length) {
      echarts.init(sankey).setOption({
        title: { text: "资金流向（" + data.unit + "）", left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "item" },
        series: [{ type: "sankey", emphasis: { focus: "adjacency" }, nodeGap: 10,
          data: data.sankey.nodes,
          links: data.sankey.links.map(function (l) {
            return { source: l.source, target: l.target, value: num(l.value) }; }) }]
      });
    }
    var uses = document.getElementById("chart-uses");
    if (uses && data.uses.categories.length) {
      echarts.init(uses).setOption({
        title: { text: "分用途支出（" + data.unit + "）", left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" }, legend: { top: 28 },
        grid: { left: 220, right: 30, top: 70 },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: data.uses.categories, inverse: true },
        series: data.uses.series.map(function (s) {
          return { name: s.name, type: "bar", stack: "u", data: s.values.map(num) }; })
      });
    }
    var scores = document.getElementById("chart-scores");
    if (scores) {
      echarts.init(scores).setOption({
        title: { text: "各指标得分与分值", left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" }, legend: { top: 28, data: ["分值", "得分"] },
        grid: { left: 60, right: 30, top: 70, bottom: 120 },
        xAxis: { type: "category", data: data.scores.names,
                 axisLabel: { rotate: 35, width: 140, overflow: "truncate" } },
        yAxis: { type: "value" },
        series: [
          { name: "分值", type: "bar", data: data.scores.weights.map(num), itemStyle: { color: "#c9ced6" } },
          { name: "得分", type: "bar", data: data.scores.scores.map(num), itemStyle: { color: "#8b1a1a" } }
        ]
      });
    }
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
