"""Fair sales (issue #16, item 3), replayed against gunicorn.

The review sent 34 anonymous `POST /api/v1/events/<slug>/orders` in 1.8 s, held all 291 business passes
for 24 h, and real buyers got `sold_out`. Here the same burst, then a buyer who proved their mailbox
tries to hoard with many orders, and a real buyer orders after both.
"""

import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.ticketing.factories import BUYER, make_business_type

from .conftest import submit

pytestmark = pytest.mark.django_db(transaction=True)

SEATS = 12
_attendees = itertools.count()


ATTACKER, REAL_BUYER = "203.0.113.7", "198.51.100.20"  # as nginx appends them to X-Forwarded-For


def _order(base, event, ticket_type, count, *, email="ke.dau.co@example.vn", token=None, address=ATTACKER):
    body = {
        "buyer": {**BUYER, "email": email},
        "passes": [
            {
                "ticket_type": ticket_type.pk,
                "attendee_name": "Khách Mời",
                "attendee_email": f"khach{next(_attendees)}@example.vn",
            }
            for _ in range(count)
        ],
        "attendees_consent": True,
    }
    headers = {"Connection": "close", "X-Forwarded-For": address, **({"X-Registration-Token": token} if token else {})}
    answer = requests.post(f"{base}/api/v1/events/{event.slug}/orders", json=body, headers=headers, timeout=30)
    return answer.status_code, answer.json()["code"] if answer.status_code >= 400 else ""


def _taken(ticket_type):
    quota = ticket_type.quotas.get()
    quota.refresh_from_db()
    return quota.taken


def test_an_anonymous_burst_of_orders_holds_no_seat_and_is_limited(gunicorn_server, event):
    from tests.events.factories import make_participant

    ticket_type = make_business_type(event, seats=SEATS, max_per_order=10)
    real = make_participant(event, category="business", status="approved", email="mua.that@example.vn")
    base, _log = gunicorn_server(RATE_LIMIT_ORDER="10/h", BEHIND_PROXY=1, TRUSTED_PROXIES="127.0.0.1")

    with ThreadPoolExecutor(8) as pool:
        burst = list(pool.map(lambda _n: _order(base, event, ticket_type, 10), range(34)))
    seats_after_burst = _taken(ticket_type)
    served = _order(base, event, ticket_type, 1, email=real.email, token=real.token, address=REAL_BUYER)

    assert sorted(burst) == sorted([(202, "")] * 10 + [(429, "rate_limited")] * 24)
    assert seats_after_burst == 0  # an order nobody confirmed from the buyer's mailbox holds nothing
    assert served == (201, "")  # another address: the attacker's limit is not the real buyer's


def test_a_verified_hoarder_holds_at_most_the_cap_and_real_buyers_are_still_served(gunicorn_server, event):
    from tests.events.factories import make_participant

    ticket_type = make_business_type(event, seats=SEATS, max_per_order=5)
    hoarder = make_participant(event, category="business", status="approved", email="ke.dau.co@example.vn")
    real = make_participant(event, category="business", status="approved", email="mua.that@example.vn")
    base, _log = gunicorn_server(TICKETING_MAX_OPEN_ORDERS_PER_BUYER=2, BEHIND_PROXY=1, TRUSTED_PROXIES="127.0.0.1")

    hoarding = [_order(base, event, ticket_type, 5, email=hoarder.email, token=hoarder.token) for _ in range(4)]
    served = _order(base, event, ticket_type, 2, email=real.email, token=real.token, address=REAL_BUYER)

    assert hoarding == [(201, ""), (201, ""), (409, "too_many_open_orders"), (409, "too_many_open_orders")]
    assert served == (201, "")
    assert _taken(ticket_type) == 2 * 5 + 2


def test_an_unpaid_order_holds_its_seats_for_the_time_its_payment_method_is_given_then_lets_go(gunicorn_server, event):
    """Minutes for a card checkout, longer once the buyer chose a bank transfer (the review's orders held 24 h)."""
    from datetime import timedelta

    from tests.events.factories import make_participant
    from ticketing.models import Order
    from ticketing.services.orders import expire_orders

    ticket_type = make_business_type(event, seats=SEATS)
    card_buyer = make_participant(event, category="business", status="approved", email="the@example.vn")
    transfer_buyer = make_participant(event, category="business", status="approved", email="chuyen@example.vn")
    base, _log = gunicorn_server(TICKETING_CARD_HOLD_MINUTES=15, TICKETING_TRANSFER_HOLD_MINUTES=600)

    _order(base, event, ticket_type, 2, email=card_buyer.email, token=card_buyer.token)
    _order(base, event, ticket_type, 3, email=transfer_buyer.email, token=transfer_buyer.token)
    by_transfer = Order.objects.get(buyer=transfer_buyer)
    chosen = submit(
        requests.Session(),
        f"{base}/orders/{by_transfer.token}/",
        {},
        to=f"{base}/orders/{by_transfer.token}/pay/transfer/",
    )
    card, transfer = Order.objects.get(buyer=card_buyer), Order.objects.get(buyer=transfer_buyer)

    assert chosen.status_code == 200
    assert (card.expires_at - card.confirmed_at, transfer.expires_at - transfer.confirmed_at) == (
        timedelta(minutes=15),
        timedelta(minutes=600),
    )
    assert _taken(ticket_type) == 5
    expire_orders(now=card.confirmed_at + timedelta(minutes=16))
    assert _taken(ticket_type) == 3  # the card order let its two seats go; the transfer still holds
    expire_orders(now=transfer.confirmed_at + timedelta(minutes=601))
    assert _taken(ticket_type) == 0
