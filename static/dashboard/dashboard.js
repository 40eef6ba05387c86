// Organizers' dashboard: fetch the figures (JSON, same origin, session cookie), draw one Chart.js
// chart per figure, with its numbers as a table for screen readers and a CSV download link.
import { $, getJson } from "../common/dom.js";

const root = $("dashboard");
// Colours with at least 3:1 contrast on white (WCAG 1.4.11); series also differ by their legend text.
const COLOURS = ["#0b4f8a", "#b35900", "#17692f", "#8a1c7c", "#a31515", "#4a4a4a"];

function element(tag, attributes, text) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function table(figure) {
  const wrap = element("div", { class: "table-wrap" });
  const grid = element("table");
  const head = grid.createTHead().insertRow();
  [figure.x_label, ...figure.series.map((s) => s.label)].forEach((text) => head.appendChild(element("th", { scope: "col" }, text)));
  const body = grid.createTBody();
  figure.labels.forEach((label, index) => {
    const row = body.insertRow();
    row.appendChild(element("th", { scope: "row" }, label));
    figure.series.forEach((s) => row.appendChild(element("td", { class: "number" }, String(s.data[index]))));
  });
  wrap.appendChild(grid);
  return wrap;
}

function card(figure) {
  const section = element("section", { class: "figure", "data-figure": figure.key, "aria-labelledby": "figure-" + figure.key });
  section.appendChild(element("h2", { id: "figure-" + figure.key }, figure.title));
  const holder = element("div", { class: "chart" });
  const canvas = element("canvas", { role: "img", "aria-label": figure.title });
  holder.appendChild(canvas);
  section.appendChild(holder);
  const details = element("details");
  details.appendChild(element("summary", {}, root.dataset.labelTable));
  details.appendChild(table(figure));
  section.appendChild(details);
  const link = element("a", { href: figure.csv_url, class: "button", download: "" }, root.dataset.labelCsv);
  section.appendChild(element("p")).appendChild(link);
  root.appendChild(section);
  return canvas;
}

function draw(canvas, figure) {
  return new window.Chart(canvas, {
    type: figure.chart,
    data: {
      labels: figure.labels,
      datasets: figure.series.map((s, i) => ({
        label: s.label,
        data: s.data,
        backgroundColor: COLOURS[i % COLOURS.length],
        borderColor: COLOURS[i % COLOURS.length],
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: figure.stacked }, y: { stacked: figure.stacked, beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}

function load() {
  getJson(root.dataset.url)
    .then((data) => {
      root.replaceChildren();
      data.figures.forEach((figure) => draw(card(figure), figure));
      root.dataset.ready = "true";
    })
    .catch(() => {
      root.replaceChildren(element("p", { class: "error", role: "alert" }, root.dataset.labelError));
    });
}

if (root) load();
