from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from events.errors import Conflict, DomainError
from tests.events.factories import make_participant
from ticketing.apps import EXPIRY_SCHEDULE
from ticketing.enums import OrderStatus
from ticketing.errors import SoldOut
from ticketing.models import Order, OrderPosition, Quota, Voucher
from ticketing.services.orders import (
    PassRequest,
    cancel_order,
    choose_bank_transfer,
    confirm_order,
    create_order,
    expire_orders,
)

from .factories import BUYER, make_business_type, make_free_type, make_voucher, order_for, passes, place_order

pytestmark = pytest.mark.django_db


def test_create_order_prices_every_pass_from_the_ticket_type(event, business_type):
    order = place_order(event, business_type, 3)
    assert order.status == OrderStatus.PENDING
    assert (order.subtotal, order.discount, order.total) == (4_500_000, 0, 4_500_000)
    assert list(order.positions.values_list("attendee_name", "price")) == [
        ("Nguyễn Thu Hà", 1_500_000),
        ("Trần Quang Long", 1_500_000),
        ("Lê Ngọc Ánh", 1_500_000),
    ]
    assert Quota.objects.get().taken == 3
    assert order.code.startswith("KOL") and len(order.code) == 10


def test_create_order_sets_the_card_hold_from_settings(event, business_type, settings):
    settings.TICKETING_CARD_HOLD_MINUTES = 45
    now = timezone.now()
    order = place_order(event, business_type, now=now)
    assert (order.confirmed_at, order.expires_at) == (now, now + timedelta(minutes=45))


def test_an_order_placed_without_proof_of_the_address_holds_nothing(event, business_type):
    voucher = make_voucher(event)
    order = create_order(event=event, buyer=dict(BUYER), passes=passes(business_type, 2), voucher_code=voucher.code)
    voucher.refresh_from_db()
    assert (order.status, order.expires_at, order.confirmed_at) == (OrderStatus.UNCONFIRMED, None, None)
    assert (Quota.objects.get().taken, voucher.times_used) == (0, 0)


def test_confirming_takes_the_seats_and_the_voucher_use_once(event, business_type):
    voucher = make_voucher(event)
    order = create_order(event=event, buyer=dict(BUYER), passes=passes(business_type, 2), voucher_code=voucher.code)
    confirm_order(order=order)
    confirmed = confirm_order(order=order)  # a second click
    voucher.refresh_from_db()
    assert confirmed.status == OrderStatus.PENDING
    assert (Quota.objects.get().taken, voucher.times_used) == (2, 1)


def test_a_signed_in_buyer_orders_as_themselves_and_holds_at_once(event, business_type):
    buyer = make_participant(event, email="tuan.pham@saoviet.vn", status="approved", category="business")
    someone_else = {**BUYER, "email": "ke.gian@example.vn"}
    order = create_order(event=event, buyer=someone_else, passes=passes(business_type), buyer_participant=buyer)
    assert (order.status, order.buyer, order.buyer_email) == (OrderStatus.PENDING, buyer, "tuan.pham@saoviet.vn")
    assert Quota.objects.get().taken == 1


def test_sold_out_at_confirmation_leaves_the_order_unconfirmed_and_holding_nothing(event):
    ticket_type = make_business_type(event, seats=2)
    voucher = make_voucher(event, max_usages=5)
    order = create_order(event=event, buyer=dict(BUYER), passes=passes(ticket_type, 3), voucher_code=voucher.code)
    with pytest.raises(SoldOut) as error:
        confirm_order(order=order)
    order.refresh_from_db()
    voucher.refresh_from_db()
    assert (error.value.code, error.value.status) == ("sold_out", 409)
    assert (order.status, Quota.objects.get().taken, voucher.times_used) == (OrderStatus.UNCONFIRMED, 0, 0)


def test_a_confirmation_link_lapses_after_its_window(event, business_type, settings):
    settings.TICKETING_CONFIRMATION_MINUTES = 60
    placed_at = timezone.now() - timedelta(minutes=61)
    order = create_order(event=event, buyer=dict(BUYER), passes=passes(business_type), now=placed_at)
    with pytest.raises(DomainError) as error:
        confirm_order(order=order)
    assert error.value.code == "confirmation_expired"
    assert expire_orders() == 1
    order.refresh_from_db()
    assert (order.status, Quota.objects.get().taken) == (OrderStatus.EXPIRED, 0)


def test_a_buyer_may_hold_only_so_many_unpaid_orders(event, business_type, settings):
    settings.TICKETING_MAX_OPEN_ORDERS_PER_BUYER = 2
    place_order(event, business_type, 1)
    order_for(event, dict(BUYER), passes(business_type, 1, offset=1))
    third = create_order(event=event, buyer=dict(BUYER), passes=passes(business_type, 1, offset=2))
    with pytest.raises(Conflict) as error:
        confirm_order(order=third)
    third.refresh_from_db()
    assert error.value.code == "too_many_open_orders"
    assert (third.status, Quota.objects.get().taken) == (OrderStatus.UNCONFIRMED, 2)


def test_choosing_a_bank_transfer_holds_the_seats_longer_once(event, business_type, settings):
    settings.TICKETING_CARD_HOLD_MINUTES, settings.TICKETING_TRANSFER_HOLD_MINUTES = 30, 1440
    now = timezone.now()
    order = place_order(event, business_type, now=now)
    chosen = choose_bank_transfer(order=order)
    again = choose_bank_transfer(order=order)
    assert chosen.expires_at == again.expires_at == now + timedelta(minutes=1440)
    assert list(order.notes.values_list("action", flat=True)) == [
        "ticketing.order.created",
        "ticketing.order.confirmed",
        "ticketing.order.transfer_chosen",
    ]


def test_create_order_respects_the_event_wide_capacity(event):
    ticket_type = make_business_type(event, seats=10)
    Quota.objects.create(event=event, name="Hội trường", size=2, whole_event=True)
    place_order(event, ticket_type, 2)
    with pytest.raises(SoldOut):
        order_for(event, dict(BUYER), passes(ticket_type, 1, offset=2))
    assert OrderPosition.objects.filter(order__status=OrderStatus.PENDING).count() == 2


@pytest.mark.parametrize("count", [0, 21])
def test_create_order_with_a_bad_quantity_is_refused(event, business_type, count):
    requests = [
        PassRequest(ticket_type_id=business_type.pk, attendee_name=f"Người {i}", attendee_email=f"n{i}@example.vn")
        for i in range(count)
    ]
    with pytest.raises(DomainError) as error:
        order_for(event, dict(BUYER), requests)
    assert error.value.code == "invalid_quantity"
    assert Order.objects.count() == 0


def test_create_order_above_the_per_type_limit_is_refused(event):
    ticket_type = make_business_type(event, max_per_order=2)
    with pytest.raises(DomainError) as error:
        place_order(event, ticket_type, 3)
    assert error.value.code == "invalid_quantity"


def test_create_order_for_a_free_ticket_type_is_refused(event):
    free = make_free_type(event)
    with pytest.raises(DomainError) as error:
        place_order(event, free)
    assert error.value.code == "unknown_ticket_type"


def test_create_order_for_another_events_type_is_refused(event):
    from events.models import Event

    other = Event.objects.create(slug="khac", name_vi="Sự kiện khác", start_date="2027-01-01", end_date="2027-01-01")
    with pytest.raises(DomainError) as error:
        order_for(event, dict(BUYER), passes(make_business_type(other)))
    assert error.value.code == "unknown_ticket_type"


def test_create_order_outside_the_sale_window_is_refused(event):
    ticket_type = make_business_type(event, sale_end=timezone.now() - timedelta(minutes=1))
    with pytest.raises(DomainError) as error:
        place_order(event, ticket_type)
    assert error.value.code == "not_on_sale"


def test_create_order_with_the_same_attendee_twice_is_refused(event, business_type):
    twice = passes(business_type, 1) * 2
    with pytest.raises(DomainError) as error:
        order_for(event, dict(BUYER), twice)
    assert error.value.code == "duplicate_attendee"


def test_create_order_for_an_attendee_who_holds_a_pass_is_refused(event, business_type):
    place_order(event, business_type)
    with pytest.raises(DomainError) as error:
        place_order(event, business_type)
    assert error.value.code == "attendee_has_pass"


def test_percentage_voucher_discounts_only_its_ticket_types(event):
    business = make_business_type(event)
    workshop = make_business_type(event, price=500_000, name_vi="Hội thảo chuyên đề")
    make_voucher(event, "GIAM20", value=20, ticket_types=[business])
    order = create_order(
        event=event,
        buyer=dict(BUYER),
        passes=passes(business, 1) + passes(workshop, 1, offset=1),
        voucher_code="giam20",
    )
    assert (order.subtotal, order.discount, order.total) == (2_000_000, 300_000, 1_700_000)


def test_fixed_voucher_never_discounts_below_zero(event):
    ticket_type = make_business_type(event, price=200_000)
    make_voucher(event, "TANG", kind="fixed", value=500_000)
    order = place_order(event, ticket_type, voucher_code="TANG")
    assert (order.subtotal, order.discount, order.total) == (200_000, 200_000, 0)
    assert order.status == OrderStatus.PAID  # nothing to pay: confirmed at once


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"valid_until": timezone.now() - timedelta(days=1)}, "voucher_expired"),
        ({"valid_from": timezone.now() + timedelta(days=1)}, "voucher_expired"),
    ],
)
def test_voucher_outside_its_window_is_refused(event, business_type, fields, code):
    voucher = make_voucher(event)
    Voucher.objects.filter(pk=voucher.pk).update(**fields)
    with pytest.raises(DomainError) as error:
        place_order(event, business_type, voucher_code=voucher.code)
    assert error.value.code == code
    assert Quota.objects.get().taken == 0


def test_unknown_voucher_is_refused(event, business_type):
    with pytest.raises(DomainError) as error:
        place_order(event, business_type, voucher_code="KHONGCO")
    assert error.value.code == "invalid_voucher"


def test_voucher_at_its_limit_is_used_up(event, business_type):
    voucher = make_voucher(event, max_usages=1)
    place_order(event, business_type, voucher_code=voucher.code)
    with pytest.raises(DomainError) as error:
        create_order(
            event=event, buyer=dict(BUYER), passes=passes(business_type, 1, offset=1), voucher_code="HIEPHOI20"
        )
    assert error.value.code == "voucher_used_up"
    assert Order.objects.count() == 1


def test_voucher_for_other_ticket_types_is_not_applicable(event, business_type):
    other = make_business_type(event, name_vi="Khác")
    make_voucher(event, ticket_types=[other])
    with pytest.raises(DomainError) as error:
        place_order(event, business_type, voucher_code="HIEPHOI20")
    assert error.value.code == "voucher_not_applicable"


def test_expire_orders_gives_back_seats_and_voucher_uses(event, business_type):
    voucher = make_voucher(event)
    order = place_order(event, business_type, 2, voucher_code=voucher.code)
    assert expire_orders(now=order.expires_at - timedelta(seconds=1)) == 0
    assert expire_orders(now=order.expires_at) == 1
    order.refresh_from_db()
    voucher.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    assert Quota.objects.get().taken == 0
    assert voucher.times_used == 0
    assert expire_orders(now=order.expires_at) == 0  # a second sweep changes nothing


def test_expire_orders_command_expires_overdue_orders(event, business_type, capsys):
    order = place_order(event, business_type, now=timezone.now() - timedelta(days=2))
    call_command("expire_orders")
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    assert capsys.readouterr().out.strip() == "1 order(s) expired."


def test_expiry_is_scheduled_in_django_q_after_migrate():
    schedule = Schedule.objects.get(name=EXPIRY_SCHEDULE)
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "ticketing.tasks.expire_orders",
        Schedule.MINUTES,
        5,
    )


def test_cancel_order_gives_back_seats_once(event, business_type):
    order = place_order(event, business_type, 2)
    cancel_order(order=order)
    assert Quota.objects.get().taken == 0
    with pytest.raises(DomainError) as error:
        cancel_order(order=order)
    assert error.value.code == "not_pending"
    assert Quota.objects.get().taken == 0


def test_an_order_without_proof_emails_the_buyer_a_confirmation_link(
    event, business_type, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = create_order(event=event, buyer=dict(BUYER), passes=passes(business_type, 2))
    [message] = mailoutbox
    assert message.to == ["tuan.pham@saoviet.vn"]
    assert order.code in message.subject
    assert f"/orders/{order.token}/" in message.body
    assert "Xác nhận đơn hàng" in message.body


def test_a_confirmed_order_emails_the_buyer_the_order_page(
    event, business_type, bank_settings, mailoutbox, django_capture_on_commit_callbacks
):
    order = create_order(event=event, buyer=dict(BUYER), passes=passes(business_type, 2))
    with django_capture_on_commit_callbacks(execute=True):
        confirm_order(order=order)
    [message] = mailoutbox
    assert message.to == ["tuan.pham@saoviet.vn"]
    assert order.code in message.subject
    assert f"/orders/{order.token}/" in message.body
    assert "3.000.000 ₫" in message.body
    assert "0011004239876" in message.body


def test_create_order_for_a_type_not_sold_to_businesses_is_refused(event):
    kol_workshop = make_business_type(event, categories=["kol"])
    with pytest.raises(DomainError) as error:
        place_order(event, kol_workshop)
    assert error.value.code == "unknown_ticket_type"
