"""Pages of the waiting list for sold-out passes: joining, and the entry's own page (its link is the key)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events import links
from events import selectors as event_selectors
from events.errors import DomainError

from . import selectors
from .enums import WaitingStatus
from .forms import OfferedPassForm, WaitingListForm
from .models import WaitingListEntry
from .services import orders, waitlist

JOINED_KEY = "waitlist_joined_for"


def _sold_out(event):
    return [tt for tt in selectors.ticket_types_with_availability(event) if tt.available == 0 and not tt.is_free]


@require_http_methods(["GET", "POST"])
def join(request, slug):
    """Join the line for a sold-out pass; signed in through the personal link, the place counts at once."""
    event = event_selectors.public_event(slug)
    ticket_types = [tt for tt in _sold_out(event) if tt.on_sale()]
    signed_in = links.current_participant(request, event)
    data = request.POST if request.method == "POST" else None
    initial = {"name": signed_in.full_name, "email": signed_in.email} if signed_in else {}
    form = WaitingListForm(data, ticket_types=ticket_types, initial=initial)
    if signed_in is not None:
        form.fields["email"].disabled = True  # the offer goes to the address they proved
    if data is not None and form.is_valid():
        ticket_type = next(tt for tt in ticket_types if tt.pk == form.cleaned_data["ticket_type"])
        joiner = waitlist.Joiner(
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            organization=form.cleaned_data["organization"],
            language=(get_language() or "vi")[:2],
        )
        try:
            entry = waitlist.join_waiting_list(ticket_type=ticket_type, joiner=joiner, participant=signed_in)
        except DomainError as error:
            form.add_error("ticket_type" if error.field == "ticket_type" else None, error.message)
        else:
            if entry is None or entry.status == WaitingStatus.UNCONFIRMED:  # None: as a new address, on purpose
                request.session[JOINED_KEY] = joiner.email
                return redirect("ticketing:waitlist_joined", slug=event.slug)
            return redirect("ticketing:waitlist_entry", token=entry.token)
    context = {"event": event, "form": form, "ticket_types": ticket_types, "signed_in": signed_in}
    return render(request, "ticketing/waitlist_join.html", context, status=400 if data is not None else 200)


def joined(request, slug):
    """After joining without a personal link: the place counts once the e-mailed link is opened."""
    event = event_selectors.public_event(slug)
    context = {"event": event, "email": request.session.get(JOINED_KEY, "")}
    return render(request, "ticketing/waitlist_joined.html", context)


def _entry_or_404(token):
    entry = WaitingListEntry.objects.select_related("event", "ticket_type", "order").filter(token=token).first()
    if entry is None or entry.status == WaitingStatus.LEFT:
        raise Http404
    return entry


def entry_page(request, token, form=None):
    """The entry's page: confirm the place, see it in line, order the offered pass, or leave."""
    entry = _entry_or_404(token)
    if form is None and entry.status == WaitingStatus.OFFERED:
        form = OfferedPassForm(initial={"attendee_name": entry.name, "attendee_email": entry.email})
    context = {
        "entry": entry,
        "event": entry.event,
        "place": waitlist.place_in_line(entry),
        "form": form,
    }
    response = render(request, "ticketing/waitlist_entry.html", context, status=400 if form and form.errors else 200)
    response["Referrer-Policy"] = "same-origin"  # the address is the key, as on the order page
    return response


@require_POST
def confirm(request, token):
    entry = _entry_or_404(token)
    try:
        waitlist.confirm_place(entry=entry)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your place in line is confirmed. We e-mail you as soon as a pass is held for you.")
        )
    return redirect("ticketing:waitlist_entry", token=entry.token)


@require_POST
def leave(request, token):
    """Leave the line; leaving twice (a double click, an old tab) says the same."""
    entry = WaitingListEntry.objects.select_related("event").filter(token=token).first()
    if entry is None:
        raise Http404
    event = entry.event
    waitlist.leave_waiting_list(entry=entry)
    messages.success(request, _("You have left the waiting list; your name and e-mail were deleted from it."))
    return redirect("ticketing:buy", slug=event.slug)


@require_POST
def buy(request, token):
    """Order the offered pass: the order holds the offer's seat and waits for payment on its own page."""
    entry = _entry_or_404(token)
    form = OfferedPassForm(request.POST)
    if not form.is_valid():
        return entry_page(request, token, form=form)
    try:
        order = orders.buy_offered_pass(
            entry=entry,
            attendee=form.attendee(),
            organization=form.cleaned_data["organization"],
            tax_code=form.cleaned_data["tax_code"],
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return entry_page(request, token, form=form)
    return redirect("ticketing:order", token=order.token)
