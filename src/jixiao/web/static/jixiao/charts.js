// Draws the dashboard charts with the locally served ECharts. Values arrive as exact decimal
// strings; Number() is used only to draw. A chart with nothing to draw is an empty-state box
// rendered by the server, so this script only draws what is there.
(function () {
  function num(v) { return v === null || v === undefined ? null : Number(v); }
  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  // Between a name and its value: "：" on a Chinese page, ": " on an English one (the server
  // words it in the page's language, like every other word of the charts).
  function separator(words) { return words.separator || "："; }
  function title(text) {
    return { text: text, left: "center", textStyle: { fontSize: 14 } };
  }
  function sankey(el, data, words) {
    var s = data.sankey;
    var columns = 1 + Math.max.apply(null, s.nodes.map(function (n) { return n.depth; }));
    echarts.init(el).setOption({
      title: title(data.titles ? data.titles.sankey : words.sankey),
      tooltip: { trigger: "item", confine: true,
        formatter: function (p) {
          if (p.dataType === "edge") {
            return p.data.source + " → " + p.data.target + separator(words) + p.data.raw + " "
              + data.unit;
          }
          return p.name;
        } },
      series: [{
        type: "sankey", top: 40, bottom: 10, left: 10, right: 120,
        emphasis: { focus: "adjacency" }, nodeAlign: "left", nodeGap: 14, nodeWidth: 14,
        layoutIterations: 32, draggable: false,
        levels: Array.apply(null, Array(columns)).map(function (_, i) {
          return { depth: i, label: { width: 110, overflow: "truncate" } };
        }),
        label: { fontSize: 11, width: 110, overflow: "truncate" },
        lineStyle: { color: "gradient", opacity: 0.35 },
        data: s.nodes.map(function (n) {
          var node = { name: n.name, depth: n.depth };
          if (n.kind === "gap") node.itemStyle = { color: "#b0b0b0" };
          return node;
        }),
        links: s.links.map(function (l) {
          return { source: l.source, target: l.target, value: num(l.value), raw: l.value };
        })
      }]
    });
  }
  function uses(el, data, words) {
    echarts.init(el).setOption({
      title: title(data.titles ? data.titles.uses : words.uses),
      tooltip: { trigger: "axis", confine: true }, legend: { top: 28 },
      grid: { left: 220, right: 30, top: 70 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: data.uses.categories, inverse: true,
               axisLabel: { width: 200, overflow: "truncate" } },
      series: data.uses.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "u", data: s.values.map(num) }; })
    });
  }
  function scores(el, data, words) {
    echarts.init(el).setOption({
      title: title(words.scores),
      tooltip: { trigger: "axis", confine: true },
      legend: { top: 28, data: [words.weight, words.score] },
      grid: { left: 60, right: 30, top: 70, bottom: 120 },
      xAxis: { type: "category", data: data.scores.names,
               axisLabel: { rotate: 35, width: 140, overflow: "truncate" } },
      yAxis: { type: "value" },
      series: [
        { name: words.weight, type: "bar", data: data.scores.weights.map(num),
          itemStyle: { color: "#c9ced6" } },
        { name: words.score, type: "bar", data: data.scores.scores.map(num),
          itemStyle: { color: "#8b1a1a" } }
      ]
    });
  }
  function countyMap(el, words) {
    var select = document.getElementById("map-measure");
    // Each measure's label, legend (with its unit) and the counties without a value, as the
    // server worded them; the values are the server's decimal text.
    var measures = {};
    (json("map-measures") || []).forEach(function (m) { measures[m.key] = m; });
    fetch(el.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        echarts.registerMap("jixiao-counties", geo);
        var chart = echarts.init(el);
        function draw() {
          var measure = select && select.value ? select.value : null;
          var about = measure ? measures[measure] || {} : {};
          var unit = about.unit ? " " + about.unit : "";
          // A county without a value keeps the plain grey of the map: it is not in the data.
          var values = [];
          geo.features.forEach(function (f) {
            var v = measure ? f.properties[measure] : null;
            if (v !== null && v !== undefined) {
              values.push({ name: f.properties.name, value: Number(v), raw: v });
            }
          });
          var known = values.map(function (v) { return v.value; });
          var option = {
            title: title(words.map + (about.legend ? " · " + about.legend : "")),
            tooltip: { trigger: "item", confine: true, formatter: function (p) {
              var raw = p.data && p.data.raw;
              if (!measure) return p.name;
              return p.name + separator(words)
                + (raw === null || raw === undefined ? words.none : raw + unit);
            } },
            series: [{ type: "map", map: "jixiao-counties", roam: true, top: 40, bottom: 10,
                       label: { show: true, fontSize: 9 }, data: values,
                       itemStyle: { areaColor: "#e6e6e6", borderColor: "#777" } }]
          };
          if (known.length) {
            // From 0 unless a value is below it, so one county alone still has a range:
            // with min equal to max ECharts would paint every county.
            var low = Math.min(0, Math.min.apply(null, known));
            var high = Math.max.apply(null, known);
            option.visualMap = { min: low, max: high > low ? high : low + 1,
                                 left: 10, bottom: 10, calculable: true,
                                 text: [about.legend || "", ""],
                                 inRange: { color: ["#f3e3c3", "#8b1a1a"] } };
          }
          chart.setOption(option, true);
          document.querySelectorAll(".map-legend").forEach(function (p) {
            p.hidden = p.dataset.measure !== measure;
          });
        }
        draw();
        if (select) select.addEventListener("change", draw);
      });
  }
  function draw() {
    var data = json("chart-data");
    var words = json("chart-labels") || {};
    if (!data || !window.echarts) return;
    var el = document.getElementById("chart-sankey");
    if (el) sankey(el, data, words);
    el = document.getElementById("chart-uses");
    if (el) uses(el, data, words);
    el = document.getElementById("chart-scores");
    if (el) scores(el, data, words);
    el = document.getElementById("chart-map");
    if (el) countyMap(el, words);
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
