"""Stripe behind one door: the only module that imports `stripe`.

Card payments use Checkout Sessions; VND is a zero-decimal currency in Stripe,
so amounts are whole đồng (1.500.000 ₫ is unit_amount=1500000, no ×100).
Settings: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, and optionally
STRIPE_API_BASE (tests point it at a local fake of Stripe's HTTP API).
"""

import json
import logging

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
    import stripe

    base = getattr(settings, "STRIPE_API_BASE", "")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base} if base else None,
        max_network_retries=getattr(settings, "STRIPE_MAX_NETWORK_RETRIES", 2),
    )


def _call(operation, *args, **kwargs):
    import stripe

    if not is_configured():
        raise PaymentError("card_payment_unavailable", _("Card payment is not set up for this event."))
    try:
        return operation(*args, **kwargs)
    except stripe.StripeError as error:
        logger.warning("Stripe refused: %s", error)
        raise PaymentError(
            "payment_provider_error",
            _("The card payment service refused: %(reason)s")
            % {"reason": getattr(error, "user_message", None) or _("please try again later.")},
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


def parse_webhook(payload: bytes, signature: str):
    """Verify the Stripe-Signature header against the raw body and return the event as a dict."""
    import stripe

    secret = getattr(settings, "STRIPE_WEBHOOK_SECRET", "")
    if not secret:
        raise InvalidWebhook("no webhook secret configured")
    try:
        stripe.WebhookSignature.verify_header(payload, signature, secret, tolerance=300)
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise InvalidWebhook(str(error))
    if not (isinstance(event, dict) and {"id", "type", "data"} <= event.keys() and isinstance(event["data"], dict)):
        raise InvalidWebhook("not an event")
    if not isinstance(event["data"].get("object"), dict):
        raise InvalidWebhook("not an event")
    return event
