"""The ticketing panel on a participant's personal page (registered in apps.py)."""

from django.template.loader import render_to_string

from . import selectors


def orders_panel(request, participant):
    orders = list(selectors.orders_of(participant))
    if not orders:
        return None
    return render_to_string("ticketing/_orders_panel.html", {"orders": orders, "event": participant.event}, request)
