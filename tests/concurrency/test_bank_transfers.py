"""One bank transfer reported at the same instant by SePay, by Casso and by two statement imports pays once.

Real concurrent HTTP requests to pytest-django's live server (one thread and one
database connection per request), on SQLite and on PostgreSQL. What makes it
hold: payments.confirm_payment locks the order row, then looks the bank's
reference up, so the racer that waited finds the winner's payment; the unique
(provider, provider reference) constraint is the backstop.
"""

import json
import secrets
import threading
import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test import Client
from django.urls import reverse

from tests.ticketing.factories import make_business_type, place_order
from tests.ticketing.test_bank_feeds import casso_signature
from ticketing.enums import OrderStatus, PaymentProvider, PaymentState, TransferOutcome
from ticketing.models import BankTransfer, Payment

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

REFERENCE = "FT27330123456789"
DELIVERIES = 6  # per webhook service: a retry storm


@pytest.fixture(autouse=True)
def bank_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEPAY_WEBHOOK_API_KEY = "sepay-key"
    settings.CASSO_WEBHOOK_SECRET = "casso-key"


def request(url, body: bytes, headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def previewed_session(organizer, event, order):
    """An organizer session that has previewed the statement; returns the headers and body of "Apply"."""
    statement = f"Ngày giao dịch,Số bút toán,Ghi nợ,Ghi có,Mô tả\n26/11/2027,{REFERENCE},,1.500.000,{order.code}\n"
    client = Client()
    client.force_login(organizer)
    client.post(
        reverse("admin:ticketing_bank_statement"),
        {"event": event.pk, "statement": SimpleUploadedFile("saoke.csv", statement.encode())},
    )
    token = secrets.token_hex(16)  # an unmasked CSRF secret, sent as cookie and field alike
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"
    body = f"event={event.pk}&apply=1&csrfmiddlewaretoken={token}".encode()
    return {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, body


def test_webhooks_and_statement_imports_racing_for_one_transfer_pay_once(live_server, event, organizer):
    order = place_order(event, make_business_type(event))
    sepay = json.dumps(
        {
            "id": 92704,
            "transferType": "in",
            "transferAmount": 1_500_000,
            "content": f"{order.code} CK",
            "referenceCode": REFERENCE,
            "transactionDate": "2027-11-26 09:30:12",
            "accountNumber": "",
        }
    ).encode()
    casso_body = {
        "error": 0,
        "data": {
            "id": 55012,
            "reference": REFERENCE,
            "description": f"CK {order.code}",
            "amount": 1_500_000,
            "transactionDateTime": "2027-11-26 09:30:12",
        },
    }
    calls = [
        (
            f"{live_server.url}/bank/sepay/webhook/",
            sepay,
            {"Authorization": "Apikey sepay-key", "Content-Type": "application/json"},
        ),
    ] * DELIVERIES + [
        (
            f"{live_server.url}/bank/casso/webhook/",
            json.dumps(casso_body).encode(),
            {"X-Casso-Signature": casso_signature(casso_body, "casso-key"), "Content-Type": "application/json"},
        ),
    ] * DELIVERIES
    apply_url = live_server.url + reverse("admin:ticketing_bank_statement")
    calls += [
        (apply_url, body, headers) for headers, body in (previewed_session(organizer, event, order) for _ in range(2))
    ]
    barrier = threading.Barrier(len(calls))
    answers = [None] * len(calls)

    def send(index):
        barrier.wait()
        answers[index] = request(*calls[index])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [status for status, _ in answers] == [200] * len(calls)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert list(Payment.objects.values_list("amount", "state")) == [(1_500_000, PaymentState.CONFIRMED)]
    rows = sorted(BankTransfer.objects.values_list("feed", "outcome"))
    # One row per feed (both imports are the same statement line); whichever came first paid.
    assert sorted(feed for feed, _outcome in rows) == ["casso", "sepay", "statement"]
    assert sorted(outcome for _feed, outcome in rows) == sorted(
        [TransferOutcome.PAID, TransferOutcome.ALREADY_RECORDED, TransferOutcome.ALREADY_RECORDED]
    )


def test_control_looking_the_reference_up_before_the_lock_lets_racers_collide(event):
    """The race is real: 'look the reference up, then insert' lets every racer past the look-up.

    This is what confirm_payment did before the look-up moved behind the order's
    lock: all but one racer then hit the unique constraint (a 500 to the bank).
    """
    order = place_order(event, make_business_type(event))
    racers = 4
    barrier = threading.Barrier(racers)
    collided = []

    def naive_recorder():
        try:
            found = Payment.objects.filter(provider=PaymentProvider.BANK_TRANSFER, external_id=REFERENCE).exists()
            barrier.wait()
            if not found:
                try:
                    Payment.objects.create(
                        order=order, provider=PaymentProvider.BANK_TRANSFER, amount=1, external_id=REFERENCE
                    )
                except IntegrityError:
                    collided.append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=naive_recorder) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(collided) == racers - 1
