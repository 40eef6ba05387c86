"""Organizer pages for door check-in: scanner device tokens and live arrivals."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events import organizer, permissions
from events import selectors as event_selectors
from events.errors import DomainError, NotFound

from . import pdf, selectors, vietqr
from .forms import PairingCodeForm, ScannerDeviceForm
from .middleware import DEVICE_SESSION_KEY
from .services import devices
from .services import pairing as pairing_service


def _organizer_event(request, slug):
    if not permissions.is_organizer(request.user):
        raise PermissionDenied
    return event_selectors.event_for_staff(slug)


@login_required
@require_http_methods(["GET", "POST"])
def scanner_devices(request, slug):
    """List scanner devices; POST pairs a phone (QR and one-time code) or creates a token, shown once."""
    event = _organizer_event(request, slug)
    pairing_form = ScannerDeviceForm(request.POST if "pair" in request.POST else None, prefix="pair")
    form = ScannerDeviceForm(request.POST if request.method == "POST" and "pair" not in request.POST else None)
    context = {"event": event, **organizer.navigation(event, request.user, "scanner_devices")}
    if pairing_form.is_valid():
        pairing, code = pairing_service.create_pairing(event=event, **pairing_form.cleaned_data, by=request.user)
        address = request.build_absolute_uri(reverse("ticketing:pair_device")) + "?" + urlencode({"code": code})
        qr = pdf.qr_data_uri(vietqr.png(address, box_size=5))
        context.update(pairing=pairing, code=f"{code[:4]}-{code[4:]}", pairing_address=address, pairing_qr=qr)
        pairing_form = ScannerDeviceForm(prefix="pair")
    elif form.is_valid():
        context["created"], context["secret"] = devices.create_scanner_device(
            event=event, name=form.cleaned_data["name"], gate=form.cleaned_data["gate"], by=request.user
        )
        form = ScannerDeviceForm()
    context.update(form=form, pairing_form=pairing_form, devices=devices.scanner_devices(event))
    response = render(request, "ticketing/scanner_devices.html", context)
    response["Cache-Control"] = "no-store"  # the page may carry a secret or a pairing code
    return response


@require_http_methods(["GET", "POST"])
def pair_device(request):
    """A phone types (or opens the QR of) a pairing code and becomes a scanner device for that event.

    GET only shows the form, so a link preview cannot use the code up; POST redeems it
    and signs this browser in as the device (rate-limited in conference.security).
    """
    form = PairingCodeForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if form.is_valid():
        try:
            api_token = pairing_service.redeem_pairing(code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            login(request, api_token.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[DEVICE_SESSION_KEY] = api_token.pk
            messages.success(request, _("This device now scans for %(event)s.") % {"event": api_token.event.name})
            return redirect("ticketing:scanner", slug=api_token.event.slug)
    return render(request, "ticketing/pair_device.html", {"form": form}, status=400 if form.errors else 200)


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
    """Live arrivals for organizers and door supervisors; static/arrivals/arrivals.js polls the arrivals API."""
    if not permissions.can_watch_arrivals(request.user):
        raise PermissionDenied
    event = event_selectors.event_for_staff(slug)
    context = {
        "event": event,
        "arrivals": selectors.arrivals(event),
        "organizer": permissions.is_organizer(request.user),
    }
    context.update(organizer.navigation(event, request.user, "arrivals"))
    return render(request, "ticketing/arrivals.html", context)
