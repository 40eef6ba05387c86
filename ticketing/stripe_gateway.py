"""Stripe behind one door: the only module that imports `stripe`.

Card payments use Checkout Sessions; VND is a zero-decimal currency in Stripe,
so amounts are whole đồng (1.500.000 ₫ is unit_amount=1500000, no ×100).
Settings: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, and optionally
STRIPE_API_BASE (tests point it at a local fake of Stripe's HTTP API).
"""

import json
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .errors import PaymentError

logger = logging.getLogger(__name__)

CURRENCY = "vnd"  # zero-decimal: https://docs.stripe.com/currencies#zero-decimal


class InvalidWebhook(Exception):
    """The delivery is not a genuine Stripe event (bad signature, stale timestamp, bad JSON)."""


class RetryLater(Exception):
    """The event cannot be applied yet (arrived before the one it depends on): answer non-2xx so Stripe retries."""


def is_configured():
    return bool(getattr(settings, "STRIPE_SECRET_KEY", "") and getattr(settings, "STRIPE_WEBHOOK_SECRET", ""))


def _client():
    # ~0.7 s to import: only card payments pay for it
    import stripe

    base = getattr(settings, "STRIPE_API_BASE", "")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base} if base else None,
        max_network_retries=getattr(settings, "STRIPE_MAX_NETWORK_RETRIES", 2),
    )


def _call(operation, *args, **kwargs):
    # ~0.7 s to import: only card payments pay for it
    import stripe

    if not is_configured():
        raise PaymentError("card_payment_unavailable", _("Card payment is not set up for this event."))
    try:
        return operation(*args, **kwargs)
    except stripe.APIConnectionError as error:
        # Its text is the HTTP library's ("HTTPSConnectionPool(host=…)"), English and meaningless to a buyer.
        logger.warning("Stripe unreachable: %s", error)
        raise PaymentError(
            "payment_provider_unreachable",
            _("The card payment service cannot be reached right now. Please try again in a few minutes."),
        )
    except stripe.StripeError as error:
        logger.warning("Stripe refused: %s", error)
        # Only a card error's message is written for the cardholder; the others are for developers.
        reason = error.user_message if isinstance(error, stripe.CardError) else None
        raise PaymentError(
            "payment_provider_error",
            _("The card payment service refused: %(reason)s") % {"reason": reason or _("please try again later.")},
        )


def create_checkout_session(*, order, success_url, cancel_url):
    """Create a Checkout Session for the order's total; returns (session id, address to send the buyer to)."""
    params = {
        "mode": "payment",
        "client_reference_id": order.code,
        "customer_email": order.buyer_email,
        "success_url": success_url,
        "cancel_url": cancel_url,
        "locale": "vi" if order.language == "vi" else "en",
        "metadata": {"order": order.code},
        "payment_intent_data": {"metadata": {"order": order.code}},
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": CURRENCY,
                    "unit_amount": order.total,
                    "product_data": {"name": f"{order.event.name_vi} · {order.code}"},
                },
            }
        ],
    }
    session = _call(
        lambda: _client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": f"checkout-{order.code}-{order.total}"}
        )
    )
    return session.id, session.url


def refund(*, payment_intent, amount, idempotency_key):
    """Refund a card payment in full; returns Stripe's refund id. The key makes a retry refund once."""
    result = _call(
        lambda: _client().v1.refunds.create(
            params={"payment_intent": payment_intent, "amount": amount},
            options={"idempotency_key": idempotency_key},
        )
    )
    return result.id


WEBHOOK_TOLERANCE_SECONDS = 300


def parse_webhook(payload: bytes, signature: str):
    """Verify the Stripe-Signature header against the raw body and return the event as a dict.

    The signed timestamp must lie within WEBHOOK_TOLERANCE_SECONDS of now in both directions:
    stripe-python only refuses old ones, and a timestamp far in the future would let a captured
    delivery be replayed for as long as it names.
    """
    # ~0.7 s to import: only card payments pay for it
    import stripe

    secret = getattr(settings, "STRIPE_WEBHOOK_SECRET", "")
    if not secret:
        raise InvalidWebhook("no webhook secret configured")
    try:
        stripe.WebhookSignature.verify_header(payload, signature, secret, tolerance=WEBHOOK_TOLERANCE_SECONDS)
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise InvalidWebhook(str(error))
    if _signed_at(signature) > time.time() + WEBHOOK_TOLERANCE_SECONDS:
        raise InvalidWebhook("timestamp in the future")
    if not (isinstance(event, dict) and {"id", "type", "data"} <= event.keys() and isinstance(event["data"], dict)):
        raise InvalidWebhook("not an event")
    if not (isinstance(event["id"], str) and isinstance(event["type"], str) and event["id"]):
        raise InvalidWebhook("not an event")
    if not isinstance(event["data"].get("object"), dict):
        raise InvalidWebhook("not an event")
    return event


def _signed_at(signature):
    # verify_header accepted the header, so its "t=" item is a number.
    stamps = [item[2:] for item in signature.split(",") if item.startswith("t=")]
    return int(stamps[0])


@dataclass(frozen=True)
class CheckoutPayment:
    """What a completed Checkout Session says was paid, with Stripe's types checked."""

    session_id: str
    order_code: str
    amount: int  # whole units of `currency` (VND is zero-decimal)
    currency: str
    payment_id: str  # the PaymentIntent, or the session when Stripe gives none
    paid: bool


def checkout_payment(session):
    """Read a checkout.session object; InvalidWebhook (400) when a field is missing or of the wrong type.

    A signed body is Stripe's, but its fields are still checked: a missing id or an amount that is
    not a whole number must answer 400, never a 500 or a payment of 0 ₫.
    """
    session_id, amount, intent = session.get("id"), session.get("amount_total"), session.get("payment_intent")
    if not isinstance(session_id, str) or not session_id:
        raise InvalidWebhook("checkout session without an id")
    if type(amount) is not int or amount < 0:
        raise InvalidWebhook("checkout session amount_total is not a whole number")
    if not isinstance(session.get("currency"), str) or not (intent is None or isinstance(intent, str)):
        raise InvalidWebhook("checkout session with a bad currency or payment_intent")
    if not isinstance(session.get("client_reference_id") or "", str):
        raise InvalidWebhook("checkout session with a bad client_reference_id")
    return CheckoutPayment(
        session_id=session_id,
        order_code=session.get("client_reference_id") or "",
        amount=amount,
        currency=session["currency"].lower(),
        payment_id=intent or session_id,
        paid=session.get("payment_status") == "paid",
    )


def refunded_charge(charge):
    """(charge id, payment intent, fully refunded) of a charge object; InvalidWebhook on bad types."""
    charge_id, intent, refunded = charge.get("id"), charge.get("payment_intent"), charge.get("refunded")
    if not isinstance(charge_id, str) or not isinstance(intent, str) or not isinstance(refunded, bool):
        raise InvalidWebhook("charge with a missing or badly typed id, payment_intent or refunded")
    return charge_id, intent, refunded
