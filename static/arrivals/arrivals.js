// Live arrivals for organizers: polls GET /api/v1/checkin/arrivals every 3 s and redraws
// the counts, the per-5-minute chart (Chart.js, vendored) and the last scans. No inline script.
(function () {
  "use strict";
  var POLL_MS = 3000;
  var root = document.getElementById("arrivals");
  if (!root) { return; }
  var chart = null;

  function cell(tag, text) {
    var el = document.createElement(tag);
    el.textContent = text;
    return el;
  }

  function fillRows(body, rows) {
    body.replaceChildren.apply(body, rows.map(function (cells) {
      var tr = document.createElement("tr");
      cells.forEach(function (c, i) {
        var el = cell(i === 0 && cells.length === 2 ? "th" : "td", c);
        if (el.tagName === "TH") { el.scope = "row"; }
        tr.appendChild(el);
      });
      return tr;
    }));
  }

  function clock(iso) {
    // In the event's time zone (data-time-zone), not the browser's: a laptop set to another zone misread the door.
    return new Date(iso).toLocaleTimeString(root.dataset.language, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: root.dataset.timeZone });
  }

  function hm(iso) {
    return new Date(iso).toLocaleTimeString(root.dataset.language, { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: root.dataset.timeZone });
  }

  function drawChart(series) {
    var labels = series.map(function (b) { return hm(b.start); });
    var counts = series.map(function (b) { return b.count; });
    var canvas = root.querySelector("[data-series-chart]");
    if (!window.Chart || !canvas) { return; }
    if (!chart) {
      chart = new window.Chart(canvas, {
        type: "bar",
        data: { labels: labels, datasets: [{ label: root.dataset.labelArrivals, data: counts, backgroundColor: "#1d6f42" }] },
        options: { animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } }
      });
    } else {
      chart.data.labels = labels;
      chart.data.datasets[0].data = counts;
      chart.update();
    }
  }

  function render(data) {
    root.querySelector("[data-admitted]").textContent = data.admitted;
    fillRows(root.querySelector("[data-by-category]"), data.by_category.map(function (r) { return [r.label, String(r.count)]; }));
    fillRows(root.querySelector("[data-by-gate]"), data.by_gate.map(function (r) { return [r.gate, String(r.count)]; }));
    fillRows(root.querySelector("[data-by-session]"), data.by_session.map(function (r) {
      return [root.dataset.labelSession + " " + r.session, String(r.count)];
    }));
    fillRows(root.querySelector("[data-recent]"), data.recent.map(function (s) {
      return [clock(s.at), s.name, s.gate, s.result_label];
    }));
    drawChart(data.series);
    var conflicts = data.conflicts.map(function (c) {
      return [c.name, clock(c.first_at) + " · " + c.first_gate, clock(c.second_at) + " · " + c.second_gate,
        c.second_device.slice(0, 11)];
    });
    fillRows(root.querySelector("[data-conflicts]"), conflicts.length ? conflicts : [[root.dataset.labelNone, "", "", ""]]);
  }

  function poll() {
    fetch(root.dataset.apiUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        root.querySelector("[data-status]").textContent = "";
        render(data);
      })
      .catch(function () {
        root.querySelector("[data-status]").textContent = root.dataset.labelStale;
      })
      .finally(function () { window.setTimeout(poll, POLL_MS); });
  }

  poll();
}());
