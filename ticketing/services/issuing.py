"""Passes become participants: free passes on approval, paid passes when the order is paid."""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events import services as event_services
from events.enums import Category, ConsentPurpose
from events.errors import DomainError

from ..enums import HOLDING_SEATS, OrderSource, OrderStatus, PaymentProvider
from ..errors import Busy, SoldOut
from ..models import Order, OrderNote, OrderPosition, Payment, TicketType
from . import quotas

logger = logging.getLogger(__name__)


def issue_passes(order):
    """Give every pass of a paid order to its holder (events.services.register_ticket_holder).

    A new address becomes an approved business participant with a personal
    link; someone already registered keeps their category and decision (a
    rejected applicant stays rejected). Runs inside the payment's transaction;
    the e-mails go after the commit.
    """
    for position in order.positions.filter(participant__isnull=True):
        participant = event_services.register_ticket_holder(
            event=order.event,
            category=Category.BUSINESS,
            fields={
                "full_name": position.attendee_name,
                "email": position.attendee_email,
                "title": position.attendee_title,
                "organization": order.buyer_organization,
                "language": order.language,
            },
            consents=[ConsentPurpose.PARTICIPATION],
            order_code=order.code,
        )
        OrderPosition.objects.filter(pk=position.pk).update(participant=participant)
        if order.buyer_id is None and participant.email == order.buyer_email:
            # The buyer attends too: the order is theirs on their personal page (their address, proven
            # by the order's e-mailed link and by their own link).
            Order.objects.filter(pk=order.pk, buyer__isnull=True).update(buyer=participant)


def free_ticket_type_for(participant):
    """The free ticket type an approved participant of this category receives, or None."""
    return _free_ticket_type(participant.event_id, participant.category)


def _free_ticket_type(event_id, category):
    candidates = TicketType.objects.filter(event_id=event_id, price=0, active=True).order_by("pk")
    return next((tt for tt in candidates if category in tt.categories), None)


def walk_in_pass_type(event, category):
    """The pass a walk-in of this category gets at the badge desk: None when the event sells no passes.

    Its category's free pass; DomainError `walk_in_needs_pass` when the event sells passes and none is
    free for that category (a business buys its pass in the ticket shop). Read before anything is saved.
    """
    if not TicketType.objects.filter(event=event).exists():
        return None  # no passes at all: an approved participant is admitted (checkin's ticket rule)
    ticket_type = _free_ticket_type(event.pk, category)
    if ticket_type is None:
        raise DomainError(
            "walk_in_needs_pass",
            _("This category gets no free pass: the person buys a pass in the ticket shop, then comes to the desk."),
            field="category",
        )
    return ticket_type


def issue_walk_in_pass(participant, ticket_type):
    """Issue a walk-in's pass inside the desk's transaction: the OrderPosition; SoldOut or Busy roll it all back.

    Unlike `issue_free_pass`, a full quota is an error here: the desk must not admit and print for
    someone who has no seat.
    """
    return _issue(participant, ticket_type)


def holds_pass(participant):
    """Whether this person already holds a pass (issued, paid or awaiting payment) for the event."""
    return OrderPosition.objects.filter(
        Q(participant=participant) | Q(attendee_email=participant.email),
        order__event_id=participant.event_id,
        order__status__in=HOLDING_SEATS,
    ).exists()


def issue_free_pass(participant):
    """Issue the free pass an approved participant's category gets, once; None if none applies or no seat is left.

    Called by ticketing.flows.after_approval (events.extensions.APPROVED) after the
    approval commits. A full quota does not undo the approval: it is logged and the
    organizers see the participant without a pass.
    """
    ticket_type = free_ticket_type_for(participant)
    if ticket_type is None or holds_pass(participant):
        return None
    try:
        return _issue(participant, ticket_type)
    except (SoldOut, Busy) as error:
        logger.warning(
            "No pass for %s (%s): approved without one (%s)", participant.pk, ticket_type.name_vi, error.code
        )
        return None


@quotas.busy_on_contention
def _issue(participant, ticket_type):
    with transaction.atomic():
        quotas.take_seats(quotas.seats_needed([ticket_type]), sold_out_name=ticket_type.name)
        order = Order.objects.create(
            event_id=participant.event_id,
            source=OrderSource.APPROVAL,
            status=OrderStatus.PAID,
            buyer=participant,
            buyer_name=participant.full_name,
            buyer_email=participant.email,
            buyer_organization=participant.organization,
            language=participant.language,
            paid_at=timezone.now(),
        )
        position = OrderPosition.objects.create(
            order=order,
            ticket_type=ticket_type,
            price=0,
            attendee_name=participant.full_name,
            attendee_email=participant.email,
            attendee_title=participant.title,
            participant=participant,
        )
        Payment.objects.create(order=order, provider=PaymentProvider.FREE, amount=0)
        OrderNote.objects.create(order=order, action="ticketing.pass.issued_on_approval")
    return position
