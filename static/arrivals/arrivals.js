// Live arrivals for organizers: polls GET /api/v1/checkin/arrivals every 3 s and redraws
// the counts, the per-5-minute chart (Chart.js, vendored) and the last scans. No inline script.
import { $, getJson } from "../common/dom.js";

const POLL_MS = 3000;
const root = $("arrivals");
let chart = null;

function cell(tag, text) {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}

function fillRows(body, rows) {
  body.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement("tr");
    cells.forEach((c, i) => {
      const el = cell(i === 0 && cells.length === 2 ? "th" : "td", c);
      if (el.tagName === "TH") el.scope = "row";
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
  const labels = series.map((b) => hm(b.start));
  const counts = series.map((b) => b.count);
  const canvas = root.querySelector("[data-series-chart]");
  if (!window.Chart || !canvas) return;
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
  fillRows(root.querySelector("[data-by-category]"), data.by_category.map((r) => [r.label, String(r.count)]));
  fillRows(root.querySelector("[data-by-gate]"), data.by_gate.map((r) => [r.gate, String(r.count)]));
  fillRows(root.querySelector("[data-by-session]"), data.by_session.map((r) => [root.dataset.labelSession + " " + r.session, String(r.count)]));
  fillRows(root.querySelector("[data-recent]"), data.recent.map((s) => [clock(s.at), s.name, s.gate, s.result_label]));
  drawChart(data.series);
  const conflicts = data.conflicts.map((c) => [c.name, clock(c.first_at) + " · " + c.first_gate, clock(c.second_at) + " · " + c.second_gate,
      c.second_device.slice(0, 11)]);
  fillRows(root.querySelector("[data-conflicts]"), conflicts.length ? conflicts : [[root.dataset.labelNone, "", "", ""]]);
}

function poll() {
  getJson(root.dataset.apiUrl)
    .then((data) => {
      root.querySelector("[data-status]").textContent = "";
      render(data);
    })
    .catch(() => {
      root.querySelector("[data-status]").textContent = root.dataset.labelStale;
    })
    .finally(() => window.setTimeout(poll, POLL_MS));
}

if (root) poll();
