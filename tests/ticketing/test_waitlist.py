"""The waiting list for sold-out passes: joining, offers of freed seats, buying an offer, lapses (issue #19 item 6)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

from events import privacy
from events.enums import Category, ParticipantStatus
from events.errors import Conflict, DomainError
from tests.events.factories import make_participant, open_personal_link
from ticketing.apps import WAITLIST_SCHEDULE
from ticketing.enums import OrderStatus, WaitingStatus
from ticketing.errors import SoldOut
from ticketing.models import Order, Quota, TicketType, WaitingListEntry
from ticketing.services import orders, payments, waitlist
from ticketing.services.orders import PassRequest

from .factories import BUYER, make_business_type, order_for, passes, place_order

pytestmark = pytest.mark.django_db


def joiner(index=0, language="vi"):
    names = ["Hoàng Minh Châu", "Bùi Thanh Tâm", "Đặng Quốc Bảo", "Ngô Thị Lan"]
    return waitlist.Joiner(
        name=names[index], email=f"cho{index}@hoangkim.vn", organization="Công ty TNHH Hoàng Kim", language=language
    )


@pytest.fixture
def jobs(django_capture_on_commit_callbacks):
    """Run the background jobs (the e-mails) queued inside the block, as the worker does after the commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def sold_out(event):
    """A business pass with one seat, held by a pending order of the Sao Việt buyer."""
    ticket_type = make_business_type(event, seats=1)
    order = place_order(event, ticket_type)
    return ticket_type, order


def in_line(ticket_type, index=0, language="vi"):
    """Someone who joined the line and opened the e-mailed link."""
    entry = waitlist.join_waiting_list(ticket_type=ticket_type, joiner=joiner(index, language))
    return waitlist.confirm_place(entry=entry)


def seats_taken(ticket_type):
    return Quota.objects.get(ticket_types=ticket_type).taken


def attendee(name="Hoàng Minh Châu", email="cho0@hoangkim.vn"):
    return PassRequest(ticket_type_id=0, attendee_name=name, attendee_email=email)


def test_joining_without_a_personal_link_waits_for_the_e_mailed_link(sold_out, mailoutbox, jobs):
    ticket_type, _order = sold_out

    with jobs():
        entry = waitlist.join_waiting_list(ticket_type=ticket_type, joiner=joiner())

    assert entry.status == WaitingStatus.UNCONFIRMED
    assert waitlist.place_in_line(entry) is None
    (mail,) = mailoutbox
    assert mail.to == ["cho0@hoangkim.vn"]
    link = settings.SITE_URL + reverse("ticketing:waitlist_entry", args=[entry.token])
    assert link in mail.body
    confirmed = waitlist.confirm_place(entry=entry)
    assert (confirmed.status, waitlist.place_in_line(confirmed)) == (WaitingStatus.WAITING, 1)


def test_the_line_counts_from_confirmation(sold_out):
    ticket_type, _order = sold_out
    first = waitlist.join_waiting_list(ticket_type=ticket_type, joiner=joiner(0))
    second = in_line(ticket_type, 1)

    first = waitlist.confirm_place(entry=first)

    assert [waitlist.place_in_line(second), waitlist.place_in_line(first)] == [1, 2]


def test_a_signed_in_participant_is_in_line_at_once(sold_out, mailoutbox):
    ticket_type, _order = sold_out
    person = make_participant(
        ticket_type.event, email="chau@hoangkim.vn", category=Category.BUSINESS, status=ParticipantStatus.APPROVED
    )

    entry = waitlist.join_waiting_list(ticket_type=ticket_type, joiner=joiner(0), participant=person)

    assert (entry.status, entry.email, entry.participant) == (WaitingStatus.WAITING, "chau@hoangkim.vn", person)
    assert mailoutbox == []


def test_joining_a_pass_still_on_sale_is_refused(event):
    ticket_type = make_business_type(event, seats=3)

    with pytest.raises(Conflict) as error:
        waitlist.join_waiting_list(ticket_type=ticket_type, joiner=joiner())

    assert error.value.code == "not_sold_out"
    assert WaitingListEntry.objects.count() == 0


def test_joining_twice_without_a_proven_address_answers_as_a_new_join_and_stores_nothing(sold_out, mailoutbox, jobs):
    ticket_type, _order = sold_out
    in_line(ticket_type)
    mailoutbox.clear()

    with jobs():
        again = waitlist.join_waiting_list(ticket_type=ticket_type, joiner=joiner())

    # No enumeration: a stranger cannot tell an address in line from a new one.
    assert again is None
    assert WaitingListEntry.objects.count() == 1
    assert mailoutbox == []


def test_joining_twice_is_refused_to_the_proven_owner(sold_out):
    ticket_type, _order = sold_out
    person = make_participant(ticket_type.event, email="cho0@hoangkim.vn", status=ParticipantStatus.APPROVED)
    in_line(ticket_type)

    with pytest.raises(Conflict) as error:
        waitlist.join_waiting_list(ticket_type=ticket_type, joiner=joiner(), participant=person)

    assert error.value.code == "already_in_line"


def test_an_address_holding_a_pass_is_not_told_apart_from_a_new_one(sold_out):
    ticket_type, order = sold_out
    holder = waitlist.Joiner(name="Nguyễn Thu Hà", email=order.positions.get().attendee_email)

    assert waitlist.join_waiting_list(ticket_type=ticket_type, joiner=holder) is None
    assert WaitingListEntry.objects.count() == 0


def test_the_join_page_answers_a_pass_holder_exactly_as_a_new_address(client, sold_out):
    ticket_type, order = sold_out
    url = reverse("ticketing:waitlist_join", args=[ticket_type.event.slug])
    answers = []
    for email in (order.positions.get().attendee_email, "moi@hoangkim.vn"):
        form = {"ticket_type": ticket_type.pk, "name": "Nguyễn Thu Hà", "email": email, "organization": "Hoàng Kim"}
        form.update({"consent": "on"})
        response = client.post(url, form, follow=True)
        answers.append((response.status_code, response.redirect_chain[-1][0] if response.redirect_chain else None))
    assert answers[0] == answers[1]
    assert answers[0][1] is not None
    assert WaitingListEntry.objects.filter(email="moi@hoangkim.vn").count() == 1


def test_someone_holding_a_pass_is_refused_when_signed_in(sold_out):
    ticket_type, order = sold_out
    email = order.positions.get().attendee_email
    person = make_participant(ticket_type.event, email=email, status=ParticipantStatus.APPROVED)

    with pytest.raises(Conflict) as error:
        waitlist.join_waiting_list(ticket_type=ticket_type, joiner=joiner(), participant=person)

    assert error.value.code == "attendee_has_pass"


def test_a_cancelled_order_s_seat_is_held_for_the_first_in_line(sold_out, mailoutbox, jobs):
    ticket_type, order = sold_out
    first, second = in_line(ticket_type, 0, language="en"), in_line(ticket_type, 1)

    with jobs():
        orders.cancel_order(order=order)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (WaitingStatus.OFFERED, WaitingStatus.WAITING)
    assert seats_taken(ticket_type) == 1  # held: never back on sale
    assert first.offer_expires_at == first.offered_at + waitlist.offer_window()
    (mail,) = mailoutbox
    assert mail.to == ["cho0@hoangkim.vn"]
    assert mail.subject == "First National KOL Conference: a pass “Business pass” is held for you"
    assert reverse("ticketing:waitlist_entry", args=[first.token]) in mail.body


def test_a_held_seat_cannot_be_bought_by_anyone_else(sold_out):
    ticket_type, order = sold_out
    in_line(ticket_type)
    orders.cancel_order(order=order)

    with pytest.raises(SoldOut):
        order_for(ticket_type.event, dict(BUYER), passes(ticket_type, offset=2))

    assert seats_taken(ticket_type) == 1


def test_the_offered_person_buys_the_held_seat(sold_out):
    ticket_type, order = sold_out
    entry = in_line(ticket_type)
    orders.cancel_order(order=order)

    bought = orders.buy_offered_pass(entry=entry, attendee=attendee(), tax_code="0312345678")

    entry.refresh_from_db()
    assert (bought.status, bought.buyer_email, bought.buyer_tax_code) == (
        OrderStatus.PENDING,
        "cho0@hoangkim.vn",
        "0312345678",
    )
    assert [p.attendee_email for p in bought.positions.all()] == ["cho0@hoangkim.vn"]
    assert (entry.status, entry.order) == (WaitingStatus.BOUGHT, bought)
    assert seats_taken(ticket_type) == 1


def test_buying_an_offer_twice_makes_one_order(sold_out):
    ticket_type, order = sold_out
    entry = in_line(ticket_type)
    orders.cancel_order(order=order)
    orders.buy_offered_pass(entry=entry, attendee=attendee())

    with pytest.raises(Conflict) as error:  # a second pass on the same offer, for a colleague
        orders.buy_offered_pass(entry=entry, attendee=attendee("Bùi Thanh Tâm", "tam@hoangkim.vn"))

    assert error.value.code == "offer_lapsed"
    assert Order.objects.filter(buyer_email="cho0@hoangkim.vn").count() == 1
    assert seats_taken(ticket_type) == 1


def test_a_refused_purchase_leaves_the_offer_open_and_the_seat_held(sold_out):
    ticket_type, order = sold_out
    entry = in_line(ticket_type)
    orders.cancel_order(order=order)
    other = make_business_type(ticket_type.event, seats=5, name_vi="Thẻ đối tác")
    order_for(ticket_type.event, dict(BUYER), passes(other, offset=3))  # Vũ Đức Thắng already holds a pass

    with pytest.raises(Conflict) as error:
        orders.buy_offered_pass(entry=entry, attendee=attendee("Vũ Đức Thắng", "thang.vu@saoviet.vn"))

    entry.refresh_from_db()
    assert error.value.code == "attendee_has_pass"
    assert entry.status == WaitingStatus.OFFERED
    assert seats_taken(ticket_type) == 1


def test_a_lapsed_offer_passes_to_the_next_in_line(sold_out, mailoutbox, jobs):
    ticket_type, order = sold_out
    first, second = in_line(ticket_type, 0), in_line(ticket_type, 1)
    orders.cancel_order(order=order)
    later = timezone.now() + waitlist.offer_window() + timedelta(minutes=1)

    with jobs():
        assert waitlist.advance_waiting_lists(now=later) == (1, 0)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (WaitingStatus.LAPSED, WaitingStatus.OFFERED)
    assert seats_taken(ticket_type) == 1
    assert sorted(mail.to[0] for mail in mailoutbox) == ["cho0@hoangkim.vn", "cho1@hoangkim.vn"]
    with pytest.raises(Conflict):
        orders.buy_offered_pass(entry=first, attendee=attendee(), now=later)


def test_a_lapsed_offer_with_nobody_next_puts_the_seat_back_on_sale(sold_out):
    ticket_type, order = sold_out
    in_line(ticket_type)
    orders.cancel_order(order=order)

    waitlist.expire_offers(now=timezone.now() + waitlist.offer_window() + timedelta(minutes=1))

    assert seats_taken(ticket_type) == 0


def test_leaving_while_offered_passes_the_seat_on_and_deletes_the_data(sold_out):
    ticket_type, order = sold_out
    first, second = in_line(ticket_type, 0), in_line(ticket_type, 1)
    orders.cancel_order(order=order)

    waitlist.leave_waiting_list(entry=first)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.name, first.email, first.organization) == (WaitingStatus.LEFT, "—", "", "")
    assert second.status == WaitingStatus.OFFERED
    assert seats_taken(ticket_type) == 1


def test_an_expired_order_s_seat_goes_to_the_line(sold_out):
    ticket_type, order = sold_out
    entry = in_line(ticket_type)

    orders.expire_orders(now=order.expires_at + timedelta(seconds=1))

    entry.refresh_from_db()
    assert entry.status == WaitingStatus.OFFERED
    assert seats_taken(ticket_type) == 1


def test_a_refunded_order_s_seat_goes_to_the_line(sold_out, organizer):
    ticket_type, order = sold_out
    payments.mark_transfer_received(order=order, by=organizer, reference="FT26338001")
    entry = in_line(ticket_type)

    payments.refund_order(order=order, by=organizer)

    entry.refresh_from_db()
    assert entry.status == WaitingStatus.OFFERED
    assert seats_taken(ticket_type) == 1


def test_a_larger_quota_is_offered_by_the_sweep_in_line_order(sold_out):
    ticket_type, _order = sold_out
    first, second, third = (in_line(ticket_type, index) for index in range(3))
    Quota.objects.filter(ticket_types=ticket_type).update(size=3)

    waitlist.advance_waiting_lists()

    statuses = [WaitingListEntry.objects.get(pk=e.pk).status for e in (first, second, third)]
    assert statuses == [WaitingStatus.OFFERED, WaitingStatus.OFFERED, WaitingStatus.WAITING]
    assert seats_taken(ticket_type) == 3


def test_a_seat_of_another_pass_is_not_offered(event):
    wanted = make_business_type(event, seats=1)
    place_order(event, wanted)
    other = make_business_type(event, seats=1, name_vi="Thẻ đối tác")
    other_order = order_for(event, dict(BUYER), passes(other, offset=1))
    entry = in_line(wanted)

    orders.cancel_order(order=other_order)

    entry.refresh_from_db()
    assert entry.status == WaitingStatus.WAITING
    assert seats_taken(other) == 0


def test_an_unconfirmed_place_lapses_after_the_link_s_window(sold_out):
    ticket_type, _order = sold_out
    entry = waitlist.join_waiting_list(ticket_type=ticket_type, joiner=joiner())
    later = timezone.now() + waitlist.confirmation_window() + timedelta(minutes=1)

    waitlist.expire_offers(now=later)

    entry.refresh_from_db()
    assert entry.status == WaitingStatus.LAPSED
    with pytest.raises(DomainError):
        waitlist.confirm_place(
            entry=WaitingListEntry.objects.create(
                event=ticket_type.event,
                ticket_type=ticket_type,
                name="Bùi Thanh Tâm",
                email="tam@hoangkim.vn",
                created_at=timezone.now() - waitlist.confirmation_window() - timedelta(minutes=1),
            )
        )


# --- Pages ----------------------------------------------------------------------


def test_the_ticket_page_links_to_the_waiting_list_when_a_pass_is_sold_out(client, sold_out):
    ticket_type, _order = sold_out

    page = client.get(reverse("ticketing:buy", args=[ticket_type.event.slug])).content.decode()

    assert reverse("ticketing:waitlist_join", args=[ticket_type.event.slug]) in page


def test_joining_confirming_and_buying_through_the_pages(client, sold_out, mailoutbox):
    ticket_type, order = sold_out
    slug = ticket_type.event.slug
    form = {
        "ticket_type": ticket_type.pk,
        "name": "Hoàng Minh Châu",
        "email": "Cho0@HoangKim.vn",
        "organization": "Công ty TNHH Hoàng Kim",
        "consent": "on",
    }

    response = client.post(reverse("ticketing:waitlist_join", args=[slug]), form)

    assert response.url == reverse("ticketing:waitlist_joined", args=[slug])
    entry = WaitingListEntry.objects.get()
    assert entry.email == "cho0@hoangkim.vn"
    page = reverse("ticketing:waitlist_entry", args=[entry.token])
    client.post(reverse("ticketing:waitlist_confirm", args=[entry.token]))
    assert 'data-place="1"' in client.get(page).content.decode()
    orders.cancel_order(order=order)
    assert 'id="buy-offered-pass"' in client.get(page).content.decode()
    response = client.post(
        reverse("ticketing:waitlist_buy", args=[entry.token]),
        {"attendee_name": "Hoàng Minh Châu", "attendee_email": "cho0@hoangkim.vn", "attendees_consent": "on"},
    )
    bought = Order.objects.get(buyer_email="cho0@hoangkim.vn")
    assert response.url == reverse("ticketing:order", args=[bought.token])
    assert bought.status == OrderStatus.PENDING


def test_joining_without_consent_is_refused_with_a_message(client, sold_out):
    ticket_type, _order = sold_out
    form = {"ticket_type": ticket_type.pk, "name": "Hoàng Minh Châu", "email": "cho0@hoangkim.vn"}

    response = client.post(reverse("ticketing:waitlist_join", args=[ticket_type.event.slug]), form)

    assert response.status_code == 400
    assert WaitingListEntry.objects.count() == 0


def test_a_signed_in_participant_joins_with_their_proven_address(client, sold_out):
    ticket_type, _order = sold_out
    person = make_participant(
        ticket_type.event, email="chau@hoangkim.vn", category=Category.BUSINESS, status=ParticipantStatus.APPROVED
    )
    open_personal_link(client, person)
    form = {"ticket_type": ticket_type.pk, "name": "Hoàng Minh Châu", "email": "other@example.vn", "consent": "on"}

    client.post(reverse("ticketing:waitlist_join", args=[ticket_type.event.slug]), form)

    entry = WaitingListEntry.objects.get()
    assert (entry.email, entry.status) == ("chau@hoangkim.vn", WaitingStatus.WAITING)


def test_leaving_through_the_page_hides_the_entry(client, sold_out):
    ticket_type, _order = sold_out
    entry = in_line(ticket_type)

    client.post(reverse("ticketing:waitlist_leave", args=[entry.token]))

    assert client.get(reverse("ticketing:waitlist_entry", args=[entry.token])).status_code == 404


def test_an_unknown_entry_link_is_not_found(client, db):
    assert client.get(reverse("ticketing:waitlist_entry", args=["khong-co-that"])).status_code == 404


# --- The organizers' list --------------------------------------------------------


def test_organizers_see_the_line_in_order(organizer_client, sold_out):
    ticket_type, _order = sold_out
    first, second = in_line(ticket_type, 0), in_line(ticket_type, 1)

    page = organizer_client.get(reverse("admin:ticketing_waitinglistentry_changelist")).content.decode()

    assert page.index("cho0@hoangkim.vn") < page.index("cho1@hoangkim.vn")
    assert first.name in page and second.name in page


def test_the_organizers_list_costs_the_same_queries_for_one_and_three(organizer_client, sold_out, count_queries):
    ticket_type, _order = sold_out
    url = reverse("admin:ticketing_waitinglistentry_changelist")
    in_line(ticket_type, 0)
    organizer_client.get(url)
    one = count_queries(lambda: organizer_client.get(url))
    in_line(ticket_type, 1)
    in_line(ticket_type, 2)

    three = count_queries(lambda: organizer_client.get(url))

    assert three == one


# --- Personal data (Law 91/2025) ---------------------------------------------------


def test_a_participant_s_export_lists_their_place_and_erasure_passes_their_offer_on(sold_out):
    ticket_type, order = sold_out
    person = make_participant(
        ticket_type.event, email="cho0@hoangkim.vn", category=Category.BUSINESS, status=ParticipantStatus.APPROVED
    )
    entry, second = in_line(ticket_type, 0), in_line(ticket_type, 1)
    orders.cancel_order(order=order)
    sections = {key: rows for key, _title, rows in privacy.personal_data(person)}
    assert [row["email"] for row in sections["waiting_list"]] == ["cho0@hoangkim.vn"]

    privacy.erase_participant(participant=person, by=None, reason="Yêu cầu xóa dữ liệu")

    entry.refresh_from_db()
    second.refresh_from_db()
    assert (entry.status, entry.name, entry.email, entry.participant) == (WaitingStatus.LEFT, "—", "", None)
    assert second.status == WaitingStatus.OFFERED


def test_the_line_of_an_event_past_its_retention_period_is_blanked(sold_out, settings):
    ticket_type, _order = sold_out
    entry = in_line(ticket_type)
    event = ticket_type.event
    settings.PERSONAL_DATA_RETENTION_DAYS = 90
    event.retention_days = None
    event.save()

    assert waitlist.forget_expired_lists(today=event.end_date + timedelta(days=90)) == 0
    assert waitlist.forget_expired_lists(today=event.end_date + timedelta(days=91)) == 1

    entry.refresh_from_db()
    assert (entry.name, entry.email, entry.organization) == ("—", "", "")


def test_an_offer_never_outlives_the_sale_of_its_pass(sold_out):
    ticket_type, order = sold_out
    ticket_type.sale_end = timezone.now() + timedelta(hours=2)
    ticket_type.save()
    entry = in_line(ticket_type)

    orders.cancel_order(order=order)

    entry.refresh_from_db()
    assert (entry.status, entry.offer_expires_at) == (WaitingStatus.OFFERED, ticket_type.sale_end)


def test_a_pass_no_longer_on_sale_is_not_offered(sold_out):
    ticket_type, order = sold_out
    entry = in_line(ticket_type)
    TicketType.objects.filter(pk=ticket_type.pk).update(active=False)

    orders.cancel_order(order=order)

    entry.refresh_from_db()
    assert entry.status == WaitingStatus.WAITING
    assert seats_taken(ticket_type) == 0


def test_the_waiting_list_sweep_is_scheduled_every_minute_and_its_job_runs(sold_out):
    ticket_type, order = sold_out
    entry = in_line(ticket_type)
    orders.cancel_order(order=order)
    WaitingListEntry.objects.filter(pk=entry.pk).update(offer_expires_at=timezone.now() - timedelta(seconds=1))
    schedule = Schedule.objects.get(name=WAITLIST_SCHEDULE)
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "ticketing.tasks.advance_waiting_lists",
        Schedule.MINUTES,
        1,
    )

    async_task(schedule.func)  # the worker runs it (inline in the tests)

    entry.refresh_from_db()
    assert entry.status == WaitingStatus.LAPSED
    assert seats_taken(ticket_type) == 0
