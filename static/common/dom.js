// What our page scripts share for talking to the page and the server: elements by id, Django's CSRF
// token, and JSON requests that carry it. Imported by the door scanner (static/checkin/) and the
// agenda builder; every page script is an ES module (<script type="module">).

/** The element with this id, or null. */
export function $(id) {
  return document.getElementById(id);
}

/** Django's CSRF token, read from its cookie (readable by scripts: CSRF_COOKIE_HTTPONLY is left off). */
export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/** GET a JSON answer with the session cookie; an HTTP error rejects with error.status. */
export function getJson(url) {
  return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then((response) => {
    if (!response.ok) throw Object.assign(new Error("HTTP " + response.status), { status: response.status });
    return response.json();
  });
}

/** POST a JSON body; resolves to the JSON answer. An HTTP error rejects with the answer's message
 * (the API's error shape: {code, message}) or "HTTP <status>", with error.status and error.answer. */
export function postJson(url, body) {
  return sendJson(url, body).then((response) => {
    if (response.ok) return response.json();
    return response
      .json()
      .catch(() => ({}))
      .then((answer) => {
        throw Object.assign(new Error(answer.message || "HTTP " + response.status), {
          status: response.status,
          answer,
        });
      });
  });
}

/** fetch() with a JSON body (none when body is undefined), the CSRF token and the session cookie;
 * resolves to the Response, whatever its status. */
export function sendJson(url, body, method = "POST") {
  return fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
