"""Declaration pages: the public signatories page, signing online, and the staff kiosk."""

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import extensions, links, permissions
from .. import selectors as event_selectors
from ..errors import DomainError
from ..models import DeclarationStatus, Participant, SignatoryRole, SigningMethod
from . import chain, selectors, services
from .documents import sealed_declaration_pdf
from .forms import KioskSetupForm, ScanForm, SignForm

KIOSK_SESSION_KEY = "signing_kiosk"
KIOSK_TOKEN_SALT = "events.declarations.kiosk"
KIOSK_TOKEN_MAX_AGE = 15 * 60  # a scanned participant must confirm within a quarter of an hour


def declaration_page(request, slug, declaration_slug):
    event = event_selectors.public_event(slug)
    declaration = selectors.public_declaration(event, declaration_slug)
    search = request.GET.get("q", "").strip()[:100]
    signatures = selectors.signatures_in_force(declaration)
    context = {
        "event": event,
        "declaration": declaration,
        "version": selectors.latest_version(declaration),
        "tally": selectors.tally(signatures),
        "signatories": selectors.public_signatories(signatures, search),
        "search": search,
    }
    return render(request, "events/declaration/public.html", context)


def canonical_text(request, slug, declaration_slug, number):
    """The exact bytes a version's SHA-256 is taken over, for anyone to check with sha256sum."""
    event = event_selectors.public_event(slug)
    declaration = selectors.public_declaration(event, declaration_slug)
    version = get_object_or_404(declaration.versions, number=number)
    return HttpResponse(chain.version_text(version).encode("utf-8"), content_type="text/plain; charset=utf-8")


def sealed_pdf(request, slug, declaration_slug):
    event = event_selectors.public_event(slug)
    declaration = selectors.public_declaration(event, declaration_slug)
    if declaration.status != DeclarationStatus.SEALED:
        raise Http404
    response = HttpResponse(sealed_declaration_pdf(declaration), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{declaration.slug}.pdf"'
    return response


def _participant_or_404(request, event):
    participant = links.current_participant(request, event)
    if participant is None:
        raise Http404
    return participant


@require_http_methods(["GET", "POST"])
def sign_online(request, slug, declaration_slug):
    event = event_selectors.public_event(slug)
    participant = links.current_participant(request, event)
    if participant is None:
        return redirect("events:personal_page", slug=slug)
    declaration = selectors.public_declaration(event, declaration_slug)
    form = SignForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.sign_declaration(
                declaration=declaration,
                participant=participant,
                typed_name=form.cleaned_data["typed_name"],
                consent=form.cleaned_data["consent"],
                public=form.wants_public,
                signing=services.Signing.from_request(request),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Thank you. Your signature has been recorded."))
            return redirect("events:personal_page", slug=slug)
    context = _signing_context(declaration, participant, form)
    return render(
        request, "events/declaration/sign.html", {**context, "event": event}, status=400 if form.is_bound else 200
    )


def _signing_context(declaration, participant, form):
    return {
        "declaration": declaration,
        "version": selectors.latest_version(declaration),
        "participant": participant,
        "role": _role(services.signing_role(declaration, participant)),
        "signature": services.active_signature(declaration, participant),
        "form": form,
    }


def _role(value):
    return SignatoryRole(value) if value else None


@require_http_methods(["GET", "POST"])
def withdraw_online(request, slug, declaration_slug):
    """GET asks the signatory to confirm (a withdrawal stays on the public record); POST withdraws."""
    event = event_selectors.public_event(slug)
    participant = _participant_or_404(request, event)
    declaration = selectors.public_declaration(event, declaration_slug)
    if request.method == "GET":
        signature = services.active_signature(declaration, participant)
        if signature is None:
            return redirect("events:personal_page", slug=slug)
        context = {"event": event, "declaration": declaration, "signature": signature}
        return render(request, "events/declaration/withdraw.html", context)
    try:
        services.withdraw_signature(
            declaration=declaration, participant=participant, signing=services.Signing.from_request(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your signature has been withdrawn."))
    return redirect("events:personal_page", slug=slug)


# Staff sign in on the one staff sign-in page (settings.LOGIN_URL) and come back here.
staff_only = user_passes_test(permissions.can_run_signing_kiosk)


@staff_only
def kiosk_index(request, slug):
    """The declarations open for signing, for staff to pick the one this kiosk collects."""
    event = event_selectors.public_event(slug)
    declarations = selectors.public_declarations(event).filter(status=DeclarationStatus.OPEN)
    return render(request, "events/declaration/kiosk_index.html", {"event": event, "declarations": declarations})


@staff_only
@require_http_methods(["GET", "POST"])
def kiosk(request, slug, declaration_slug):
    """Set the kiosk's name once, then scan badges: a keyboard-wedge scanner types the code and Enter."""
    event = event_selectors.public_event(slug)
    declaration = selectors.public_declaration(event, declaration_slug)
    kiosk_name = request.session.get(KIOSK_SESSION_KEY, "")
    setup = KioskSetupForm(request.POST if "kiosk" in request.POST else None)
    if setup.is_valid():
        request.session[KIOSK_SESSION_KEY] = setup.cleaned_data["kiosk"]
        return redirect("declarations:kiosk", slug=slug, declaration_slug=declaration_slug)
    scan = ScanForm(request.POST if "code" in request.POST else None)
    if kiosk_name and scan.is_valid():
        participant = extensions.resolve_badge(scan.cleaned_data["code"])
        if participant is not None and participant.event_id == event.pk:
            token = signing.dumps({"p": participant.pk, "d": declaration.pk}, salt=KIOSK_TOKEN_SALT)
            return redirect("declarations:kiosk_confirm", slug=slug, declaration_slug=declaration_slug, token=token)
        scan.add_error("code", _("This badge is not recognized for this event. Ask the participant for their badge."))
    context = {"event": event, "declaration": declaration, "kiosk_name": kiosk_name, "setup": setup, "scan": scan}
    return render(request, "events/declaration/kiosk.html", context, status=400 if scan.errors else 200)


def _scanned_participant(token, declaration):
    try:
        data = signing.loads(token, salt=KIOSK_TOKEN_SALT, max_age=KIOSK_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("d") != declaration.pk:
        return None
    return Participant.objects.filter(pk=data.get("p"), event=declaration.event_id).first()


@staff_only
@require_http_methods(["GET", "POST"])
def kiosk_confirm(request, slug, declaration_slug, token):
    """The participant reads the text on the tablet and confirms; staff and kiosk are recorded."""
    event = event_selectors.public_event(slug)
    declaration = selectors.public_declaration(event, declaration_slug)
    kiosk_name = request.session.get(KIOSK_SESSION_KEY, "")
    participant = _scanned_participant(token, declaration)
    back = reverse("declarations:kiosk", kwargs={"slug": slug, "declaration_slug": declaration_slug})
    if participant is None or not kiosk_name:
        messages.error(request, _("This scan has expired. Please scan the badge again."))
        return redirect(back)
    form = SignForm(request.POST if request.method == "POST" else None, with_name=False)
    if form.is_valid():
        signing_at_kiosk = services.Signing.from_request(
            request, method=SigningMethod.KIOSK, kiosk=kiosk_name, staff=request.user
        )
        try:
            services.sign_declaration(
                declaration=declaration,
                participant=participant,
                pin=form.cleaned_data["pin"],
                consent=form.cleaned_data["consent"],
                public=form.wants_public,
                signing=signing_at_kiosk,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, _("Thank you, %(name)s. Your signature has been recorded.") % {"name": participant.full_name}
            )
            return redirect(back)
    context = {**_signing_context(declaration, participant, form), "event": event, "kiosk_name": kiosk_name}
    return render(request, "events/declaration/kiosk_confirm.html", context, status=400 if form.is_bound else 200)
