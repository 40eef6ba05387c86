"""Pages of the ticketing app: badge download, personal-page panel, ticket shop and the door scanner."""

import base64
import hashlib
import json
import logging
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from django.views.decorators.http import require_http_methods, require_POST

from events import links, permissions
from events import selectors as event_selectors
from events.consent import CONSENT_TEXTS
from events.enums import Category
from events.errors import DomainError
from events.selectors import public_event

from . import bank_feeds, pdf, selectors, services, stripe_gateway, vietqr
from .enums import BankFeed, OrderStatus
from .errors import MISSING_PRINT_FILE, NoValidTicket
from .forms import BuyerForm, pass_formset
from .models import PrintJob
from .pdf import render_receipt
from .services import devices, handover, payments, transfers
from .services import orders as order_services


def badge_panel(request, participant):
    """The personal page's badge panel: download link and code once the participant holds a valid ticket.

    Opening the page issues the badge on first view (services.issue_badge is
    idempotent), so nobody who holds a ticket is ever left without one.
    """
    if not selectors.holds_valid_ticket(participant):
        return None
    badge = services.issue_badge(participant)
    context = {"badge": badge, "event": participant.event, "qr": pdf.qr_data_uri(bytes(badge.qr_png))}
    return render_to_string("ticketing/badge_panel.html", context, request)


def badge_download(request, slug):
    """The badge PDF of the participant this browser opened a magic link for (nobody else's)."""
    event = public_event(slug)
    participant = links.current_participant(request, event)
    if participant is None:
        raise Http404
    try:
        badge = services.issue_badge(participant)
    except NoValidTicket:
        raise Http404
    return _pdf_response(services.badge_pdf_path(badge), f"badge-{event.slug}.pdf")


def print_job_download(request, job_id):
    """A finished print job's PDF, for organizers."""
    if not permissions.can_manage_badges(request.user):
        raise Http404
    job = get_object_or_404(PrintJob, pk=job_id)
    if not job.file:
        raise Http404
    if not job.file_exists():
        context = {"title": _("The print file is missing"), "message": MISSING_PRINT_FILE}
        return render(request, "storage_error.html", context, status=410)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])


def _pdf_response(path, filename):
    response = FileResponse(open(path, "rb"), content_type="application/pdf", filename=filename)
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


logger = logging.getLogger(__name__)


ORDER_PLACED_KEY = "order_placed_for"


@require_http_methods(["GET", "POST"])
def buy(request, slug):
    """The ticket shop: a business orders named passes; this is how businesses register.

    A visitor signed in through their personal link orders as themselves and
    goes straight to the order page; anyone else is e-mailed a link that
    confirms the order (services.orders.create_order).
    """
    event = event_selectors.public_event(slug)
    ticket_types = [tt for tt in selectors.ticket_types_with_availability(event) if not tt.is_free and tt.on_sale()]
    signed_in = links.current_participant(request, event)
    data = request.POST if request.method == "POST" else None
    buyer_form = BuyerForm(data, initial=_buyer_initial(signed_in))
    if signed_in is not None:
        buyer_form.fields["email"].disabled = True  # their order goes to the address they proved
    rows = request.GET.get("passes", "1")
    passes = pass_formset(rows=int(rows) if rows.isdigit() else 1)(data, prefix="passes", ticket_types=ticket_types)
    if data is not None and buyer_form.is_valid() and passes.is_valid():
        try:
            order = order_services.create_order(
                event=event,
                buyer={**buyer_form.cleaned_data, "language": (get_language() or "vi")[:2]},
                passes=passes.passes(),
                voucher_code=buyer_form.cleaned_data["voucher"],
                buyer_participant=signed_in,
            )
        except DomainError as error:
            field = error.field if error.field in buyer_form.fields else None
            buyer_form.add_error(field, error.message)
        else:
            if order.is_unconfirmed:
                request.session[ORDER_PLACED_KEY] = order.buyer_email
                return redirect("ticketing:order_placed", slug=event.slug)
            return redirect("ticketing:order", token=order.token)
    context = {
        "event": event,
        "ticket_types": ticket_types,
        "buyer_form": buyer_form,
        "passes": passes,
        "accepting": event.accepts_registrations,
        "signed_in": signed_in,
        "sold_out": event.accepts_registrations and any(tt.available == 0 for tt in ticket_types),
    }
    return render(request, "ticketing/buy.html", context, status=400 if data is not None else 200)


def _buyer_initial(participant):
    if participant is None:
        return {}
    return {"name": participant.full_name, "email": participant.email, "organization": participant.organization}


def order_placed(request, slug):
    """After ordering without a personal link: the order waits for the buyer to open the e-mailed link."""
    event = event_selectors.public_event(slug)
    context = {"event": event, "email": request.session.get(ORDER_PLACED_KEY, "")}
    return render(request, "ticketing/order_placed.html", context)


def _order_or_404(token):
    order = selectors.order_by_token(token)
    if order is None:
        raise Http404
    return order


def order_page(request, token):
    """The buyer's order page, opened from the e-mailed link (its address is the buyer's key)."""
    order = _order_or_404(token)
    bank = selectors.bank_account()
    qr_png = None
    if order.status == OrderStatus.PENDING and order.transfer_chosen_at and bank and order.total:
        text = vietqr.payload(bin=bank["bin"], account=bank["account"], amount=order.total, purpose=order.code)
        qr_png = base64.b64encode(vietqr.png(text)).decode()
    context = {
        "order": order,
        "event": order.event,
        "positions": order.positions.all(),
        "bank": bank,
        "qr_png": qr_png,
        "card_available": stripe_gateway.is_configured(),
        "transfers_automatic": transfers.is_automatic(),
        "may_hand_over": handover.may_hand_over(order),
    }
    response = render(request, "ticketing/order.html", context)
    # The address is the buyer's key: never sent to another site ("same-origin": with no referrer
    # at all Chromium sends `Origin: null` on the page's own forms and the CSRF check refuses them).
    response["Referrer-Policy"] = "same-origin"
    return response


@require_POST
def confirm(request, token):
    """The buyer opened the e-mailed link and confirms: the order takes its seats."""
    order = _order_or_404(token)
    try:
        order_services.confirm_order(order=order)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your order is confirmed: its passes are held for you until the deadline below."))
    return redirect("ticketing:order", token=order.token)


@require_POST
def choose_transfer(request, token):
    """The buyer will pay by bank transfer: show the VietQR code and hold the seats for longer."""
    order = _order_or_404(token)
    try:
        order_services.choose_bank_transfer(order=order)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(reverse("ticketing:order", kwargs={"token": order.token}) + "#bank-transfer")


@require_POST
def pay_by_card(request, token):
    order = _order_or_404(token)
    page = request.build_absolute_uri(reverse("ticketing:order", kwargs={"token": order.token}))
    try:
        _session_id, url = payments.start_card_payment(order=order, success_url=page + "?paid=1", cancel_url=page)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("ticketing:order", token=order.token)
    return redirect(url)


@require_POST
def cancel(request, token):
    order = _order_or_404(token)
    try:
        order_services.cancel_order(order=order)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your order has been cancelled."))
    return redirect("ticketing:order", token=order.token)


def receipt(request, token):
    order = _order_or_404(token)
    if order.status != OrderStatus.PAID or order.total == 0:
        raise Http404
    response = HttpResponse(render_receipt(order), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-nhan-{order.code}.pdf"'
    return response


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's deliveries: the signature is checked on the raw body before anything is read."""
    try:
        outcome = payments.handle_stripe_webhook(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except stripe_gateway.InvalidWebhook as error:
        logger.warning("Rejected a Stripe webhook: %s", error)
        return HttpResponseBadRequest("invalid signature")
    except stripe_gateway.RetryLater as error:
        logger.info("Stripe webhook deferred: %s", error)
        return HttpResponse("retry later", status=409)
    except DomainError as error:
        logger.warning("Stripe webhook not applied: %s", error.code)
        return HttpResponse(error.code, status=409)
    return HttpResponse(outcome)


@csrf_exempt
@require_POST
def sepay_webhook(request):
    """SePay's transaction notifications: its API key header is checked before the body is read."""
    return _bank_webhook(request, BankFeed.SEPAY)


@csrf_exempt
@require_POST
def casso_webhook(request):
    """Casso's webhook v2: the X-Casso-Signature HMAC is checked before anything is applied."""
    return _bank_webhook(request, BankFeed.CASSO)


def _bank_webhook(request, feed):
    # Both services retry until they get a 2xx; {"success": true} is what SePay expects.
    try:
        outcome = transfers.receive_webhook(feed=feed, body=request.body, headers=request.headers)
    except bank_feeds.InvalidDelivery as error:
        logger.warning("Rejected a %s webhook: %s", feed, error)
        return JsonResponse({"success": False, "error": "unauthorized"}, status=401)
    except bank_feeds.MalformedDelivery as error:
        logger.warning("Unreadable %s webhook: %s", feed, error)
        return JsonResponse({"success": False, "error": "malformed"}, status=400)
    except DomainError as error:
        logger.warning("%s webhook not applied: %s", feed, error.code)
        return JsonResponse({"success": False, "error": error.code}, status=409)
    return JsonResponse({"success": True, "outcome": outcome})


@login_required
@ensure_csrf_cookie
def scanner(request, slug):
    """The door scanner page (camera, handheld scanner, name search) for door staff, supervisors, organizers."""
    event = _door_staff_event(request, slug)
    context = {
        "event": event,
        "texts": json.dumps(scanner_texts(), ensure_ascii=False),
        "categories": json.dumps({value: str(label) for value, label in Category.choices}, ensure_ascii=False),
        "gates": devices.gates(event),
        "category_choices": Category.choices,
        "doors": json.dumps(selectors.scanner_doors(event), ensure_ascii=False),
        # The page offers what the signed-in person may do; the API checks again on every call.
        "can_undo": permissions.is_door_supervisor(request.user),
        "can_register_walk_in": permissions.can_decide_applications(request.user),
        # The registration form's consent texts, one box per purpose, for the walk-in form.
        "walk_in_consents": CONSENT_TEXTS.values(),
        "undo_url": reverse("api:checkin_undo", kwargs={"check_in_id": 0}),
    }
    return render(request, "ticketing/scanner.html", context)


def scanner_texts():
    """The scanner script's words, translated here and handed over in a data attribute (no inline script)."""
    return {
        "admitted": _("Admitted"),
        "already_checked_in": _("Already checked in"),
        "invalid": _("Invalid badge"),
        "revoked": _("Badge no longer valid"),
        "wrong_event": _("Wrong event"),
        "not_allowed": _("Not allowed"),
        "not_open": _("Check-in not open"),
        "error": _("No answer from the server"),
        "error_message": _("Check the connection and scan again."),
        "first_admission": _("First admitted at {time} · Gate: {gate}"),
        "admit": _("Admit"),
        "already_in": _("Already in · {time} · Gate: {gate}"),
        "no_ticket": _("No valid ticket"),
        "nobody": _("Nobody found."),
        "camera_off": _("Camera off"),
        "camera_on": _("Camera on"),
        "camera_failed": _("The camera is not available: use a handheld scanner or the name search."),
        "camera_scanning": _("Point the camera at the badge's QR code."),
        "offline_mark": _("Offline"),
        "offline_message": _("Checked on this device without the server; it is sent when the network returns."),
        "offline_no_lists": _("No network, and this device has no lists yet: open this page once with network."),
        "offline_search": _("found in this device's lists (people with a badge only)"),
        "online": _("Online"),
        "offline": _("Offline: scans are checked on this device"),
        "never": _("never"),
        "undo_confirm": _("Undo the admission of {name}? Their badge can then be scanned again."),
        "no_seat": _("No seat"),
        "no_seat_help": _(
            "The room's seats are kept for reservations; walk-ins go in only while seats are free. "
            "Send the person to another session or to the help desk."
        ),
        "seats_left": _("Seats left for walk-ins: {count}"),
        "printed": _("Badge printed"),
        "print_sent": _("Badge sent to the printer."),
        "print_here": _("Badge printed from this device (offline): it is recorded when the network returns."),
        "desk_no_reprint_offline": _(
            "Not printed: offline, a desk prints a badge only once; a reprint needs the network."
        ),
        "desk_by_name_offline": _(
            "Offline, a desk prints only a scanned badge (the QR code needs it): find people by name once the "
            "network is back."
        ),
        "reprint_question": _("Printed before at {time} · Desk: {gate}. Reprint? Give a reason."),
        "undo": _("Undo"),
        "undone": _("Admission undone"),
        "undo_failed": _("The admission could not be undone."),
        "conflicts_title": _("Let in offline here, but not admitted when the scans were sent: find these people."),
        "conflict_row": _("{name} · {time} · Gate: {gate} · {why}"),
        "walk_in_done": _("Registered and approved."),
    }


# Files the scanner page needs to work with no network; the service worker keeps them. The page
# loads checkin/page.js, an ES module, which imports the other modules here (static/checkin/page.js).
SCANNER_FILES = (
    "css/site.css",
    "checkin/scanner.css",
    "vendor/jsqr/jsQR.min.js",
    "checkin/page.js",
    "checkin/scanner.js",
    "checkin/offline.js",
    "checkin/codes.js",
    "checkin/store.js",
    "checkin/door.js",
    "checkin/badge.js",
    "common/dom.js",
    "common/texts.js",
    "vendor/idb/idb.js",
    "vendor/qrcode-generator/qrcode.js",
    "vendor/noble-ed25519/ed25519.min.js",  # loaded only where Web Crypto has no Ed25519
    "checkin/icon-192.png",
    "checkin/icon-512.png",
)


def _door_staff_event(request, slug):
    """The event of a door page; a paired or token device works for its own event only (403 elsewhere)."""
    if not permissions.is_door_staff(request.user):
        raise PermissionDenied
    try:
        devices.device_event_slug(getattr(request, "api_token", None), slug)
    except DomainError as error:
        raise PermissionDenied(error.message) from error
    return event_selectors.event_for_staff(slug)


@login_required
def scanner_manifest(request, slug):
    """The scanner's web app manifest: door devices install the page like an app, one per event."""
    event = _door_staff_event(request, slug)
    page = reverse("ticketing:scanner", args=[event.slug])
    manifest = {
        "name": f"{_('Door check-in')} · {event.name}",
        "short_name": _("Check-in"),
        "lang": get_language() or "vi",
        "start_url": page,
        "scope": page,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d6f42",
        "icons": [
            {"src": static(f"checkin/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in (192, 512)
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@login_required
def scanner_service_worker(request, slug):
    """The scanner's service worker, served from the page's folder so its scope covers the page.

    The code is static/checkin/sw.js; this view puts the list of files to keep
    (their hashed static names in production) and a version in front of it, so
    a new deployment installs a new cache. No inline script is involved: the
    CSP's worker-src 'self' allows it.
    """
    event = _door_staff_event(request, slug)
    code = Path(finders.find("checkin/sw.js")).read_text(encoding="utf-8")
    page = reverse("ticketing:scanner", args=[event.slug])
    config = {"page": page, "files": [static(name) for name in SCANNER_FILES]}
    config["version"] = hashlib.sha256((json.dumps(config) + code).encode()).hexdigest()[:16]
    response = HttpResponse(
        f"self.KOL_SW = {json.dumps(config)};\n{code}", content_type="application/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"  # the browser checks for a new version on every visit
    return response
