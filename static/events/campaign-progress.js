// Organizer e-mail page: while a sending job runs, poll its counts every 2 s and
// update them in place; reload once it finishes so the log and retry button appear.
(function () {
  "use strict";
  var section = document.querySelector("[data-progress-url]");
  if (!section || section.dataset.status !== "sending") return;
  var url = section.dataset.progressUrl;

  function update(data) {
    Object.keys(data.counts).forEach(function (status) {
      var cell = section.querySelector('[data-count="' + status + '"]');
      if (cell) cell.textContent = String(data.counts[status]);
    });
    if (data.status !== "sending") {
      window.location.reload();
      return;
    }
    window.setTimeout(poll, 2000);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(update)
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 2000);
})();
