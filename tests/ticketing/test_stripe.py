"""Card payments through the real `stripe` library against a local fake of Stripe's HTTP API."""

import json
import time

import pytest
import stripe

from ticketing import stripe_gateway
from ticketing.enums import OrderStatus, PaymentProvider, PaymentState
from ticketing.errors import PaymentError
from ticketing.models import Payment, Quota, Refund, StripeEvent
from ticketing.services.payments import refund_order, start_card_payment

from .conftest import WEBHOOK_SECRET
from .factories import order_for, place_order

pytestmark = pytest.mark.django_db(transaction=True)

WEBHOOK = "/stripe/webhook/"


def signed(client, event, *, secret=WEBHOOK_SECRET, timestamp=None):
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp or int(time.time()))
    return client.post(WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


def completed(order, *, event_id="evt_1", amount=None, intent="pi_test_1"):
    return {
        "id": event_id,
        "object": "event",
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": "cs_test_1",
                "object": "checkout.session",
                "client_reference_id": order.code,
                "amount_total": order.total if amount is None else amount,
                "currency": "vnd",
                "payment_status": "paid",
                "payment_intent": intent,
            }
        },
    }


def refunded(event_id="evt_r1", intent="pi_test_1"):
    return {
        "id": event_id,
        "type": "charge.refunded",
        "data": {"object": {"id": "ch_1", "object": "charge", "payment_intent": intent, "refunded": True}},
    }


def test_checkout_session_charges_the_server_total_in_whole_dong(event, business_type, fake_stripe):
    order = place_order(event, business_type, 2)
    session_id, url = start_card_payment(order=order, success_url="http://x/ok", cancel_url="http://x/back")
    assert (session_id, url) == ("cs_test_1", "https://checkout.stripe.test/pay/cs_test_1")
    [(_method, _path, form, headers)] = fake_stripe.posts("/v1/checkout/sessions")
    assert form["line_items[0][price_data][unit_amount]"] == "3000000"  # VND is zero-decimal: no ×100
    assert form["line_items[0][price_data][currency]"] == "vnd"
    assert form["client_reference_id"] == order.code
    assert headers["Authorization"] == "Bearer sk_test_kol2027"
    assert headers["Idempotency-Key"] == f"checkout-{order.code}-3000000"


def test_checkout_refused_by_stripe_is_a_clear_error(event, business_type, fake_stripe):
    fake_stripe.fail_with = (402, {"error": {"type": "card_error", "message": "Declined"}})
    order = place_order(event, business_type)
    with pytest.raises(PaymentError) as error:
        start_card_payment(order=order, success_url="http://x/ok", cancel_url="http://x/back")
    assert error.value.code == "payment_provider_error"


def test_webhook_checkout_completed_pays_the_order(client, event, business_type, fake_stripe):
    order = place_order(event, business_type, 2)
    response = signed(client, completed(order))
    assert (response.status_code, response.content) == (200, b"paid")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    payment = Payment.objects.get()
    assert (payment.provider, payment.amount, payment.external_id) == (PaymentProvider.STRIPE, 3_000_000, "pi_test_1")
    assert order.positions.filter(participant__isnull=False).count() == 2


def test_webhook_delivered_twice_pays_once(client, event, business_type, fake_stripe):
    order = place_order(event, business_type)
    assert signed(client, completed(order)).content == b"paid"
    assert signed(client, completed(order)).content == b"duplicate"
    # A different event id about the same payment (Stripe's async_payment_succeeded) records nothing new.
    again = completed(order, event_id="evt_2")
    again["type"] = "checkout.session.async_payment_succeeded"
    assert signed(client, again).status_code == 200
    assert Payment.objects.count() == 1
    assert order.positions.get().participant is not None
    assert StripeEvent.objects.count() == 2


def test_webhook_with_a_bad_signature_is_400_and_changes_nothing(client, event, business_type, fake_stripe, caplog):
    order = place_order(event, business_type)
    response = signed(client, completed(order), secret="whsec_wrong")
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert (Payment.objects.count(), StripeEvent.objects.count()) == (0, 0)
    assert "Rejected a Stripe webhook" in caplog.text


def test_webhook_with_a_tampered_body_is_400(client, event, business_type, fake_stripe):
    order = place_order(event, business_type)
    payload = json.dumps(completed(order))
    header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET, int(time.time()))
    tampered = payload.replace('"amount_total": 1500000', '"amount_total": 1')
    response = client.post(WEBHOOK, data=tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400
    assert Payment.objects.count() == 0


def test_webhook_signed_too_long_ago_is_400(client, event, business_type, fake_stripe):
    order = place_order(event, business_type)
    assert signed(client, completed(order), timestamp=int(time.time()) - 3600).status_code == 400


def test_webhook_for_an_unknown_order_is_acknowledged_and_logged(client, event, fake_stripe, caplog):
    class Ghost:
        code, total = "KOLZZZZZZZ", 1_500_000

    response = signed(client, completed(Ghost))
    assert (response.status_code, response.content) == (200, b"unknown_order")
    assert Payment.objects.count() == 0
    assert "unknown order" in caplog.text


def test_webhook_of_an_unhandled_type_is_ignored(client, fake_stripe):
    event = {"id": "evt_x", "type": "customer.created", "data": {"object": {"id": "cus_1"}}}
    response = signed(client, event)
    assert (response.status_code, response.content) == (200, b"ignored")


def test_refund_event_before_the_payment_is_deferred_then_applied(client, event, business_type, fake_stripe):
    order = place_order(event, business_type)
    assert signed(client, refunded()).status_code == 409  # Stripe will deliver it again
    assert StripeEvent.objects.count() == 0
    assert signed(client, completed(order)).content == b"paid"
    assert signed(client, refunded()).content == b"refunded"
    assert signed(client, refunded()).content == b"duplicate"
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert Refund.objects.count() == 1
    assert Quota.objects.get().taken == 0


def test_payment_after_the_order_expired_and_sold_out_is_flagged_for_refund(client, event, fake_stripe):
    from ticketing.services.orders import expire_orders

    from .factories import BUYER, make_business_type, passes

    ticket_type = make_business_type(event, seats=1)
    late = place_order(event, ticket_type)
    expire_orders(now=late.expires_at)
    order_for(event, dict(BUYER), passes(ticket_type, 1, offset=1))
    assert signed(client, completed(late)).status_code == 200
    late.refresh_from_db()
    assert late.status == OrderStatus.EXPIRED
    assert Payment.objects.get().state == PaymentState.NEEDS_REFUND


def test_admin_refund_goes_through_stripe_once(client, event, business_type, fake_stripe, organizer):
    order = place_order(event, business_type)
    signed(client, completed(order))
    refund_order(order=order, by=organizer)
    [(_m, _p, form, headers)] = fake_stripe.posts("/v1/refunds")
    assert (form["payment_intent"], form["amount"]) == ("pi_test_1", "1500000")
    assert headers["Idempotency-Key"] == f"refund-payment-{Payment.objects.get().pk}"
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert Refund.objects.get().external_id == "re_test_1"
    # Stripe's charge.refunded for the same refund changes nothing more.
    assert signed(client, refunded()).content == b"refunded"
    assert Refund.objects.count() == 1 and fake_stripe.refunds == 1


def test_without_stripe_keys_card_payment_is_unavailable(event, business_type, settings):
    settings.STRIPE_SECRET_KEY = ""
    assert stripe_gateway.is_configured() is False
    order = place_order(event, business_type)
    with pytest.raises(PaymentError) as error:
        start_card_payment(order=order, success_url="http://x/ok", cancel_url="http://x/back")
    assert error.value.code == "card_payment_unavailable"


def test_webhook_for_an_unpaid_checkout_records_nothing(client, event, business_type, fake_stripe):
    order = place_order(event, business_type)
    event_body = completed(order)
    event_body["data"]["object"]["payment_status"] = "unpaid"
    assert signed(client, event_body).content == b"awaiting_payment"
    assert Payment.objects.count() == 0


def test_webhook_without_a_signature_header_is_400(client, fake_stripe):
    response = client.post(WEBHOOK, data='{"id": "evt_1"}', content_type="application/json")
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0


def test_webhook_signed_but_not_an_event_is_400(client, fake_stripe):
    payload = '{"id": "evt_1", "type": "checkout.session.completed", "data": []}'
    header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET, int(time.time()))
    response = client.post(WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400


def test_late_card_payment_revives_the_order_with_its_voucher_use(client, event, business_type, fake_stripe):
    from ticketing.models import Voucher
    from ticketing.services.orders import expire_orders

    from .factories import make_voucher

    make_voucher(event, max_usages=1)
    order = place_order(event, business_type, voucher_code="HIEPHOI20")
    expire_orders(now=order.expires_at)
    assert Voucher.objects.get().times_used == 0
    assert signed(client, completed(order)).content == b"paid"
    order.refresh_from_db()
    assert (order.status, order.total) == (OrderStatus.PAID, 1_200_000)
    assert Voucher.objects.get().times_used == 1
    assert Quota.objects.get().taken == 1


def test_pay_by_card_when_stripe_cannot_be_reached_says_so_in_the_buyers_language(
    client, event, business_type, fake_stripe, settings
):
    import socket

    with socket.socket() as closed:  # a port nobody listens on: the real HTTP client gets "connection refused"
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{port}"
    order = place_order(event, business_type)

    response = client.post(f"/orders/{order.token}/pay/card/", HTTP_ACCEPT_LANGUAGE="vi", follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Hiện không kết nối được với dịch vụ thanh toán thẻ. Vui lòng thử lại sau ít phút." in html
    assert "ConnectionPool" not in html and "Max retries" not in html and "Errno" not in html
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


def test_webhook_signed_too_far_in_the_future_is_400(client, event, business_type, fake_stripe):
    """stripe-python only refuses old timestamps; 900 s ahead was accepted (issue #16)."""
    order = place_order(event, business_type)

    response = signed(client, completed(order), timestamp=int(time.time()) + 900)

    assert response.status_code == 400
    assert Payment.objects.count() == 0 and StripeEvent.objects.count() == 0


def test_webhook_paid_in_another_currency_does_not_pay_the_order_and_organizers_see_it(
    client, event, business_type, fake_stripe
):
    order = place_order(event, business_type)
    delivery = completed(order)
    delivery["data"]["object"]["currency"] = "usd"

    response = signed(client, delivery)

    order.refresh_from_db()
    assert (response.status_code, response.content) == (200, b"wrong_currency")
    assert order.status == OrderStatus.PENDING
    assert Payment.objects.count() == 0
    assert list(order.notes.filter(action="ticketing.payment.wrong_currency").values_list("detail", flat=True)) == [
        f"{order.total} USD (pi_test_1)"
    ]


def test_webhook_short_payment_says_so_and_leaves_the_order_pending(client, event, business_type, fake_stripe):
    order = place_order(event, business_type)

    response = signed(client, completed(order, amount=order.total - 1000))

    order.refresh_from_db()
    assert (response.status_code, response.content) == (200, b"short_payment")
    assert order.status == OrderStatus.PENDING
    assert list(Payment.objects.values_list("state", "amount")) == [(PaymentState.NEEDS_REFUND, order.total - 1000)]
    assert order.notes.filter(action="ticketing.payment.needs_refund").count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"amount_total": "abc"},
        {"amount_total": "1500000"},
        {"amount_total": 1500000.5},
        {"amount_total": True},
        {"amount_total": None},
        {"id": None},
        {"currency": 704},
        {"payment_intent": ["pi_1"]},
        {"client_reference_id": {"code": "x"}},
    ],
)
def test_signed_webhook_with_missing_or_badly_typed_fields_is_400_not_500(
    client, event, business_type, fake_stripe, change
):
    order = place_order(event, business_type)
    delivery = completed(order)
    delivery["data"]["object"].update(change)
    if change == {"id": None}:
        del delivery["data"]["object"]["id"]

    response = signed(client, delivery)

    order.refresh_from_db()
    assert response.status_code == 400
    assert order.status == OrderStatus.PENDING
    assert Payment.objects.count() == 0 and StripeEvent.objects.count() == 0


@pytest.mark.parametrize("event_id", [None, 42, ""])
def test_signed_webhook_without_a_usable_event_id_is_400(client, event, business_type, fake_stripe, event_id):
    order = place_order(event, business_type)
    delivery = completed(order, event_id=event_id)

    assert signed(client, delivery).status_code == 400
    assert StripeEvent.objects.count() == 0


def test_signed_refund_with_badly_typed_fields_is_400(client, fake_stripe):
    delivery = refunded()
    delivery["data"]["object"]["refunded"] = "yes"

    assert signed(client, delivery).status_code == 400
    assert StripeEvent.objects.count() == 0
