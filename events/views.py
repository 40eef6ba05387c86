"""Public pages: the event, registration, the personal page and magic links; the organizers' dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import dashboard as figures_of
from . import extensions, links, organizer, permissions, privacy, selectors, services, steps
from .consent import CONSENT_TEXTS
from .enums import Category, ConsentPurpose
from .errors import DomainError
from .forms import ChannelFormSet, ErasureForm, LinkRequestForm, ProfileForm, RegistrationForm


def event_list(request):
    return render(request, "events/event_list.html", {"events": selectors.public_events()})


def event_detail(request, slug):
    event = selectors.public_event(slug)
    context = {
        "event": event,
        "categories": Category,
        "business_path": extensions.registration_path_for(event, Category.BUSINESS),
        "links": extensions.event_links(event),
        "staff_links": _organizer_links(event, request.user) + extensions.staff_links(event, request.user),
    }
    return render(request, "events/event_detail.html", context)


def _organizer_links(event, user):
    if not permissions.is_organizer(user):
        return []
    return [
        (_("Organizer home"), reverse("events:organizer_home", args=[event.slug])),
        (_("Dashboard"), reverse("events:dashboard", args=[event.slug])),
        (_("E-mail to participants"), reverse("campaigns:list", args=[event.slug])),
    ]


@require_http_methods(["GET", "POST"])
def register(request, slug, category):
    event = selectors.public_event(slug)
    if category not in Category.values:
        raise Http404
    elsewhere = extensions.registration_path_for(event, category)
    if elsewhere:  # businesses register by ordering their representatives' passes
        return redirect(elsewhere)
    data = request.POST if request.method == "POST" else None
    form = RegistrationForm(data, category=category)
    channels = ChannelFormSet(data, prefix="channels") if category == Category.KOL else None
    if data is not None and form.is_valid() and (channels is None or channels.is_valid()):
        try:
            services.register_participant(
                event=event,
                category=category,
                fields=form.participant_fields(),
                channels=channels.channels() if channels else (),
                consents=form.consented_purposes(),
                invitation_code=form.cleaned_data.get("invitation_code", ""),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            # The same answer for a new and a known address: the e-mailed link is the proof.
            request.session[RECEIVED_KEY] = form.cleaned_data["email"]
            return redirect("events:registration_received", slug=event.slug)
    status = 400 if data is not None else 200
    context = {
        "event": event,
        "category": category,
        "category_label": Category(category).label,
        "form": form,
        "channels": channels,
        "accepting": event.accepts_registrations,
    }
    return render(request, "events/register.html", context, status=status)


RECEIVED_KEY = "registration_received_for"


def registration_received(request, slug):
    """After registering: where the personal link went (the page is the same whoever owns the address)."""
    event = selectors.public_event(slug)
    email = request.session.get(RECEIVED_KEY, "")
    return render(request, "events/registration_received.html", {"event": event, "email": email})


def personal_page(request, slug):
    event = selectors.public_event(slug)
    participant = links.current_participant(request, event)
    if participant is None:
        return render(request, "events/link_request.html", {"event": event, "form": LinkRequestForm()})
    consents = list(participant.consents.all())
    for consent in consents:
        consent.withdrawable = consent.is_active and not CONSENT_TEXTS[consent.purpose].required
    context = {
        "event": event,
        "participant": participant,
        "channels": participant.channels.all(),
        "consents": consents,
        "step": steps.next_step(participant),
        "panels": extensions.render_personal_panels(request, participant),
    }
    return render(request, "events/personal_page.html", context)


@require_http_methods(["GET", "POST"])
def magic_login(request, slug, signed):
    """A personal link: the GET shows one button, the POST spends the link and opens the page.

    Two steps because mail scanners fetch every link in a message: a GET must not
    spend it (events.links).
    """
    event = selectors.public_event(slug)
    try:
        if request.method == "POST":
            participant = links.spend_link(event, signed)
        else:
            participant = links.participant_from_link(event, signed)
    except DomainError as error:
        context = {"event": event, "form": LinkRequestForm(), "link_error": error.message}
        return render(request, "events/link_request.html", context, status=400)
    if request.method == "GET":
        response = render(request, "events/link_open.html", {"event": event, "participant": participant})
        response["Cache-Control"] = "no-store"
        # The address is the credential: never send it to another site. "same-origin", not
        # "no-referrer": with no referrer at all Chromium sends `Origin: null` on the form's POST
        # and the CSRF check refuses it.
        response["Referrer-Policy"] = "same-origin"
        return response
    links.remember_participant(request, participant)
    return redirect("events:personal_page", slug=slug)


@require_POST
def request_link(request, slug):
    event = selectors.public_event(slug)
    form = LinkRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "events/link_request.html", {"event": event, "form": form}, status=400)
    services.send_personal_link(event=event, email=form.cleaned_data["email"])
    # The same answer whether or not the address is registered.
    messages.info(request, _("If this e-mail is registered for the event, a new link is on its way."))
    return redirect("events:personal_page", slug=slug)


@require_POST
def withdraw_consent(request, slug, purpose):
    event = selectors.public_event(slug)
    participant = links.current_participant(request, event)
    if participant is None or purpose not in ConsentPurpose.values:
        raise Http404
    try:
        services.withdraw_consent(participant=participant, purpose=purpose)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your consent has been withdrawn."))
    return redirect("events:personal_page", slug=slug)


@require_POST
def sign_out(request, slug):
    request.session.flush()
    return redirect("events:event_detail", slug=slug)


def _organizer_event(request, slug):
    # Anonymous visitors are sent to sign in (login_required: the staff sign-in page); signed-in non-organizers get 403.
    if not permissions.is_organizer(request.user):
        raise PermissionDenied
    return selectors.event_for_staff(slug)


@login_required
def organizer_home(request, slug):
    """The organizer home of one event: headline figures, the to-do list, every organizer tool."""
    event = _organizer_event(request, slug)
    context = {"event": event, "home": organizer.home(event, request.user)}
    context.update(organizer.navigation(event, request.user, "home"))
    return render(request, "events/organizer_home.html", context)


@login_required
def dashboard(request, slug):
    """The organizers' dashboard page; the charts load their data from dashboard_data."""
    event = _organizer_event(request, slug)
    context = {"event": event, **organizer.navigation(event, request.user, "dashboard")}
    return render(request, "events/dashboard.html", context)


@login_required
def dashboard_data(request, slug):
    event = _organizer_event(request, slug)
    figures = [
        {**item.as_json(), "csv_url": reverse("events:dashboard_csv", args=[slug, item.key])}
        for item in figures_of.figures(event)
    ]
    return JsonResponse({"figures": figures}, json_dumps_params={"ensure_ascii": False})


@login_required
def dashboard_csv(request, slug, key):
    event = _organizer_event(request, slug)
    item = figures_of.figure(event, key)
    if item is None:
        raise Http404
    response = HttpResponse(item.csv_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-{item.key}.csv"'
    return response


def _owner(request, slug):
    event = selectors.public_event(slug)
    participant = links.current_participant(request, event)
    if participant is None:
        raise Http404
    return event, participant


@require_http_methods(["GET", "POST"])
def edit_details(request, slug):
    event, participant = _owner(request, slug)
    initial = {name: getattr(participant, name) for name in ("full_name", "title", "organization", "phone")}
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.correct_details(participant=participant, fields=form.cleaned_data)
            messages.success(request, _("Your details have been updated."))
            return redirect("events:personal_page", slug=slug)
        return render(request, "events/edit_details.html", {"event": event, "form": form}, status=400)
    return render(request, "events/edit_details.html", {"event": event, "form": form})


def _download_name(participant, extension):
    return f'attachment; filename="personal-data-{participant.event.slug}-{participant.pk}.{extension}"'


def my_data_json(request, slug):
    _event, participant = _owner(request, slug)
    response = JsonResponse(
        privacy.personal_data_json(participant), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = _download_name(participant, "json")
    response["Cache-Control"] = "no-store"
    return response


def my_data_pdf(request, slug):
    _event, participant = _owner(request, slug)
    response = HttpResponse(privacy.personal_data_pdf(participant), content_type="application/pdf")
    response["Content-Disposition"] = _download_name(participant, "pdf")
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def request_erasure(request, slug):
    event, participant = _owner(request, slug)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "events/erasure.html", {"event": event, "form": form}, status=400)
        try:
            erasure = privacy.request_erasure(participant=participant, request=request)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("events:personal_page", slug=slug)
        if erasure.state == erasure.State.DONE:
            request.session.flush()
            messages.success(request, _("Your personal data has been erased."))
            return redirect("events:event_detail", slug=slug)
        messages.info(
            request,
            _(
                "Your request has been received; an organizer will complete it shortly. Your personal links "
                "and other signed-in devices have been stopped; your badge still admits you until then."
            ),
        )
        return redirect("events:personal_page", slug=slug)
    return render(request, "events/erasure.html", {"event": event, "form": form})
