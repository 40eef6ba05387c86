"""What ticketing adds to the events app's pages (registered in apps.py): the orders panel on the
personal page, the "Buy passes" link, and the check-in links for door staff and organizers."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from events import permissions

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


def checkin_links(event, user):
    """The door page for anyone who may scan; arrivals and scanner devices for organizers."""
    links = []
    if permissions.is_door_staff(user):
        links.append((_("Door check-in"), reverse("ticketing:scanner", args=[event.slug])))
    if permissions.is_organizer(user):
        links.append((_("Live arrivals"), reverse("ticketing:arrivals", args=[event.slug])))
        links.append((_("Scanner devices"), reverse("ticketing:scanner_devices", args=[event.slug])))
    return links
