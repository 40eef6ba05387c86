"""Input no database can store: a NUL character anywhere in a request answers 422, on every backend.

PostgreSQL text cannot hold U+0000 ("PostgreSQL text fields cannot contain NUL"), so a NUL that
reached a query or an INSERT answered 500; SQLite stores it, and the two must behave alike. One
check, before any view, covers the path and the query string of every URL and the body of every
API request (JSON or form), so no registration, order, voucher, scan, search or export has to
remember it. HTML forms are left to their own cleaning: every Django CharField (and so EmailField,
URLField, …) refuses NUL with a field error beside the input, which says more than a page could.

An offline sync batch is the exception: its scans are judged one by one (a device's queue must
drain past one unreadable scan), so ticketing.services.offline judges a scan with a NUL `invalid`
and applies the rest; the views listed in NUL_JUDGED_BY_VIEW get their JSON body unchecked here.
"""

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

NUL = "\x00"
# The field error Django's CharField gives for a NUL has no Vietnamese in Django's own catalog;
# naming it here puts it in ours, which Django reads first (LOCALE_PATHS).
DJANGO_FORM_NUL_MESSAGE = gettext_noop("Null characters are not allowed.")
NUL_JUDGED_BY_VIEW = {"api:checkin_sync"}
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def nul_field(request):
    """The name of the first field holding a NUL ("path", a parameter, a dotted JSON path), or None."""
    if NUL in request.path:
        return "path"
    field = _nul_in_pairs(request.GET.lists())
    if field is None and request.path.startswith("/api/") and request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        if request.content_type in FORM_TYPES:
            field = _nul_in_pairs(request.POST.lists())
        elif request.content_type == "application/json" and _view_name(request) not in NUL_JUDGED_BY_VIEW:
            field = _nul_in_json_body(request.body)
    return field


def _view_name(request):
    return request.resolver_match.view_name if request.resolver_match else ""


def _nul_in_pairs(pairs):
    for name, values in pairs:
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "")
    return None


def _nul_in_json_body(body):
    try:
        data = json.loads(body)
    except ValueError:  # not JSON (or not UTF-8): the API's parser answers that itself
        return None
    return _nul_in_json(data, [])


def _nul_in_json(value, path):
    if isinstance(value, str):
        return (".".join(path) or "body") if NUL in value else None
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        if isinstance(key, str) and NUL in key:
            return ".".join([*path, key.replace(NUL, "")]) or "body"
        found = _nul_in_json(child, [*path, str(key)])
        if found is not None:
            return found
    return None


def nul_refused(request, field):
    message = _("Remove the invisible NUL character (code 0) from this value.")
    if request.path.startswith("/api/"):
        body = {"code": "invalid", "message": _("Please correct the errors below."), "errors": {field: [message]}}
        return JsonResponse(body, status=422)
    return render(request, "422.html", {"message": message}, status=422)


class RejectNulMiddleware:
    """Answers 422 before the view when any part of the request holds a NUL character."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        field = nul_field(request)
        return None if field is None else nul_refused(request, field)
