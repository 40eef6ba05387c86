// Organizer e-mail page: while a sending job runs, poll its counts every 2 s and
// update them in place; reload once it finishes so the log and retry button appear.
import { getJson } from "../common/dom.js";

const section = document.querySelector("[data-progress-url]");

function update(data) {
  Object.keys(data.counts).forEach((status) => {
    const cell = section.querySelector('[data-count="' + status + '"]');
    if (cell) cell.textContent = String(data.counts[status]);
  });
  if (data.status !== "sending") {
    window.location.reload();
    return;
  }
  window.setTimeout(poll, 2000);
}

function poll() {
  getJson(section.dataset.progressUrl)
    .then(update)
    .catch(() => window.setTimeout(poll, 5000));
}

if (section && section.dataset.status === "sending") window.setTimeout(poll, 2000);
