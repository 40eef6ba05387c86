"""The JSON API root: mounts each app's router and turns errors into stable JSON.

Every error answers {"code", "message"} in the caller's language; input that
fails validation answers 422 with per-field messages; nothing answers 500 to
bad input.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from events.api import router as events_router
from events.common.api import FormInvalid
from events.declarations.api import router as declarations_router
from events.errors import DomainError
from events.schemas import ErrorOut, ValidationErrorOut
from sessions.api import router as agenda_router
from ticketing.api import router as ticketing_router
from ticketing.checkin_api import router as checkin_router


class ConferenceAPI(NinjaAPI):
    """The NinjaAPI whose schema also documents the answers the handlers below give for every operation.

    Routers declare the statuses their own code returns; the ones that come from this module's
    exception handlers are added here, next to those handlers, so no operation can forget them:
    422 for input that fails the schema or a body that is not JSON (any operation with parameters
    or a body), 401 for an operation that needs a login or token. The fuzz test
    (tests/test_api_fuzz.py) holds every answer to this schema.
    """

    def get_openapi_operation_id(self, operation):
        """The view's name, or the verb its decorator names (`operation_id="scan_badge"`): generated
        clients call `create_order(...)`, not `ticketing_api_create_order(...)`."""
        return operation.view_func.__name__

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        schema["servers"] = [{"url": settings.SITE_URL, "description": _("This server")}]
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorOut, ValidationErrorOut):
            components.setdefault(model.__name__, model.model_json_schema(ref_template="#/components/schemas/{model}"))
        for operation in (op for path in schema["paths"].values() for op in path.values()):
            _document_shared_errors(operation)
            _declare_binary_files(operation)
        return schema


def _declare_binary_files(operation):
    """A PDF (or any non-JSON) answer is a file: `{type: string, format: binary}`, which generators map
    to bytes, instead of the JSON schema django-ninja puts under every content type."""
    for response in operation["responses"].values():
        for content_type, media in response.get("content", {}).items():
            if content_type != "application/json":
                media["schema"] = {"type": "string", "format": "binary"}


def _document_shared_errors(operation):
    responses = operation["responses"]

    def add(status, model, description):
        content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}
        responses.setdefault(status, {"description": description, "content": content})

    if operation.get("parameters") or operation.get("requestBody"):
        add(422, ValidationErrorOut, "Invalid input")
    if operation.get("security"):
        add(401, ErrorOut, "Unauthorized")


api = ConferenceAPI(
    title="National KOL Conference API",
    version="1",
    description="Registration, vetting, tickets, badges, check-in, agenda and the Alliance declaration.",
    urls_namespace="api",
)
api.add_router("/", events_router)
api.add_router("/", declarations_router)
api.add_router("/", ticketing_router)
api.add_router("/", checkin_router)
api.add_router("/", agenda_router)


@api.exception_handler(DomainError)
def domain_error(request, exc):
    return api.create_response(
        request, {"code": exc.code, "message": str(exc.message), "field": exc.field}, status=exc.status
    )


@api.exception_handler(FormInvalid)
def form_invalid(request, exc):
    body = {"code": "invalid", "message": _("Please correct the errors below."), "errors": exc.errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(ValidationError)
def schema_invalid(request, exc):
    errors = {}
    for error in exc.errors:
        errors.setdefault(_field_name(error.get("loc", ())), []).append(_schema_message(error))
    body = {"code": "invalid", "message": _("Please correct the errors below."), "errors": errors}
    return api.create_response(request, body, status=422)


def _field_name(location):
    # ninja locates body fields as ("body", "<parameter>", field, …) and others as ("query", field).
    parts = [str(part) for part in (location[2:] if location[:1] == ("body",) else location[1:])]
    return ".".join(parts) or "body"


def _schema_message(error):
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return _("This value has the wrong type.")
    if "too_long" in kind or "too_short" in kind:
        return _("This value has the wrong length.")
    if kind == "value_error" and "error" in error.get("ctx", {}):
        return str(error["ctx"]["error"])  # a schema validator's own message, already written for people
    return _("This value is not valid.")


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"code": "unauthenticated", "message": _("Sign in or send a valid token.")}, status=401
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"code": "not_found", "message": _("Not found.")}, status=404)


# ninja wraps any body its parser cannot read (not JSON, wrong encoding) in
# HttpError(400, "Cannot parse request body…"); the contract says malformed
# bodies answer 422, like a body of the wrong shape.
UNPARSEABLE_BODY = "Cannot parse request body"


# ninja's SessionAuth raises HttpError(403, "CSRF check Failed") on a POST without a CSRF token,
# and it is the last auth tried, so a revoked or invented bearer token used to answer 403 CSRF.
# A caller that is not signed in (or sent a bearer token) is unauthenticated: 401, like a GET.
CSRF_FAILED = "CSRF check Failed"


@api.exception_handler(HttpError)
def http_error(request, exc):
    if exc.status_code == 400 and str(exc).startswith(UNPARSEABLE_BODY):
        body = {"code": "invalid", "message": _("The request body is not valid JSON."), "errors": {}}
        return api.create_response(request, body, status=422)
    if exc.status_code == 403 and str(exc) == CSRF_FAILED:
        if "Authorization" in request.headers or not request.user.is_authenticated:
            return unauthenticated(request, exc)
        message = _("The CSRF check failed: reload the page and try again.")
        return api.create_response(request, {"code": "csrf_failed", "message": message}, status=403)
    return api.create_response(request, {"code": "http_error", "message": str(exc)}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request, exc):
    return api.create_response(
        request, {"code": "too_large", "message": _("The request body is too large.")}, status=413
    )
