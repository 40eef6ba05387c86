"""The buyer's attendee page: hand a pass of a business order to someone else (ticketing.services.handover).

The order's address (its token) shows the page; changing an attendee needs more:
the buyer proves the order's e-mail address in this browser, either signed in
through their personal link as the order's buyer, or by opening a one-hour link
e-mailed to the buyer's address (kept in the session for this order only).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events import links
from events.errors import DomainError

from . import selectors
from .forms import HolderChangeForm
from .services import handover

PROVEN_ORDERS_KEY = "ticketing_buyer_of_orders"


def _order_or_404(token):
    order = selectors.order_by_token(token)
    if order is None:
        raise Http404
    return order


def _proof(request, order):
    """(proven, signed-in buyer or None): has this browser proved the buyer's address for this order?"""
    participant = links.current_participant(request, order.event)
    if participant is not None and order.buyer_id == participant.pk:
        return True, participant
    return order.pk in request.session.get(PROVEN_ORDERS_KEY, []), None


@require_http_methods(["GET", "POST"])
def attendees(request, token):
    """The order's passes; to a proven buyer, a form handing one of them to someone else."""
    order = _order_or_404(token)
    proven, by = _proof(request, order)
    open_positions = [p for p in order.positions.all() if p.ticket_type.holders_may_change()]
    form = HolderChangeForm(request.POST if request.method == "POST" else None, positions=open_positions)
    if request.method == "POST" and proven and form.is_valid():
        try:
            handover.hand_over_pass(position=form.cleaned_data["position"], holder=form.holder(), by=by)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The pass now belongs to its new holder, who receives their own link."))
            return redirect("ticketing:attendees", token=order.token)
    elif request.method == "POST" and not proven:
        messages.error(request, _("Prove first that you are the buyer: open the link we e-mail you."))
        return redirect("ticketing:attendees", token=order.token)
    context = {
        "order": order,
        "event": order.event,
        "positions": order.positions.all(),
        "proven": proven,
        "form": form if open_positions and handover.may_hand_over(order) else None,
    }
    response = render(request, "ticketing/attendees.html", context, status=400 if form.errors else 200)
    response["Referrer-Policy"] = "same-origin"  # the address is the buyer's key, as on the order page
    return response


@require_POST
def send_proof(request, token):
    """E-mail the buyer the link that proves their address in the browser that opens it."""
    order = _order_or_404(token)
    handover.request_buyer_link(order=order)
    messages.success(request, _("We have e-mailed the buyer's address a link to change the attendees."))
    return redirect("ticketing:attendees", token=order.token)


def proof(request, token, signed):
    """The e-mailed link: this browser may change this order's attendees (for the session)."""
    order = _order_or_404(token)
    if not handover.buyer_link_is_valid(order, signed):
        messages.error(request, _("This link is not valid or has expired (it works for one hour). Ask for a new one."))
        return redirect("ticketing:attendees", token=order.token)
    proven = set(request.session.get(PROVEN_ORDERS_KEY, []))
    request.session[PROVEN_ORDERS_KEY] = sorted(proven | {order.pk})
    return redirect("ticketing:attendees", token=order.token)
