"""Requests and live placing: within the pairs and the cap; accepted meetings take the first common free slot at a
free table, never a person's own session or reserved seat; decline, cancel (which frees the slot); the e-mails."""

import pytest
from django.utils import timezone

from events.enums import Category, ConsentPurpose
from events.errors import Conflict, NotFound, PermissionDenied
from events.services import withdraw_consent
from sessions.enums import MeetingRequestStatus, ReservationStatus
from sessions.meetings import requests
from sessions.models import Meeting, MeetingHold, MeetingRequest, Reservation
from tests.agenda.factories import at, make_room, make_session
from tests.agenda.meetings.factories import make_business, make_kol, make_member, make_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting_rules(event):
    return make_rules(event, windows=[("14:00", "15:00")], tables=1)  # three 20-minute slots, one table


@pytest.fixture
def kol(event):
    return make_kol(event, email="cuong@example.vn", language="vi")


@pytest.fixture
def business(event):
    return make_business(event, email="binh@suaviet.vn", language="en")


def send(business, kol, message="Chúng tôi muốn mời chị làm đại sứ sản phẩm."):
    return requests.send_request(sender=business, recipient_id=kol.pk, message=message)


def slot_of(meeting):
    return (meeting.starts_at, meeting.place.name_vi, meeting.table)


def test_accepting_places_the_meeting_in_the_first_slot_and_mails_both_in_their_language(
    event, meeting_rules, kol, business, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = send(business, kol)
    assert [m.to for m in mailoutbox] == [["cuong@example.vn"]]
    assert "Trần Văn Bình" in mailoutbox[0].subject and "Chúng tôi muốn mời chị" in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        meeting = requests.accept_request(request_id=request.pk, by=kol)

    assert slot_of(meeting) == (at(event, "14:00"), "Khu kết nối tầng 2", 1)
    assert meeting.ends_at == at(event, "14:20")
    assert set(MeetingHold.objects.values_list("participant_id", flat=True)) == {kol.pk, business.pk}
    confirmed = {m.to[0]: m.subject for m in mailoutbox[1:]}
    assert confirmed["binh@suaviet.vn"].endswith("Meeting confirmed with Nguyễn Thị Cường")
    assert confirmed["cuong@example.vn"].endswith("Đã xác nhận cuộc gặp với Trần Văn Bình")


def test_a_person_is_never_placed_twice_in_one_slot(event, meeting_rules, kol, business):
    second = make_business(event, "Hoàng Thị Mai", organization="Mỹ phẩm Sen Việt")
    meeting_rules.places.update(tables=5)

    first = requests.accept_request(request_id=send(business, kol).pk, by=kol)
    then = requests.accept_request(request_id=send(second, kol).pk, by=kol)

    assert (first.starts_at, then.starts_at) == (at(event, "14:00"), at(event, "14:20"))


def test_a_full_table_moves_the_next_pair_to_the_next_slot(event, meeting_rules, kol, business):
    other_kol = make_kol(event, "Lê Thị Ánh")
    other_business = make_business(event, "Hoàng Thị Mai")

    requests.accept_request(request_id=send(business, kol).pk, by=kol)
    meeting = requests.accept_request(request_id=send(other_business, other_kol).pk, by=other_kol)

    assert slot_of(meeting) == (at(event, "14:20"), "Khu kết nối tầng 2", 1)


def test_a_person_s_own_session_and_reserved_seat_are_never_clashed(event, meeting_rules, kol, business):
    room = make_room(event)
    make_session(event, room, "13:30", "14:10", people=[kol])  # she speaks until 14:10
    seat = make_session(event, room, "14:20", "14:40", title_vi="Quảng cáo minh bạch", capacity=50)
    Reservation.objects.create(session=seat, participant=business, status=ReservationStatus.CONFIRMED)

    meeting = requests.accept_request(request_id=send(business, kol).pk, by=kol)

    assert meeting.starts_at == at(event, "14:40")


def test_no_common_free_slot_leaves_the_request_open(event, meeting_rules, kol, business):
    make_session(event, make_room(event), "13:00", "16:00", people=[kol])
    request = send(business, kol)

    with pytest.raises(Conflict) as error:
        requests.accept_request(request_id=request.pk, by=kol)

    assert error.value.code == "meeting_no_free_slot"
    assert MeetingRequest.objects.get(pk=request.pk).status == MeetingRequestStatus.PENDING
    assert not Meeting.objects.exists()


def test_the_cap_counts_open_and_accepted_requests(event, kol, business):
    make_rules(event, requests_per_person=1)
    other = make_kol(event, "Lê Thị Ánh")
    send(business, kol)

    with pytest.raises(Conflict) as error:
        send(business, other)

    assert error.value.code == "meeting_request_cap"


def test_a_second_request_to_the_same_person_is_refused(event, meeting_rules, kol, business):
    send(business, kol)

    with pytest.raises(Conflict) as error:
        send(business, kol)

    assert error.value.code == "meeting_already_requested"


def test_a_pair_the_organizers_did_not_allow_cannot_ask(event, meeting_rules, kol, business):
    with pytest.raises(NotFound) as error:
        requests.send_request(sender=kol, recipient_id=business.pk)  # KOL → business is not a pair

    assert error.value.code == "meeting_profile_not_found"


def test_a_sender_without_a_published_profile_cannot_ask(event, meeting_rules, kol):
    silent = make_member(event, Category.BUSINESS, "Đinh Văn Khoa", publish=False)

    with pytest.raises(PermissionDenied):
        send(silent, kol)


def test_a_withdrawn_consent_stops_new_requests(event, meeting_rules, kol, business):
    withdraw_consent(participant=kol, purpose=ConsentPurpose.MEETINGS)

    with pytest.raises(NotFound):
        send(business, kol)


def test_only_the_recipient_accepts(event, meeting_rules, kol, business):
    request = send(business, kol)
    stranger = make_kol(event, "Lê Thị Ánh")

    for by in (business, stranger):
        with pytest.raises(NotFound):
            requests.accept_request(request_id=request.pk, by=by)


def test_decline_then_accept_is_refused(
    event, meeting_rules, kol, business, mailoutbox, django_capture_on_commit_callbacks
):
    request = send(business, kol)

    with django_capture_on_commit_callbacks(execute=True):
        requests.decline_request(request_id=request.pk, by=kol)
    with pytest.raises(Conflict):
        requests.accept_request(request_id=request.pk, by=kol)

    assert mailoutbox[-1].to == ["binh@suaviet.vn"]
    assert mailoutbox[-1].subject.endswith("Nguyễn Thị Cường cannot meet")


def test_cancelling_frees_the_slot_for_the_next_meeting(
    event, meeting_rules, kol, business, mailoutbox, django_capture_on_commit_callbacks
):
    first = send(business, kol)
    requests.accept_request(request_id=first.pk, by=kol)
    with django_capture_on_commit_callbacks(execute=True):
        requests.cancel_request(request_id=first.pk, by=business)
    other_business = make_business(event, "Hoàng Thị Mai")

    meeting = requests.accept_request(request_id=send(other_business, kol).pk, by=kol)

    assert slot_of(meeting) == (at(event, "14:00"), "Khu kết nối tầng 2", 1)
    assert Meeting.objects.get(request=first).cancelled_at is not None
    assert mailoutbox[-1].to == ["cuong@example.vn"]  # the side that did not cancel is told


def test_asking_someone_who_already_asked_you_says_so(event, meeting_rules, kol, business):
    meeting_rules.pairs = [*meeting_rules.pairs, ["kol", "business"]]
    meeting_rules.save()
    send(business, kol)

    with pytest.raises(Conflict) as error:
        requests.send_request(sender=kol, recipient_id=business.pk)

    assert error.value.code == "meeting_asked_you"
    assert MeetingRequest.objects.count() == 1


def test_a_chain_of_constraints_lands_on_the_first_slot_free_for_both(event, meeting_rules, kol, business):
    meeting_rules.places.update(tables=3)
    make_session(event, make_room(event), "14:00", "14:20", people=[kol])  # she is on stage in slot 1
    other_kol = make_kol(event, "Lê Thị Ánh")
    taken = requests.accept_request(request_id=send(business, other_kol).pk, by=other_kol)  # he takes slot 1
    assert taken.starts_at == at(event, "14:00")
    third = make_business(event, "Hoàng Thị Mai")
    requests.accept_request(request_id=send(third, kol).pk, by=kol)  # she takes slot 2 with someone else

    meeting = requests.accept_request(request_id=send(business, kol).pk, by=kol)

    assert meeting.starts_at == at(event, "14:40")  # slot 1: her session; slot 2: her other meeting


def test_a_cancelled_session_no_longer_blocks(event, meeting_rules, kol, business):
    session = make_session(event, make_room(event), "14:00", "14:20", people=[kol])
    session.cancelled_at = timezone.now()
    session.save()

    assert requests.accept_request(request_id=send(business, kol).pk, by=kol).starts_at == at(event, "14:00")
