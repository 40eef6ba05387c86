"""Transfers that pay orders by themselves: SePay and Casso webhooks through their URLs, the review list."""

import json

import pytest
from django.urls import reverse

from ticketing.enums import BankFeed, OrderStatus, PaymentState, TransferOutcome
from ticketing.models import BankTransfer, Payment
from ticketing.services.transfers import import_bank_statement, mark_reviewed, order_named_in, review_list

from .factories import BUYER, order_for, passes, place_order
from .test_bank_feeds import casso_signature

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def vietnamese():
    """Outcome texts are asserted in Vietnamese, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("vi"):
        yield


KEY = "sepay-key-5f2c9a"
CASSO_KEY = "casso-checksum-key-81d0"
ACCOUNT = "0011004239876"


@pytest.fixture(autouse=True)
def bank_settings(settings):
    settings.SEPAY_WEBHOOK_API_KEY = KEY
    settings.CASSO_WEBHOOK_SECRET = CASSO_KEY
    settings.VIETQR_BANK = {**settings.VIETQR_BANK, "account": ACCOUNT}


def sepay(id, content, amount=1_500_000, *, kind="in", reference=None, account=ACCOUNT):
    return {
        "id": id,
        "gateway": "Vietcombank",
        "transactionDate": "2027-11-26 09:30:12",
        "accountNumber": account,
        "code": None,
        "content": content,
        "transferType": kind,
        "transferAmount": amount,
        "accumulated": 21_500_000,
        "subAccount": None,
        "referenceCode": reference if reference is not None else f"FT2733{id:08d}",
        "description": f"BankAPINotify {content}",
    }


def post_sepay(client, body, key=KEY):
    return client.post(
        reverse("ticketing:sepay_webhook"),
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Apikey {key}"},
    )


def test_sepay_transfer_naming_the_order_pays_it(client, event, business_type):
    order = place_order(event, business_type)
    response = post_sepay(client, sepay(92704, f"MBVCB.5217.{order.code}.CT tu 0451000123456"))
    assert (response.status_code, response.json()) == (200, {"success": True, "outcome": "paid"})
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    payment = Payment.objects.get()
    assert (payment.amount, payment.external_id, payment.state) == (1_500_000, "bank:FT273300092704", "confirmed")


@pytest.mark.parametrize(
    "write", [str.lower, lambda c: f"{c[:3]} {c[3:6]} {c[6:]}", lambda c: f"{c[:3]}-{c[3:]}", lambda c: f"x.{c}.y"]
)
def test_reference_reformatted_by_the_bank_still_matches(event, business_type, write):
    order = place_order(event, business_type)
    assert order_named_in(f"CT DEN {write(order.code)} thanh toan") == order


def test_message_naming_two_orders_matches_neither(event, business_type):
    first = place_order(event, business_type)
    second = order_for(event, dict(BUYER), passes(business_type, 1, offset=1))
    assert order_named_in(f"{first.code} {second.code}") is None


def test_replayed_and_out_of_order_deliveries_apply_once(client, event, business_type):
    order = place_order(event, business_type)
    full, partial = sepay(102, f"{order.code}"), sepay(101, f"{order.code} dot 1", amount=500_000)
    answers = [post_sepay(client, body).json()["outcome"] for body in (full, partial, full, partial, full)]
    assert answers == ["paid", "needs_refund", "paid", "needs_refund", "paid"]
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert sorted(Payment.objects.values_list("amount", "state")) == [
        (500_000, PaymentState.NEEDS_REFUND),
        (1_500_000, PaymentState.CONFIRMED),
    ]
    assert BankTransfer.objects.count() == 2


@pytest.mark.parametrize(
    ("amount", "outcome"), [(1_499_999, TransferOutcome.NEEDS_REFUND), (3_000_000, TransferOutcome.NEEDS_REFUND)]
)
def test_short_or_over_payment_never_pays_and_goes_to_review(client, event, business_type, amount, outcome):
    order = place_order(event, business_type)
    assert post_sepay(client, sepay(7, order.code, amount)).json()["outcome"] == outcome
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert [(t.order, t.amount) for t in review_list()] == [(order, amount)]


def test_unknown_reference_goes_to_review(client, event, business_type):
    place_order(event, business_type)
    assert post_sepay(client, sepay(8, "KOLZZZZZZZ chuyen tien")).json()["outcome"] == "unknown_reference"
    [transfer] = review_list()
    assert (transfer.order, transfer.content) == (None, "KOLZZZZZZZ chuyen tien")
    assert Payment.objects.count() == 0


def test_money_going_out_is_ignored_even_naming_an_order_with_its_total(client, event, business_type):
    order = place_order(event, business_type)
    assert post_sepay(client, sepay(9, order.code, kind="out")).json() == {
        "success": True,
        "outcome": "ignored_outgoing",
    }
    order.refresh_from_db()
    assert (order.status, BankTransfer.objects.count()) == (OrderStatus.PENDING, 0)


def test_transfer_to_another_account_is_ignored(client, event, business_type):
    order = place_order(event, business_type)
    response = post_sepay(client, sepay(10, order.code, account="9999999999"))
    assert response.json()["outcome"] == "ignored_other_account"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@pytest.mark.parametrize("key", ["wrong-key", "", KEY.upper()])
def test_forged_sepay_key_is_refused_and_nothing_is_read(client, event, business_type, key):
    order = place_order(event, business_type)
    response = post_sepay(client, sepay(11, order.code), key=key)
    assert (response.status_code, response.json()) == (401, {"success": False, "error": "unauthorized"})
    order.refresh_from_db()
    assert (order.status, BankTransfer.objects.count()) == (OrderStatus.PENDING, 0)


def test_unconfigured_webhook_refuses_everyone(client, settings, event, business_type):
    settings.SEPAY_WEBHOOK_API_KEY = ""
    order = place_order(event, business_type)
    response = client.post(
        reverse("ticketing:sepay_webhook"), data=json.dumps(sepay(12, order.code)), content_type="application/json"
    )
    assert response.status_code == 401


def test_authenticated_but_malformed_delivery_is_a_400(client):
    response = post_sepay(client, {"id": 1, "transferType": "in"})
    assert (response.status_code, response.json()) == (400, {"success": False, "error": "malformed"})


def test_casso_transfer_pays_the_order_and_a_forged_one_is_refused(client, event, business_type):
    order = place_order(event, business_type)
    body = {
        "error": 0,
        "data": {
            "id": 55012,
            "reference": "FT27330555012",
            "description": f"CONG TY ANH DUONG CK {order.code}",
            "amount": 1_500_000,
            "runningBalance": 21_500_000,
            "transactionDateTime": "2027-11-26 09:30:12",
            "accountNumber": ACCOUNT,
            "bankName": "Vietcombank",
            "bankAbbreviation": "VCB",
        },
    }
    url = reverse("ticketing:casso_webhook")
    forged = client.post(
        url,
        json.dumps(body),
        content_type="application/json",
        headers={"X-Casso-Signature": casso_signature(body, "x")},
    )
    assert forged.status_code == 401
    good = client.post(
        url,
        json.dumps(body),
        content_type="application/json",
        headers={"X-Casso-Signature": casso_signature(body, CASSO_KEY)},
    )
    assert (good.status_code, good.json()) == (200, {"success": True, "outcome": "paid"})
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_webhook_then_statement_for_one_transfer_pays_once(client, event, business_type, organizer):
    order = place_order(event, business_type)
    post_sepay(client, sepay(13, order.code, reference="FT27330123456789"))
    statement = f"Ngày giao dịch,Số bút toán,Ghi có,Mô tả\n26/11/2027,FT27330123456789,1.500.000,{order.code}\n"
    assert import_bank_statement(event=event, data=statement.encode(), by=organizer) == [
        (2, order.code, "Đã ghi nhận trước đó.")
    ]
    assert Payment.objects.count() == 1
    assert sorted(BankTransfer.objects.values_list("feed", "outcome")) == [
        (BankFeed.SEPAY, TransferOutcome.PAID),
        (BankFeed.STATEMENT, TransferOutcome.ALREADY_RECORDED),
    ]


def test_payment_after_expiry_with_seats_still_free_revives_the_order(client, event, business_type):
    from django.utils import timezone

    from ticketing.services.orders import expire_orders

    order = place_order(event, business_type)
    expire_orders(now=timezone.now() + timezone.timedelta(days=30))
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    assert post_sepay(client, sepay(14, order.code)).json()["outcome"] == "paid"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_transfer_marked_received_by_hand_then_reported_by_sepay_pays_once(client, event, business_type, organizer):
    from ticketing.services.payments import mark_transfer_received

    order = place_order(event, business_type)
    mark_transfer_received(order=order, by=organizer, reference="ft 2733-0000 0016")
    assert post_sepay(client, sepay(16, order.code, reference="FT273300000016")).json()["outcome"] == "already_recorded"
    assert list(Payment.objects.values_list("state", flat=True)) == [PaymentState.CONFIRMED]
    assert list(review_list()) == []


def test_reviewed_transfer_leaves_the_review_list(client, event, business_type, organizer):
    post_sepay(client, sepay(15, "chuyen tien khong ghi ma"))
    [transfer] = review_list()
    mark_reviewed(transfer=transfer, by=organizer)
    assert list(review_list()) == []
    transfer.refresh_from_db()
    assert transfer.reviewed_by == organizer


@pytest.mark.parametrize("size", [1, 3])
def test_review_list_page_queries_do_not_grow(organizer_client, client, count_queries, event, business_type, size):
    for index in range(size):
        post_sepay(client, sepay(100 + index, f"khong ro {index}"))
    url = reverse("admin:ticketing_banktransfer_changelist") + "?review=todo"
    response = organizer_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("khong ro") == size
    queries = count_queries(lambda: organizer_client.get(url))
    assert queries == 7  # session, user, permissions, counts, the page: the same for 1 and 3 transfers


def test_review_list_refuses_door_staff(client, door_staff):
    door_staff.is_staff = True
    door_staff.save()
    client.force_login(door_staff)
    response = client.get(reverse("admin:ticketing_banktransfer_changelist"))
    assert response.status_code == 403
