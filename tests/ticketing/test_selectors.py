import pytest

from events.enums import Category, ParticipantStatus
from events.models import Participant
from tests.events.factories import make_participant
from ticketing import selectors
from ticketing.services.issuing import issue_free_pass
from ticketing.services.payments import mark_transfer_received, refund_order

from .factories import make_business_type, make_free_type, place_order

pytestmark = pytest.mark.django_db


def valid_ids(event):
    return set(selectors.with_valid_ticket(Participant.objects.filter(event=event)).values_list("pk", flat=True))


def test_holds_valid_ticket_without_ticket_types_needs_only_approval(event, approved):
    pending = make_participant(event, full_name="Lý Thị Mai", status=ParticipantStatus.PENDING)

    assert selectors.holds_valid_ticket(approved) is True
    assert selectors.holds_valid_ticket(pending) is False
    assert valid_ids(event) == {approved.pk}


def test_holds_valid_ticket_with_ticket_types_and_no_pass_is_false(event, approved, business_type):
    assert selectors.holds_valid_ticket(approved) is False
    assert valid_ids(event) == set()


def test_holds_valid_ticket_with_an_issued_free_pass_is_true(event, approved, business_type):
    make_free_type(event, Category.REGULATOR)
    assert issue_free_pass(approved) is not None

    assert selectors.holds_valid_ticket(approved) is True
    assert valid_ids(event) == {approved.pk}


def test_holds_valid_ticket_of_a_paid_pass_holder_ends_with_the_refund(event, business_type, organizer):
    order = place_order(event, business_type, 2)
    mark_transfer_received(order=order, by=organizer)
    holders = list(Participant.objects.filter(passes__order=order).order_by("pk"))
    assert len(holders) == 2
    assert [selectors.holds_valid_ticket(holder) for holder in holders] == [True, True]
    assert valid_ids(event) == {holder.pk for holder in holders}

    refund_order(order=order, by=organizer)

    assert [selectors.holds_valid_ticket(holder) for holder in holders] == [False, False]
    assert valid_ids(event) == set()


def test_holds_valid_ticket_of_a_rejected_pass_holder_is_false(event, approved):
    make_free_type(event, Category.REGULATOR)
    issue_free_pass(approved)
    Participant.objects.filter(pk=approved.pk).update(status=ParticipantStatus.REJECTED)
    approved.refresh_from_db()

    assert selectors.holds_valid_ticket(approved) is False
    assert valid_ids(event) == set()


def test_ticket_types_of_another_event_do_not_change_validity(event, approved, other_event):
    make_business_type(other_event)

    assert selectors.holds_valid_ticket(approved) is True
    assert valid_ids(event) == {approved.pk}


@pytest.mark.parametrize("count", [1, 8])
def test_with_valid_ticket_is_one_query_whatever_the_number_of_participants(
    event, business_type, django_assert_num_queries, count
):
    free = make_free_type(event, Category.KOL, seats=20)
    for number in range(count):
        kol = make_participant(event, full_name=f"Đặng Văn Khoa {number}", status=ParticipantStatus.APPROVED)
        issue_free_pass(kol)
    make_participant(event, full_name="Bùi Thị Hoa", status=ParticipantStatus.APPROVED)  # approved, no pass
    assert free.positions.count() == count

    with django_assert_num_queries(1):
        assert len(valid_ids(event)) == count
