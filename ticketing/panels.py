"""The ticketing panel on a participant's personal page (registered in apps.py)."""

from django.template.loader import render_to_string

from . import selectors


def orders_panel(request, participant):
    orders = [order for order in selectors.orders_of(participant) if order.source == "purchase"]
    passes = list(selectors.passes_of(participant))
    if not orders and not passes:
        return None
    context = {"orders": orders, "passes": passes, "event": participant.event}
    return render_to_string("ticketing/_orders_panel.html", context, request)
