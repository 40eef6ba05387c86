"""What ticketing adds to organizer e-mails (registered in apps.py): a ticket filter and the badge attachment."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import selectors
from .enums import OrderStatus
from .errors import NoValidTicket
from .models import OrderPosition, TicketType
from .services import badge_pdf_path, issue_badge

VALID = "valid"
LABEL = _("Ticket")


def ticket_choices(event):
    """ "Any valid ticket", then each of the event's ticket types."""
    types = [(str(t.pk), t.name) for t in TicketType.objects.filter(event=event).order_by("pk")]
    return [(VALID, gettext("Any valid ticket")), *types]


def filter_by_ticket(participants, value):
    """Holders of a valid ticket, or of a paid pass of one ticket type."""
    if value == VALID:
        return selectors.with_valid_ticket(participants)
    if not value.isdigit():
        return participants.none()
    paid_pass = OrderPosition.objects.filter(
        participant_id=OuterRef("pk"), ticket_type_id=int(value), order__status=OrderStatus.PAID
    )
    return participants.filter(Exists(paid_pass))


def badge_attachment(participant):
    """The participant's badge PDF for the day-before reminder, issued first if need be; [] without a ticket."""

    try:
        badge = issue_badge(participant)
    except NoValidTicket:
        return []
    return [(f"badge-{participant.event.slug}.pdf", badge_pdf_path(badge).read_bytes(), "application/pdf")]
