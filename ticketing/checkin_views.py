"""Organizer pages for door check-in: scanner device tokens and live arrivals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events import permissions
from events import selectors as event_selectors
from events.errors import NotFound

from . import selectors
from .forms import ScannerDeviceForm
from .services import devices


def _organizer_event(request, slug):
    if not permissions.is_organizer(request.user):
        raise PermissionDenied
    return event_selectors.event_for_staff(slug)


@login_required
@require_http_methods(["GET", "POST"])
def scanner_devices(request, slug):
    """List scanner device tokens; POST creates one and shows its secret once."""
    event = _organizer_event(request, slug)
    form = ScannerDeviceForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        created, secret = devices.create_scanner_device(
            event=event, name=form.cleaned_data["name"], gate=form.cleaned_data["gate"], by=request.user
        )
        form = ScannerDeviceForm()
    context = {
        "event": event,
        "form": form,
        "devices": devices.scanner_devices(event),
        "created": created,
        "secret": secret,
    }
    response = render(request, "ticketing/scanner_devices.html", context)
    response["Cache-Control"] = "no-store"  # the page may carry a secret
    return response


@login_required
@require_POST
def revoke_scanner_device(request, slug, token_id):
    event = _organizer_event(request, slug)
    try:
        api_token = devices.revoke_scanner_device(event=event, token_id=token_id, by=request.user)
    except NotFound:
        raise Http404
    messages.success(request, _("Device “%(name)s” can no longer scan.") % {"name": api_token.name})
    return redirect("ticketing:scanner_devices", slug=event.slug)


@login_required
def arrivals(request, slug):
    """Live arrivals: the page is a shell; static/arrivals/arrivals.js polls the arrivals API."""
    event = _organizer_event(request, slug)
    return render(request, "ticketing/arrivals.html", {"event": event, "arrivals": selectors.arrivals(event)})
