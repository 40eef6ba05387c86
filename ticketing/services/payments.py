"""Money: confirming payments (card, bank transfer), refunds, and Stripe's webhook events."""

import csv
import io
import logging
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import audit
from events.errors import Conflict, DomainError
from events.tasks import enqueue

from .. import stripe_gateway
from ..enums import OrderStatus, PaymentProvider, PaymentState
from ..errors import SoldOut
from ..models import Order, OrderNote, Payment, Refund, StripeEvent
from . import issuing, orders, quotas

logger = logging.getLogger(__name__)


@quotas.busy_on_contention
def confirm_payment(*, order, provider, amount, external_id="", by=None, note=""):
    """Record money received for an order and, when it covers the order, make the order paid.

    Idempotent on (provider, external_id): the same payment twice records once.
    The order row is locked (select_for_update; SQLite's IMMEDIATE transaction
    serializes writers). A pending order becomes paid and its passes become
    participants; an expired or cancelled one is revived only if its seats
    are still free; otherwise (or if already paid, or short) the payment is
    kept with state "needs refund" for an organizer. The receipt is e-mailed
    after the commit. Returns the Payment.
    """
    with transaction.atomic():
        if external_id:
            existing = Payment.objects.filter(provider=provider, external_id=external_id).first()
            if existing is not None:
                return existing
        order = Order.objects.select_for_update().get(pk=order.pk)
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
    if order.status == OrderStatus.PENDING:
        return None
    if order.status in (OrderStatus.EXPIRED, OrderStatus.CANCELLED):
        try:
            with transaction.atomic():  # a savepoint: a failed re-take leaves nothing behind
                orders.retake_seats(order)
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


def mark_transfer_received(*, order, by, reference=""):
    """An organizer saw the bank transfer for this order: confirm it for the order total."""
    return confirm_payment(
        order=order,
        provider=PaymentProvider.BANK_TRANSFER,
        amount=order.total,
        external_id=reference.strip(),
        by=by,
        note=str(_("Marked as received by an organizer.")),
    )


# --- Bank statements --------------------------------------------------------

MAX_STATEMENT_BYTES = 2 * 1024 * 1024
ORDER_CODE = re.compile(r"KOL[A-HJ-NP-Z2-9]{7}")


def _amount(text):
    # Vietnamese statements write 1.500.000 or 1,500,000 (and sometimes ",00").
    cleaned = re.sub(r"[.,]00$", "", (text or "").strip())
    digits = re.sub(r"[^\d]", "", cleaned)
    return int(digits) if digits else None


def import_bank_statement(*, event, data: bytes, by):
    """Confirm every transfer in a bank statement CSV that names an order and pays its exact total.

    The CSV needs a column whose header contains "description"/"nội dung" (the
    transfer message) and one with "amount"/"số tiền"; "reference"/"mã giao dịch"
    is used as the bank reference when present (re-importing is then a no-op).
    Returns a list of (line number, order code or "", outcome text).
    """
    rows = _statement_rows(data)
    results = []
    for line, description, amount, reference in rows:
        match = ORDER_CODE.search(description.upper())
        order = Order.objects.filter(event=event, code=match.group(0)).first() if match else None
        if order is None:
            results.append((line, "", str(_("No order reference found."))))
        elif amount != order.total:
            results.append((line, order.code, str(_("The amount does not match the order total."))))
        else:
            payment = confirm_payment(
                order=order,
                provider=PaymentProvider.BANK_TRANSFER,
                amount=amount,
                external_id=reference or f"statement:{order.code}:{amount}",
                by=by,
                note=str(_("Matched from a bank statement.")),
            )
            outcome = _("Paid.") if payment.state == PaymentState.CONFIRMED else _("Needs refund.")
            results.append((line, order.code, str(outcome)))
    return results


def _statement_rows(data):
    if len(data) > MAX_STATEMENT_BYTES:
        raise DomainError("statement_too_large", _("The statement file is larger than 2 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("statement_not_csv", _("The statement must be a CSV file in UTF-8."))
    try:
        reader = csv.reader(io.StringIO(text), dialect=csv.Sniffer().sniff(text[:4096], delimiters=",;\t"))
        header = [cell.strip().lower() for cell in next(reader)]
    except (csv.Error, StopIteration):
        raise DomainError("statement_not_csv", _("The statement must be a CSV file in UTF-8."))
    columns = {
        name: next((i for i, cell in enumerate(header) if any(word in cell for word in words)), None)
        for name, words in {
            "description": ("description", "nội dung", "noi dung", "diễn giải"),
            "amount": ("amount", "số tiền", "so tien", "credit", "ghi có"),
            "reference": ("reference", "mã giao dịch", "ma giao dich", "số bút toán"),
        }.items()
    }
    if columns["description"] is None or columns["amount"] is None:
        raise DomainError("statement_columns", _("The statement needs a description column and an amount column."))
    rows = []
    for line, cells in enumerate(reader, start=2):
        if len(cells) <= max(columns["description"], columns["amount"]):
            continue
        reference_index = columns["reference"]
        reference = (
            cells[reference_index].strip() if reference_index is not None and reference_index < len(cells) else ""
        )
        rows.append((line, cells[columns["description"]], _amount(cells[columns["amount"]]), reference))
    return rows


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
                action="payment.refunded",
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
            quotas.release_seats(orders.order_seats(order))
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
    if session.get("payment_status") != "paid":
        return "awaiting_payment"
    order = Order.objects.filter(code=session.get("client_reference_id") or "").first()
    if order is None:
        logger.warning(
            "Stripe checkout %s names an unknown order %r", session.get("id"), session.get("client_reference_id")
        )
        return "unknown_order"
    confirm_payment(
        order=order,
        provider=PaymentProvider.STRIPE,
        amount=int(session.get("amount_total") or 0),
        external_id=session.get("payment_intent") or session["id"],
    )
    return "paid"


def _charge_refunded(charge):
    payment = Payment.objects.filter(
        provider=PaymentProvider.STRIPE, external_id=charge.get("payment_intent") or ""
    ).first()
    if payment is None:
        # Out of order: the refund overtook the payment's own event. Refusing it
        # (nothing stored) makes Stripe deliver it again after the payment.
        raise stripe_gateway.RetryLater(f"refund for unknown payment {charge.get('payment_intent')!r}")
    if not charge.get("refunded"):
        return "partial_refund_ignored"
    record_refund(payment=payment, external_id=charge.get("id", ""))
    return "refunded"


_STRIPE_HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "checkout.session.async_payment_succeeded": _checkout_completed,
    "charge.refunded": _charge_refunded,
}
