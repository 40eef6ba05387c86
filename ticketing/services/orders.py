"""Buying passes: create an order at server prices, vouchers, expiry and cancellation, a waiting-list offer's pass."""

import dataclasses
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import audit
from events.common.jobs import enqueue
from events.enums import Category
from events.errors import Conflict, DomainError
from events.models import Participant, normalize_text

from ..enums import HOLDING_SEATS, OrderStatus, PaymentProvider
from ..models import Order, OrderNote, OrderPosition, TicketType, Voucher, WaitingListEntry
from . import payments, quotas, waitlist

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


def card_hold():
    """How long a confirmed order holds its seats for a card payment (Stripe Checkout takes minutes)."""
    return timedelta(minutes=getattr(settings, "TICKETING_CARD_HOLD_MINUTES", 30))


def transfer_hold():
    """How long, from its confirmation, an order paid by bank transfer holds its seats (transfers take hours)."""
    return timedelta(minutes=getattr(settings, "TICKETING_TRANSFER_HOLD_MINUTES", 24 * 60))


def confirmation_window():
    """How long an unconfirmed order's e-mailed confirmation link works."""
    return timedelta(minutes=getattr(settings, "TICKETING_CONFIRMATION_MINUTES", 24 * 60))


def max_open_orders():
    return getattr(settings, "TICKETING_MAX_OPEN_ORDERS_PER_BUYER", 2)


@quotas.busy_on_contention
def create_order(*, event, buyer, passes, voucher_code="", buyer_participant=None, now=None):
    """Place an order for these passes at the server's prices.

    `buyer` is a dict with name, email, organization, tax_code, language.
    Only a buyer who has proved their e-mail holds seats. With
    `buyer_participant` (someone signed in through their personal link; the
    order is theirs and goes to their address) the order is confirmed at once
    (confirm_order). Otherwise it is written `unconfirmed`: it takes no seat
    and no voucher use, and the buyer is e-mailed a link to its page, where
    confirming takes them. Raises DomainError (bad input, closed sales), or
    from the confirmation SoldOut / Busy (409) and the voucher's errors.
    """
    now = now or timezone.now()
    if not event.accepts_registrations:
        raise DomainError("sales_closed", _("Ticket sales for this event are closed."))
    if buyer_participant is not None:
        buyer = {**buyer, "email": buyer_participant.email}
    ticket_types = _ticket_types_for(event, passes, now)
    _check_attendees(event, passes)
    with transaction.atomic():
        order = _write_order(event, buyer, passes, ticket_types, buyer_participant, voucher_code, now)
        OrderNote.objects.create(order=order, action="ticketing.order.created")
        if buyer_participant is None:
            enqueue("ticketing.tasks.send_order_confirmation", order.pk)
            return order
        return confirm_order(order=order, now=now)


@quotas.busy_on_contention
def buy_offered_pass(*, entry, attendee, organization="", tax_code="", now=None):
    """Buy the pass a waiting-list offer holds, for one named attendee (`attendee`: a PassRequest).

    The buyer is the person the offer was e-mailed to; opening its link proved
    the address, so the order is confirmed at once. In one transaction: the
    offer is claimed (waitlist.claim_offer: a conditional UPDATE, so a double
    click or the lapse sweep at the same moment win or lose cleanly) and its
    held seats given back, then the order is written and confirm_order takes
    the same seats again, so no other buyer can come between. Any refusal (sales
    closed, the attendee already holds a pass) rolls it all back and the offer
    stays open. Returns the pending order; raises DomainError, Conflict
    `offer_lapsed`, Busy.
    """
    now = now or timezone.now()
    entry = WaitingListEntry.objects.select_related("event", "participant").get(pk=entry.pk)
    event = entry.event
    if not event.accepts_registrations:
        raise DomainError("sales_closed", _("Ticket sales for this event are closed."))
    passes = [dataclasses.replace(attendee, ticket_type_id=entry.ticket_type_id)]
    ticket_types = _ticket_types_for(event, passes, now)
    _check_attendees(event, passes)
    buyer = {
        "name": entry.name,
        "email": entry.email,
        "organization": organization or entry.organization,
        "tax_code": tax_code,
        "language": entry.language,
    }
    with transaction.atomic():
        waitlist.claim_offer(entry=entry, now=now)
        order = _write_order(event, buyer, passes, ticket_types, entry.participant, "", now)
        OrderNote.objects.create(order=order, action="ticketing.order.created_from_waiting_list")
        order = confirm_order(order=order, now=now)
        WaitingListEntry.objects.filter(pk=entry.pk).update(order=order)
    return order


@quotas.busy_on_contention
def confirm_order(*, order, now=None):
    """The buyer proved their e-mail (opened the order's link, or was signed in): take seats and voucher use.

    In one transaction: the status moves unconfirmed → pending by a conditional
    UPDATE (two clicks confirm once), the cap on the buyer's open orders is
    checked, then one voucher use and the seats of every quota (conditional
    UPDATEs, ascending ids). Any failure rolls everything back and leaves the
    order unconfirmed. The order then holds its seats for a card payment
    (card_hold); choosing a bank transfer extends that (choose_bank_transfer).
    An order that costs nothing is paid at once. Confirming an order twice is a
    no-op. Raises DomainError (expired link, closed sales, cap), SoldOut, Busy.
    """
    now = now or timezone.now()
    order = Order.objects.select_related("event").get(pk=order.pk)
    if order.status != OrderStatus.UNCONFIRMED:
        return order
    if order.created_at + confirmation_window() < now:
        raise DomainError("confirmation_expired", _("This order was not confirmed in time. Please order again."))
    if not order.event.accepts_registrations:
        raise DomainError("sales_closed", _("Ticket sales for this event are closed."))
    positions = list(order.positions.select_related("ticket_type").prefetch_related("ticket_type__quotas"))
    bought = [position.ticket_type for position in positions]
    _check_still_on_sale(bought, now)
    with transaction.atomic():
        confirmed = Order.objects.filter(pk=order.pk, status=OrderStatus.UNCONFIRMED).update(
            status=OrderStatus.PENDING, confirmed_at=now, expires_at=now + card_hold()
        )
        if not confirmed:
            return Order.objects.get(pk=order.pk)
        _check_open_orders(order)
        _check_attendee_emails(order.event, [position.attendee_email for position in positions], besides=order)
        if order.voucher_id:
            _take_voucher_use(order.voucher_id)
        quotas.take_seats(quotas.seats_needed(bought), sold_out_name=_sold_out_name(bought))
        OrderNote.objects.create(order=order, action="ticketing.order.confirmed")
        order.refresh_from_db()
        if order.total:
            enqueue("ticketing.tasks.send_order_created", order.pk)
        else:
            payments.confirm_payment(order=order, provider=PaymentProvider.FREE, amount=0)
            order.refresh_from_db()
    return order


def choose_bank_transfer(*, order, now=None):
    """The buyer will pay by bank transfer: the order holds its seats for transfer_hold() from confirmation.

    Extends the deadline to a fixed point (confirmed_at + transfer_hold), so
    choosing again never pushes it further. Only a pending order; returns it.
    """
    now = now or timezone.now()
    order = Order.objects.get(pk=order.pk)
    if order.status != OrderStatus.PENDING:
        raise Conflict("not_pending", _("This order is not waiting for payment."))
    deadline = max(order.expires_at, order.confirmed_at + transfer_hold())
    changed = Order.objects.filter(pk=order.pk, status=OrderStatus.PENDING, transfer_chosen_at__isnull=True).update(
        transfer_chosen_at=now, expires_at=deadline
    )
    if changed:
        OrderNote.objects.create(order=order, action="ticketing.order.transfer_chosen")
    order.refresh_from_db()
    return order


def _check_open_orders(order):
    """A buyer (one verified e-mail) may hold at most max_open_orders() orders waiting for payment.

    The buyer's row is locked first, so two confirmations of one buyer at the same moment count one
    after the other (PostgreSQL; SQLite already runs one writer at a time).
    """
    if order.buyer_id:
        list(Participant.objects.select_for_update().filter(pk=order.buyer_id).values_list("pk"))
    open_orders = Order.objects.filter(
        event_id=order.event_id, buyer_email=order.buyer_email, status=OrderStatus.PENDING
    ).count()
    if open_orders > max_open_orders():
        raise Conflict(
            "too_many_open_orders",
            _("You already have %(count)d orders waiting for payment. Pay or cancel one first.")
            % {"count": open_orders - 1},
        )


def _check_still_on_sale(ticket_types, now):
    for ticket_type in ticket_types:
        if not ticket_type.on_sale(now):
            raise DomainError("not_on_sale", _("“%(name)s” is not on sale now.") % {"name": ticket_type.name})


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
    # Whether an attendee already holds a pass is checked on confirmation (confirm_order), once the buyer
    # proved their mailbox: told to anyone placing an order, it would say who holds a pass (issue #16).


def _check_attendee_emails(event, emails, besides=None):
    """Refuse attendees who already hold a pass of the event (in another order than `besides`)."""
    holding = OrderPosition.objects.filter(
        order__event=event, order__status__in=HOLDING_SEATS, attendee_email__in=emails
    )
    if besides is not None:
        holding = holding.exclude(order=besides)
    holding = holding.values_list("attendee_email", flat=True)
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


def _applicable_voucher(event, code, ticket_types, now):
    """The voucher a code names, if it may be used for these passes now; its use is taken on confirmation."""
    voucher = Voucher.objects.filter(event=event, code__iexact=code.strip()).prefetch_related("ticket_types").first()
    if voucher is None:
        raise DomainError("invalid_voucher", _("This voucher code is not valid."), field="voucher")
    if not voucher.is_valid_at(now):
        raise DomainError("voucher_expired", _("This voucher code is not valid at this time."), field="voucher")
    limited_to = {ticket_type.pk for ticket_type in voucher.ticket_types.all()}
    if limited_to and not limited_to & {ticket_type.pk for ticket_type in ticket_types}:
        raise DomainError("voucher_not_applicable", _("This voucher does not apply to these passes."), field="voucher")
    if voucher.times_used >= voucher.max_usages:
        raise Conflict("voucher_used_up", _("This voucher code has been used up."), field="voucher")
    return voucher


def _take_voucher_use(voucher_id):
    """Take one use of a voucher or raise (conditional UPDATE: never past its limit)."""
    used = Voucher.objects.filter(pk=voucher_id, times_used__lt=F("max_usages")).update(times_used=F("times_used") + 1)
    if not used:
        raise Conflict("voucher_used_up", _("This voucher code has been used up."), field="voucher")


def _write_order(event, buyer, passes, ticket_types, buyer_participant, voucher_code, now):
    voucher = None
    if voucher_code.strip():
        voucher = _applicable_voucher(event, voucher_code, ticket_types.values(), now)
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
        status=OrderStatus.UNCONFIRMED,
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
        expires_at=None,
    )
    for position in positions:
        position.order = order
    OrderPosition.objects.bulk_create(positions)
    return order


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
        freed = quotas.release_order(order)
        # The first in line get the freed seats before anyone else can buy them (same transaction).
        waitlist.offer_freed_seats(freed, event_id=order.event_id)
        OrderNote.objects.create(order=order, action=action, by=by)
    return True


def expire_orders(*, now=None):
    """Expire pending orders past their payment deadline and unconfirmed ones past their link's window.

    A pending order gives back its seats and voucher use; each is its own
    transaction with a conditional status change, so a payment confirmed at the
    same moment wins or loses cleanly. Unconfirmed orders held nothing. Returns
    the count.
    """
    now = now or timezone.now()
    expired = 0
    for order in Order.objects.filter(status=OrderStatus.PENDING, expires_at__lte=now):
        if _give_back(order, to_status=OrderStatus.EXPIRED, action="ticketing.order.expired", stamp=now):
            expired += 1
    stale = Order.objects.filter(status=OrderStatus.UNCONFIRMED, created_at__lte=now - confirmation_window())
    expired += stale.update(status=OrderStatus.EXPIRED, cancelled_at=now)
    if expired:
        logger.info("Expired %d unpaid orders", expired)
    return expired


def cancel_order(*, order, by=None):
    """Cancel an order not yet paid (buyer or organizer), giving back its seats and voucher use if it held them."""
    unconfirmed = Order.objects.filter(pk=order.pk, status=OrderStatus.UNCONFIRMED).update(
        status=OrderStatus.CANCELLED, cancelled_at=timezone.now()
    )
    if unconfirmed:
        OrderNote.objects.create(order=order, action="ticketing.order.cancelled", by=by)
    elif not _give_back(order, to_status=OrderStatus.CANCELLED, action="ticketing.order.cancelled", by=by):
        raise Conflict("not_pending", _("Only an order waiting for payment can be cancelled."))
    order.refresh_from_db()
    audit.record(action="ticketing.order.cancelled", actor=by, obj=order, reference=order.code)
    return order
