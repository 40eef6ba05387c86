// The order page waiting for a bank transfer: asks the order's state every few seconds and
// reloads the page once it is no longer pending (the bank's webhook marked it paid), so the
// buyer sees "Paid" and the badge links without touching anything. Stops after 30 minutes.
const box = document.getElementById("bank-transfer");
const started = Date.now();
const every = 4000;

function ask() {
  if (Date.now() - started > 30 * 60 * 1000 || document.hidden) {
    if (!document.hidden) return;
    window.setTimeout(ask, every);
    return;
  }
  fetch(box.dataset.statusUrl, { headers: { "X-Order-Token": box.dataset.orderToken }, credentials: "omit" })
    .then((response) => (response.ok ? response.json() : null))
    .then((order) => {
      if (order && order.status !== "pending") {
        window.location.reload();
      } else {
        window.setTimeout(ask, every);
      }
    })
    .catch(() => window.setTimeout(ask, every * 2));
}

if (box && box.dataset.statusUrl) window.setTimeout(ask, every);
