"""Logs an operator can read and search: one JSON object per line, each tied to its request.

Every request gets an id (RequestIdMiddleware): a fresh one, or nginx's `X-Request-ID` when the
request really comes from our proxy (conference.security.client_ip's rule). The id goes back in the
`X-Request-ID` header and on error pages, so a person reporting "it said error 8f3c…" leads the
operator to the exact lines. JsonFormatter writes time (ISO 8601 in the event time zone), level,
logger, message, request id and who asked (user id or paired device's token id: ids, never names),
and passes every path in the message through the access log's redaction, so personal links and
tokens never reach the journal. `LOG_FORMAT=text` gives plain lines for a developer's terminal.
"""

import contextvars
import datetime
import json
import logging
import re
import secrets
import traceback

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils import timezone

from .accesslog import redact_path
from .security import is_trusted_proxy

REQUEST_ID_HEADER = "X-Request-ID"
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_PATH = re.compile(r"(?<![\w:/])/[^\s\"'<>]*")

_current_request = contextvars.ContextVar("current_request", default=None)


def current_request_id():
    request = _current_request.get()
    return getattr(request, "request_id", None) if request is not None else None


class RequestIdMiddleware:
    """First in MIDDLEWARE: names the request for every log line written while it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        from_proxy = settings.BEHIND_PROXY and is_trusted_proxy(request.META.get("REMOTE_ADDR", ""))
        request.request_id = incoming if from_proxy and _INCOMING_ID.match(incoming) else secrets.token_hex(8)
        # Left set until request_finished: Django logs a 4xx/5xx answer after the middleware returned.
        _current_request.set(request)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


@receiver(request_finished)
def _forget_request(**kwargs):
    _current_request.set(None)


def _actor(request):
    """Who asked, as ids only; never triggers a query (the user is read only once Django loaded it)."""
    device = getattr(request, "paired_device", None) or getattr(request, "api_token", None)
    if device is not None:
        return {"device_id": device.pk}
    user = getattr(request, "_cached_user", None)
    if user is not None and user.is_authenticated:
        return {"user_id": user.pk}
    return {}


def redact_message(message):
    """The message with each path in it redacted as the access log redacts it (tokens, queries)."""
    return _PATH.sub(lambda match: redact_path(match.group(0)), message)


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": timezone.localtime(datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": redact_message(record.getMessage()),
        }
        request = _current_request.get()
        if request is not None:
            entry["request_id"] = request.request_id
            entry["method"] = request.method
            entry.update(_actor(request))
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            # The exception's type and where it happened; its text may quote input, so it is redacted too.
            entry["exception"] = redact_message("".join(traceback.format_exception(*record.exc_info)))
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Plain lines for a terminal, still redacted and still carrying the request id."""

    def format(self, record):
        line = f"{self.formatTime(record)} {record.levelname} {record.name} {redact_message(record.getMessage())}"
        request_id = current_request_id()
        if request_id:
            line += f" [request {request_id}]"
        if record.exc_info:
            line += "\n" + redact_message("".join(traceback.format_exception(*record.exc_info)))
        return line
