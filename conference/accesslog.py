"""gunicorn's access log without secrets: `--logger-class conference.accesslog.RedactingLogger`.

Personal links carry their proof in the path (`/e/<slug>/me/login/<signed>/`, `/orders/<token>/`,
the kiosk and calendar links), API tokens travel in the Authorization header, and a Referer repeats
the page it came from. Whoever reads the journal must not be able to open a participant's page, so
the request line and the referer are logged with every token segment replaced and no query string,
and no header atom carries Authorization or Cookie.
"""

import re
from urllib.parse import urlsplit

from django.urls import resolve
from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# URL parameters that are proofs of identity (events/urls.py, ticketing/urls.py, sessions/urls.py, …).
TOKEN_PARAMETERS = {"signed", "token"}
SECRET_HEADERS = ("authorization", "cookie", "x-registration-token", "x-order-token", "stripe-signature")
# An unresolvable path (a 404, a mistyped link) still hides anything shaped like a signed value.
_TOKEN_SHAPED = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_\-:.=]{20,}$")


def redact_path(path):
    """`path` with the values of token parameters (or token-shaped segments) replaced, query dropped."""
    path = urlsplit(path).path or "/"
    secrets = _token_values(path)
    segments = path.split("/")
    for index, segment in enumerate(segments):
        stem, dot, suffix = segment.partition(".ics") if segment.endswith(".ics") else (segment, "", "")
        if stem in secrets or (not secrets and _TOKEN_SHAPED.match(stem)):
            segments[index] = REDACTED + dot + suffix
    return "/".join(segments)


def _token_values(path):
    try:
        match = resolve(path)
    except Exception:  # noqa: BLE001 - a 404 or any resolver failure: a log line must never fail a request
        return set()
    return {str(value) for name, value in match.kwargs.items() if name in TOKEN_PARAMETERS}


def redact_url(url):
    if not url or url == "-":
        return url
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return origin + redact_path(parts.path)


class RedactingLogger(Logger):
    """gunicorn's Logger with the atoms that can carry a token rewritten before formatting."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact_path(environ.get("PATH_INFO", "/"))
        atoms["r"] = f"{environ['REQUEST_METHOD']} {path} {environ['SERVER_PROTOCOL']}"
        atoms["U"] = path
        atoms["q"] = ""
        atoms["f"] = redact_url(environ.get("HTTP_REFERER", "-"))
        for key in [key for key in atoms if key.startswith("{") and key.endswith("}e")]:
            del atoms[key]
        for header in SECRET_HEADERS:
            atoms.pop(f"{{{header}}}i", None)
        atoms.pop("{referer}i", None)
        return atoms
