"""Money: confirming payments (card, bank transfer), refunds, and Stripe's webhook events."""

import logging
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import audit
from events.common.jobs import enqueue
from events.errors import Conflict

from .. import stripe_gateway
from ..enums import OrderStatus, PaymentProvider, PaymentState
from ..errors import SoldOut
from ..models import Order, OrderNote, Payment, Refund, StripeEvent
from . import issuing, quotas, waitlist

logger = logging.getLogger(__name__)


@quotas.busy_on_contention
def confirm_payment(*, order, provider, amount, external_id="", by=None, note=""):
    """Record money received for an order and, when it is exactly the order total, make the order paid.

    Idempotent on (provider, external_id): the same payment twice records once.
    The order row is locked (select_for_update; SQLite's IMMEDIATE transaction
    serializes writers). A pending order becomes paid and its passes become
    participants; an expired or cancelled one is revived only if its seats
    are still free; otherwise (already paid, short, or more than the total) it is
    kept with state "needs refund" for an organizer. The receipt is e-mailed
    after the commit. Returns the Payment.
    """
    try:
        return _confirm_payment(order, provider, amount, external_id, by, note)
    except IntegrityError:
        # A twin on another order's lock (same provider reference) committed first.
        return Payment.objects.get(provider=provider, external_id=external_id)


def _confirm_payment(order, provider, amount, external_id, by, note):
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        # Looked up after the lock: a twin (webhook and statement for one transfer) that held
        # the lock first has committed its payment by now, so this one returns it.
        if external_id:
            existing = Payment.objects.filter(provider=provider, external_id=external_id).first()
            if existing is not None:
                return existing
        payment = Payment.objects.create(
            order=order, provider=provider, amount=amount, external_id=external_id, recorded_by=by, note=note
        )
        problem = _why_not_applicable(order, amount)
        if problem is None:
            _mark_paid(order, payment, by)
        else:
            payment.state = PaymentState.NEEDS_REFUND
            payment.note = str(problem)
            payment.save(update_fields=["state", "note"])
            OrderNote.objects.create(order=order, action="ticketing.payment.needs_refund", detail=str(problem), by=by)
            logger.warning("Payment %s for order %s needs a refund: %s", payment.pk, order.code, problem)
    return payment


def _why_not_applicable(order, amount):
    if amount < order.total:
        return _("The amount paid is less than the order total.")
    if amount > order.total:
        return _("The amount paid is more than the order total.")
    if order.status == OrderStatus.PENDING:
        return None
    if order.status in (OrderStatus.EXPIRED, OrderStatus.CANCELLED):
        try:
            with transaction.atomic():  # a savepoint: a failed re-take leaves nothing behind
                quotas.retake_order(order)
        except (SoldOut, Conflict):
            return _("The payment arrived after the order expired and its seats are gone.")
        return None
    return _("The order was already %(status)s when this payment arrived.") % {"status": order.get_status_display()}


def _mark_paid(order, payment, by):
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID, paid_at=now, cancelled_at=None)
    order.status, order.paid_at = OrderStatus.PAID, now
    OrderNote.objects.create(order=order, action="ticketing.order.paid", detail=payment.get_provider_display(), by=by)
    issuing.issue_passes(order)
    enqueue("ticketing.tasks.send_receipt", order.pk)


def bank_payment_key(reference):
    """A bank transfer's provider reference from the bank's own reference ("FT27330…"), however written.

    Shared by the organizer's button, the webhooks and the statements, so one transfer recorded
    by several of them is one payment. "" when the reference has no letters or digits.
    """
    cleaned = re.sub(r"[^A-Z0-9]", "", (reference or "").upper())
    return f"bank:{cleaned}" if cleaned else ""


def mark_transfer_received(*, order, by, reference=""):
    """An organizer saw the bank transfer for this order: confirm it for the order total."""
    return confirm_payment(
        order=order,
        provider=PaymentProvider.BANK_TRANSFER,
        amount=order.total,
        external_id=bank_payment_key(reference),
        by=by,
        note=str(_("Marked as received by an organizer.")),
    )


# --- Refunds ----------------------------------------------------------------


def refund_payment(*, payment, by):
    """Give a payment back: through Stripe's API for card payments, recorded for transfers.

    The Stripe call carries an idempotency key per payment, so a double click
    refunds once; the Refund row is unique per payment. If the order was paid
    by this payment it becomes refunded and its seats return to the quotas.
    """
    if payment.state == PaymentState.REFUNDED:
        raise Conflict("already_refunded", _("This payment has already been refunded."))
    external_id = ""
    if payment.provider == PaymentProvider.STRIPE:
        external_id = stripe_gateway.refund(
            payment_intent=payment.external_id, amount=payment.amount, idempotency_key=f"refund-payment-{payment.pk}"
        )
    return record_refund(payment=payment, external_id=external_id, by=by)


def refund_order(*, order, by):
    """Refund every confirmed payment of a paid order."""
    order = Order.objects.get(pk=order.pk)
    if order.status != OrderStatus.PAID:
        raise Conflict("not_paid", _("Only a paid order can be refunded."))
    payments = list(order.payments.filter(state=PaymentState.CONFIRMED).exclude(provider=PaymentProvider.FREE))
    if not payments:
        _refund_order_status(order, by)
    for payment in payments:
        refund_payment(payment=payment, by=by)
    order.refresh_from_db()
    return order


def record_refund(*, payment, external_id="", by=None):
    """Write down a refund once (unique per payment) and update the payment and order."""
    try:
        with transaction.atomic():
            refund = Refund.objects.create(
                payment=payment, amount=payment.amount, external_id=external_id, created_by=by
            )
            was_confirmed = Payment.objects.filter(pk=payment.pk, state=PaymentState.CONFIRMED).exists()
            Payment.objects.filter(pk=payment.pk).update(state=PaymentState.REFUNDED)
            if was_confirmed:
                _refund_order_status(payment.order, by)
            OrderNote.objects.create(order=payment.order, action="ticketing.payment.refunded", by=by)
            audit.record(
                action="ticketing.payment.refunded",
                actor=by,
                obj=payment,
                event=payment.order.event,
                order=payment.order.code,
                amount_vnd=payment.amount,
                external_id=external_id,
            )
    except IntegrityError:
        return payment.refunds.get()
    return refund


def _refund_order_status(order, by):
    with transaction.atomic():
        changed = Order.objects.filter(pk=order.pk, status=OrderStatus.PAID).update(status=OrderStatus.REFUNDED)
        if changed:
            freed = quotas.order_seats(order)
            quotas.release_seats(freed)
            # A refunded pass's seat goes to the first in line (services.waitlist), in this transaction.
            waitlist.offer_freed_seats(freed, event_id=order.event_id)
            OrderNote.objects.create(order=order, action="ticketing.order.refunded", by=by)


# --- Stripe -----------------------------------------------------------------


def start_card_payment(*, order, success_url, cancel_url):
    """A Stripe Checkout address for the order's server-computed total."""
    if order.status != OrderStatus.PENDING:
        raise Conflict("not_pending", _("This order is not waiting for payment."))
    return stripe_gateway.create_checkout_session(order=order, success_url=success_url, cancel_url=cancel_url)


def handle_stripe_webhook(*, payload: bytes, signature: str):
    """Verify a webhook delivery and apply it once.

    The event id is stored in the same transaction as its effect, so a
    redelivered event is skipped and a failed one can be retried. Handled:
    checkout.session.completed (paid), checkout.session.async_payment_succeeded,
    charge.refunded; every other type is acknowledged and ignored.
    Raises stripe_gateway.InvalidWebhook for a bad signature or body.
    Returns what happened, for the log.
    """
    event = stripe_gateway.parse_webhook(payload, signature)
    handler = _STRIPE_HANDLERS.get(event["type"])
    try:
        with transaction.atomic():
            StripeEvent.objects.create(event_id=event["id"], type=event["type"])
            if handler is None:
                return "ignored"
            return handler(event["data"]["object"])
    except IntegrityError:
        return "duplicate"


def _checkout_completed(session):
    """A paid Checkout Session: confirm it for its order only if it paid the order's total in VND.

    A payment in another currency or short of the total is recorded for organizers (an order note,
    and a payment to refund when it is in đồng), the order stays pending, and the answer says what
    happened instead of "paid".
    """
    payment = stripe_gateway.checkout_payment(session)
    if not payment.paid:
        return "awaiting_payment"
    order = Order.objects.filter(code=payment.order_code).first()
    if order is None:
        logger.warning("Stripe checkout %s names an unknown order %r", payment.session_id, payment.order_code)
        return "unknown_order"
    if payment.currency != stripe_gateway.CURRENCY:
        detail = f"{payment.amount} {payment.currency.upper()} ({payment.payment_id})"
        OrderNote.objects.create(order=order, action="ticketing.payment.wrong_currency", detail=detail)
        logger.warning("Stripe checkout %s paid order %s in %s", payment.session_id, order.code, payment.currency)
        return "wrong_currency"
    recorded = confirm_payment(
        order=order, provider=PaymentProvider.STRIPE, amount=payment.amount, external_id=payment.payment_id
    )
    if recorded.state == PaymentState.CONFIRMED:
        return "paid"
    return "short_payment" if recorded.amount < order.total else "needs_refund"


def _charge_refunded(charge):
    charge_id, intent, fully_refunded = stripe_gateway.refunded_charge(charge)
    payment = Payment.objects.filter(provider=PaymentProvider.STRIPE, external_id=intent).first()
    if payment is None:
        # Out of order: the refund overtook the payment's own event. Refusing it
        # (nothing stored) makes Stripe deliver it again after the payment.
        raise stripe_gateway.RetryLater(f"refund for unknown payment {intent!r}")
    if not fully_refunded:
        return "partial_refund_ignored"
    record_refund(payment=payment, external_id=charge_id)
    return "refunded"


_STRIPE_HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "checkout.session.async_payment_succeeded": _checkout_completed,
    "charge.refunded": _charge_refunded,
}
