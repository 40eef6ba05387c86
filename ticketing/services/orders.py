"""Buying passes: create an order at server prices, vouchers, expiry and cancellation."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import audit
from events.enums import Category
from events.errors import Conflict, DomainError
from events.models import normalize_text
from events.tasks import enqueue

from ..enums import HOLDING_SEATS, OrderStatus, PaymentProvider
from ..models import Order, OrderNote, OrderPosition, TicketType, Voucher
from . import quotas

logger = logging.getLogger(__name__)


@dataclass
class PassRequest:
    """One pass asked for: which ticket type, and who will use it."""

    ticket_type_id: int
    attendee_name: str
    attendee_email: str
    attendee_title: str = ""


def max_passes_per_order():
    return getattr(settings, "TICKETING_MAX_PASSES_PER_ORDER", 20)


def payment_window():
    return timedelta(minutes=getattr(settings, "TICKETING_ORDER_PAYMENT_MINUTES", 24 * 60))


@quotas.busy_on_contention
def create_order(*, event, buyer, passes, voucher_code="", buyer_participant=None, now=None):
    """Create a pending order for these passes at the server's prices, holding their seats.

    `buyer` is a dict with name, email, organization, tax_code, language.
    In one transaction: take one voucher use (conditional UPDATE), take the
    seats of every quota involved (conditional UPDATEs, ascending ids), write
    the order and its passes. Any failure rolls everything back. An order that
    costs nothing after the voucher is confirmed at once.
    Raises DomainError (bad input, voucher), SoldOut (409) or Busy (409).
    """
    now = now or timezone.now()
    if not event.accepts_registrations:
        raise DomainError("sales_closed", _("Ticket sales for this event are closed."))
    ticket_types = _ticket_types_for(event, passes, now)
    _check_attendees(event, passes)
    with transaction.atomic():
        voucher = _use_voucher(event, voucher_code, ticket_types.values(), now) if voucher_code.strip() else None
        order = _write_order(event, buyer, passes, ticket_types, voucher, buyer_participant, now)
        bought = [ticket_types[item.ticket_type_id] for item in passes]
        quotas.take_seats(quotas.seats_needed(bought), sold_out_name=_sold_out_name(bought))
        OrderNote.objects.create(order=order, action="ticketing.order.created")
        if order.total:
            enqueue("ticketing.tasks.send_order_created", order.pk)
        else:
            from .payments import confirm_payment

            confirm_payment(order=order, provider=PaymentProvider.FREE, amount=0)
            order.refresh_from_db()
    return order


def _ticket_types_for(event, passes, now):
    if not 1 <= len(passes) <= max_passes_per_order():
        raise DomainError(
            "invalid_quantity",
            _("An order holds between 1 and %(max)d passes.") % {"max": max_passes_per_order()},
            field="passes",
        )
    wanted = {item.ticket_type_id for item in passes}
    found = {
        ticket_type.pk: ticket_type
        for ticket_type in TicketType.objects.filter(event=event, pk__in=wanted).prefetch_related("quotas")
    }
    for ticket_type_id in wanted:
        ticket_type = found.get(ticket_type_id)
        if ticket_type is None or ticket_type.is_free or Category.BUSINESS not in ticket_type.categories:
            # Free passes are issued on approval, never bought; bought passes make business participants.
            raise DomainError("unknown_ticket_type", _("This ticket type cannot be bought."), field="passes")
        if not ticket_type.on_sale(now):
            raise DomainError(
                "not_on_sale", _("“%(name)s” is not on sale now.") % {"name": ticket_type.name}, field="passes"
            )
        count = sum(1 for item in passes if item.ticket_type_id == ticket_type_id)
        if count > ticket_type.max_per_order:
            raise DomainError(
                "invalid_quantity",
                _("At most %(max)d passes of “%(name)s” per order.")
                % {"max": ticket_type.max_per_order, "name": ticket_type.name},
                field="passes",
            )
    return found


def _check_attendees(event, passes):
    emails = [item.attendee_email.strip().lower() for item in passes]
    if any(not email for email in emails) or any(not normalize_text(item.attendee_name) for item in passes):
        raise DomainError("attendee_required", _("Every pass needs the attendee's name and e-mail."), field="passes")
    if len(set(emails)) != len(emails):
        raise DomainError("duplicate_attendee", _("Each pass needs a different attendee e-mail."), field="passes")
    holding = OrderPosition.objects.filter(
        order__event=event, order__status__in=HOLDING_SEATS, attendee_email__in=emails
    ).values_list("attendee_email", flat=True)
    taken = sorted(set(holding))
    if taken:
        raise Conflict(
            "attendee_has_pass",
            _("These attendees already hold a pass: %(emails)s") % {"emails": ", ".join(taken)},
            field="passes",
        )


def _sold_out_name(ticket_types):
    names = {ticket_type.name for ticket_type in ticket_types}
    return names.pop() if len(names) == 1 else ""


def _use_voucher(event, code, ticket_types, now):
    """Take one use of a voucher or raise why not (conditional UPDATE: never past its limit)."""
    voucher = Voucher.objects.filter(event=event, code__iexact=code.strip()).prefetch_related("ticket_types").first()
    if voucher is None:
        raise DomainError("invalid_voucher", _("This voucher code is not valid."), field="voucher")
    if not voucher.is_valid_at(now):
        raise DomainError("voucher_expired", _("This voucher code is not valid at this time."), field="voucher")
    limited_to = {ticket_type.pk for ticket_type in voucher.ticket_types.all()}
    if limited_to and not limited_to & {ticket_type.pk for ticket_type in ticket_types}:
        raise DomainError("voucher_not_applicable", _("This voucher does not apply to these passes."), field="voucher")
    used = Voucher.objects.filter(pk=voucher.pk, times_used__lt=F("max_usages")).update(times_used=F("times_used") + 1)
    if not used:
        raise Conflict("voucher_used_up", _("This voucher code has been used up."), field="voucher")
    return voucher


def _write_order(event, buyer, passes, ticket_types, voucher, buyer_participant, now):
    limited_to = {ticket_type.pk for ticket_type in voucher.ticket_types.all()} if voucher else set()
    subtotal = discount = 0
    positions = []
    for item in passes:
        ticket_type = ticket_types[item.ticket_type_id]
        subtotal += ticket_type.price
        if voucher and (not limited_to or ticket_type.pk in limited_to):
            discount += voucher.discount_for(ticket_type.price)
        positions.append(
            OrderPosition(
                ticket_type=ticket_type,
                price=ticket_type.price,
                attendee_name=normalize_text(item.attendee_name),
                attendee_email=item.attendee_email.strip().lower(),
                attendee_title=normalize_text(item.attendee_title),
            )
        )
    order = Order.objects.create(
        event=event,
        buyer=buyer_participant,
        buyer_name=normalize_text(buyer["name"]),
        buyer_email=buyer["email"].strip().lower(),
        buyer_organization=normalize_text(buyer.get("organization", "")),
        buyer_tax_code=normalize_text(buyer.get("tax_code", "")),
        language=buyer.get("language") or "vi",
        voucher=voucher,
        subtotal=subtotal,
        discount=discount,
        total=subtotal - discount,
        created_at=now,
        expires_at=now + payment_window(),
    )
    for position in positions:
        position.order = order
    OrderPosition.objects.bulk_create(positions)
    return order


def order_seats(order):
    positions = order.positions.select_related("ticket_type").prefetch_related("ticket_type__quotas")
    return quotas.seats_needed([position.ticket_type for position in positions])


def _give_back(order, *, to_status, action, by=None, stamp=None):
    """Move an order out of pending and return its seats and voucher use, once."""
    with transaction.atomic():
        changed = Order.objects.filter(pk=order.pk, status=OrderStatus.PENDING).update(
            status=to_status, cancelled_at=stamp or timezone.now()
        )
        if not changed:
            return False
        # Lock order everywhere: order row, voucher, quotas (ascending) — never the reverse, so
        # PostgreSQL never deadlocks an expiry against a purchase using the same voucher.
        if order.voucher_id:
            Voucher.objects.filter(pk=order.voucher_id, times_used__gt=0).update(times_used=F("times_used") - 1)
        quotas.release_seats(order_seats(order))
        OrderNote.objects.create(order=order, action=action, by=by)
    return True


def expire_orders(*, now=None):
    """Expire every pending order past its payment deadline, giving back seats and voucher uses.

    Each order is its own transaction with a conditional status change, so a
    payment confirmed at the same moment wins or loses cleanly. Returns the count.
    """
    now = now or timezone.now()
    expired = 0
    for order in Order.objects.filter(status=OrderStatus.PENDING, expires_at__lte=now):
        if _give_back(order, to_status=OrderStatus.EXPIRED, action="ticketing.order.expired", stamp=now):
            expired += 1
    if expired:
        logger.info("Expired %d unpaid orders", expired)
    return expired


def cancel_order(*, order, by=None):
    """Cancel a pending order (buyer or organizer), giving back its seats and voucher use."""
    if not _give_back(order, to_status=OrderStatus.CANCELLED, action="ticketing.order.cancelled", by=by):
        raise Conflict("not_pending", _("Only an order waiting for payment can be cancelled."))
    order.refresh_from_db()
    audit.record(action="order.cancelled", actor=by, obj=order, reference=order.code)
    return order


def retake_seats(order):
    """Take an expired or cancelled order's voucher use and seats again (late payment); inside atomic()."""
    if order.voucher_id:
        used = Voucher.objects.filter(pk=order.voucher_id, times_used__lt=F("max_usages")).update(
            times_used=F("times_used") + 1
        )
        if not used:
            raise Conflict("voucher_used_up", _("This voucher code has been used up."))
    quotas.take_seats(order_seats(order))
