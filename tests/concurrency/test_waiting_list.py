"""A waiting-list offer racing direct purchases for the last seat, as real concurrent HTTP requests (issue #19).

Run against pytest-django's live server (one thread and one database connection
per request) on SQLite and on PostgreSQL. The offered person uses the pages as a
browser does (GET the page for its CSRF cookie and token, then POST the form);
the direct buyers use the API with their registration token, as in
test_ticketing_rush.py.
"""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar

import pytest
from django.db import connection
from django.urls import reverse

from tests.concurrency.test_ticketing_rush import order_body, post_json, verified_buyers
from tests.ticketing.factories import make_business_type, place_order
from ticketing.enums import HOLDING_SEATS, WaitingStatus
from ticketing.models import Order, Quota, WaitingListEntry
from ticketing.services import orders, waitlist

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

DIRECT_BUYERS = 8


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the answer itself (302 and its Location) is what the test looks at


class Visitor:
    """One person's browser: its own cookies, the CSRF token of the last page opened, form POSTs."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)
        self.csrf = ""

    def open(self, path):
        with self.opener.open(self.base_url + path, timeout=60) as response:
            page = response.read().decode()
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return page

    def post(self, path, fields):
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf}).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base_url + path, data=data), timeout=60) as response:
                return response.status, ""
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")


def all_at_once(actions):
    """Run every action at the same instant (threads released together by a barrier); their results in order."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index):
        barrier.wait()
        results[index] = actions[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def last_seat(event):
    """One business seat, held by a pending order; Hoàng Minh Châu is first in line for it."""
    ticket_type = make_business_type(event, seats=1)
    order = place_order(event, ticket_type)
    joiner = waitlist.Joiner(name="Hoàng Minh Châu", email="chau@hoangkim.vn", organization="Công ty TNHH Hoàng Kim")
    entry = waitlist.join_waiting_list(ticket_type=ticket_type, joiner=joiner)
    return ticket_type, order, waitlist.confirm_place(entry=entry)


def direct_purchases(live_server, event, ticket_type):
    url = f"{live_server.url}/api/v1/events/{event.slug}/orders"
    tokens = verified_buyers(event, DIRECT_BUYERS)
    return [
        lambda index=index: post_json(url, order_body(ticket_type, index), tokens[index])
        for index in range(DIRECT_BUYERS)
    ]


def offered_purchase(live_server, entry):
    visitor = Visitor(live_server.url)
    visitor.open(reverse("ticketing:waitlist_entry", args=[entry.token]))
    fields = {"attendee_name": "Hoàng Minh Châu", "attendee_email": "chau@hoangkim.vn", "attendees_consent": "on"}
    return lambda: visitor.post(reverse("ticketing:waitlist_buy", args=[entry.token]), fields)


def holding_orders(ticket_type):
    return Order.objects.filter(status__in=HOLDING_SEATS, positions__ticket_type=ticket_type)


def test_the_offer_and_direct_purchases_race_for_the_last_seat_and_only_the_offer_gets_it(live_server, last_seat):
    ticket_type, order, entry = last_seat
    orders.cancel_order(order=order)  # the seat frees: it is held for the first in line
    buy_offer = offered_purchase(live_server, entry)

    offer, *direct = all_at_once([buy_offer, *direct_purchases(live_server, ticket_type.event, ticket_type)])

    winner = Order.objects.get(buyer_email="chau@hoangkim.vn")
    assert offer == (302, reverse("ticketing:order", args=[winner.token]))
    assert Counter(status for status, _body in direct) == {409: DIRECT_BUYERS}
    assert {body["code"] for _status, body in direct} == {"sold_out"}
    assert list(holding_orders(ticket_type)) == [winner]
    assert Quota.objects.get().taken == 1
    assert WaitingListEntry.objects.get().status == WaitingStatus.BOUGHT


def test_a_seat_freed_while_direct_purchases_race_goes_to_the_line(live_server, last_seat):
    """The buyer cancels at the very moment eight others try to buy: the freed seat is offered, never sold."""
    ticket_type, order, entry = last_seat
    buyer = Visitor(live_server.url)
    buyer.open(reverse("ticketing:order", args=[order.token]))

    cancel, *direct = all_at_once(
        [
            lambda: buyer.post(reverse("ticketing:cancel", args=[order.token]), {}),
            *direct_purchases(live_server, ticket_type.event, ticket_type),
        ]
    )

    assert cancel[0] == 302
    assert Counter(status for status, _body in direct) == {409: DIRECT_BUYERS}
    assert not holding_orders(ticket_type).exists()
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.OFFERED
    assert Quota.objects.get().taken == 1  # held for the offer


def test_a_double_click_on_the_offer_buys_once(live_server, last_seat):
    ticket_type, order, entry = last_seat
    orders.cancel_order(order=order)
    first, second = offered_purchase(live_server, entry), offered_purchase(live_server, entry)

    answers = all_at_once([first, second, *direct_purchases(live_server, ticket_type.event, ticket_type)])

    assert sorted(status for status, _location in answers[:2]) == [302, 400]  # the second: "offer no longer open"
    assert holding_orders(ticket_type).count() == 1
    assert Quota.objects.get().taken == 1


def test_control_claiming_an_offer_by_read_check_write_sells_it_twice(last_seat):
    """The race is real: 'read the status, check it is offered, write bought' lets every click through.

    waitlist.claim_offer makes the check and the write one conditional UPDATE to close this gap.
    """
    ticket_type, order, entry = last_seat
    orders.cancel_order(order=order)
    racers = 6
    barrier = threading.Barrier(racers)
    claimed = []

    def naive_click():
        try:
            current = WaitingListEntry.objects.get(pk=entry.pk)
            still_offered = current.status == WaitingStatus.OFFERED
            barrier.wait()
            if still_offered:
                WaitingListEntry.objects.filter(pk=entry.pk).update(status=WaitingStatus.BOUGHT)
                claimed.append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=naive_click) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(claimed) == racers  # six purchases from one held seat
