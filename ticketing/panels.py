"""The ticketing panel on a participant's personal page (registered in apps.py)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors


def orders_panel(request, participant):
    orders = [order for order in selectors.orders_of(participant) if order.source == "purchase"]
    passes = list(selectors.passes_of(participant))
    if not orders and not passes:
        return None
    context = {"orders": orders, "passes": passes, "event": participant.event}
    return render_to_string("ticketing/_orders_panel.html", context, request)


def tickets_link(event):
    """ "Buy passes" on the event page while a paid pass is on sale."""
    on_sale = [tt for tt in selectors.ticket_types_with_availability(event) if not tt.is_free and tt.on_sale()]
    return [(_("Buy passes"), reverse("ticketing:buy", args=[event.slug]))] if on_sale else []
