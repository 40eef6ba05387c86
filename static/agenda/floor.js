// The roundtable live (sessions/floor/views.py): redraw [data-live] regions by short polling.
// Each region's URL answers 304 while the floor's version (its ETag) is unchanged, so an idle
// poll is one indexed read on the server; any app server can answer it (state is in the database).
// Forms marked data-floor-form are sent with fetch and the regions redraw at once.
const INTERVAL = 700; // ms: a change shows within a second
const BACKOFF = 3000; // after a failed request (network gone): keep trying, less often
const regions = [...document.querySelectorAll("[data-live]")];
const status = document.querySelector("[data-floor-status]");

function say(text) {
  if (status) status.textContent = text || "";
}

function refresh(region) {
  const headers = { "X-Floor": "1" };
  if (region.etag) headers["If-None-Match"] = region.etag;
  return fetch(region.getAttribute("data-live"), { headers: headers, cache: "no-store", credentials: "same-origin" })
    .then((response) => {
      if (response.status === 304) return true;
      if (!response.ok) throw new Error(String(response.status));
      region.etag = response.headers.get("ETag");
      return response.text().then((html) => {
        // Server-rendered with Django's autoescaping: the floor's text arrives escaped.
        if (!region.contains(document.activeElement) || document.activeElement === document.body) {
          region.innerHTML = html;
        } else {
          region.pending = html; // do not pull a control from under the user's finger
        }
        return true;
      });
    });
}

function loop(region) {
  if (region.pending && !region.contains(document.activeElement)) {
    region.innerHTML = region.pending;
    region.pending = null;
  }
  refresh(region)
    .then(() => setTimeout(() => loop(region), INTERVAL))
    .catch(() => setTimeout(() => loop(region), BACKOFF));
}

regions.forEach((region) => {
  region.etag = null;
  loop(region);
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.hasAttribute || !form.hasAttribute("data-floor-form") || !window.fetch) return;
  event.preventDefault();
  const button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  const body = new FormData(form);
  function send(retries) {
    // getAttribute: an <input name="action"> (the moderator's buttons) shadows form.action.
    return fetch(form.getAttribute("action"), { method: "POST", body: body, headers: { "X-Floor": "1" }, credentials: "same-origin" })
      .then((response) => response.json().then((reply) => {
        // "busy": the hall is voting at once; the write is idempotent, so try again shortly.
        if (response.status === 409 && reply.code === "busy" && retries > 0) {
          return new Promise((done) => setTimeout(done, 500 + Math.random() * 500)).then(() => send(retries - 1));
        }
        return { ok: response.ok, body: reply };
      }));
  }
  send(2)
    .then((reply) => {
      say(reply.body.message);
      if (reply.ok && form.hasAttribute("data-floor-reset")) form.reset();
      if (document.activeElement && regions.some((r) => r.contains(document.activeElement))) {
        document.activeElement.blur();
      }
      regions.forEach((region) => refresh(region).catch(() => {}));
    })
    .catch(() => say(status && status.getAttribute("data-failed"))) // offline, or a 429 page
    .then(() => {
      if (button) button.disabled = false;
    });
});
