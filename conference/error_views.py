"""The project's 400/403/404/500 answers: JSON in the API's error contract under /api/, Django's pages elsewhere.

conference/api.py maps what the API's own code raises; these catch what never reaches it: an
unknown /api/ path, an exception in a middleware, a crash anywhere. A script reading the API
then always gets {"code", "message"} in the caller's language, even for a 500.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request):
    return request.path.startswith("/api/")


def api_error(code, message, status):
    return JsonResponse({"code": code, "message": str(message)}, status=status)


def too_large():
    return api_error("too_large", _("The request body is too large."), 413)


def bad_request(request, exception=None):
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return too_large()
    return api_error("bad_request", _("The request could not be understood."), 400)


def permission_denied(request, exception=None):
    if not _is_api(request):
        return defaults.permission_denied(request, exception)
    return api_error("forbidden", _("You are not allowed to do this."), 403)


def page_not_found(request, exception=None):
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    return api_error("not_found", _("Not found."), 404)


def server_error(request):
    """A 500 page that needs nothing but its template (no context processors, no database) and shows
    the request id (conference.logs), which leads the operator to the logged traceback."""
    request_id = getattr(request, "request_id", None)
    if not _is_api(request):
        context = {"request_id": request_id, "LANGUAGE_CODE": get_language()}
        return HttpResponseServerError(loader.get_template("500.html").render(context))
    message = _("Something went wrong on our side. Please try again later.")
    return JsonResponse({"code": "server_error", "message": message, "request_id": request_id}, status=500)
