"""What ticketing adds to the events app's pages (registered in apps.py): the orders panel on the
personal page, the "Buy passes" link, and the check-in links for door staff and organizers."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events import permissions
from events.enums import Category
from events.steps import Step

from . import selectors
from .enums import OrderStatus


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
    """The door page for anyone who may scan; arrivals for supervisors and organizers; devices for organizers."""
    links = []
    if permissions.is_door_staff(user):
        links.append((_("Door check-in"), reverse("ticketing:scanner", args=[event.slug])))
    if permissions.can_watch_arrivals(user):
        links.append((_("Live arrivals"), reverse("ticketing:arrivals", args=[event.slug])))
    if permissions.is_organizer(user):
        links.append((_("Scanner devices"), reverse("ticketing:scanner_devices", args=[event.slug])))
    return links


def business_path(event):
    """Businesses register by ordering passes: the shop, when the event sells business passes."""
    sells = [tt for tt in selectors.ticket_types_with_availability(event) if not tt.is_free and tt.active]
    if not any(Category.BUSINESS in tt.categories for tt in sells):
        return None
    return reverse("ticketing:buy", args=[event.slug])


def next_step(participant):
    """An approved participant's step to a badge: download it, pay for the pass, order one, or wait for it."""
    event = participant.event
    if selectors.holds_valid_ticket(participant):
        return Step(
            "download_badge",
            _("Your badge is ready: show its QR code at the door, on paper or on your phone."),
            _("Download your badge (PDF)"),
            reverse("ticketing:badge_download", args=[event.slug]),
            action_is_file=True,
        )
    waiting = selectors.orders_of(participant).filter(status=OrderStatus.PENDING).first()
    if waiting is not None:
        deadline = date_format(timezone.localtime(waiting.expires_at), "H:i d/m/Y")
        return Step(
            "pay_for_pass",
            _("Your order %(code)s waits for payment until %(deadline)s.")
            % {"code": waiting.code, "deadline": deadline},
            _("Pay for your pass"),
            reverse("ticketing:order", args=[waiting.token]),
        )
    if selectors.passes_of(participant).exists() or not selectors.event_sells_tickets(event):
        return None
    if selectors.pass_ordered_for(participant):
        return Step("pass_ordered", _("A pass has been ordered for you: it is yours once the order is paid."))
    shop = business_path(event)
    if participant.category == Category.BUSINESS and shop:
        return Step("order_pass", _("To attend, order your pass."), _("Order your pass"), shop)
    return Step(
        "pass_being_arranged",
        _("You are approved. The organizers are arranging your pass; we will e-mail you your badge."),
    )
