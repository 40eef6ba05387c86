"""The waitlist as a person sees it (their place, no "reserved" for a waitlist place) and erasure freeing seats."""

import pytest
from django.core import mail

from events import privacy
from events.enums import ParticipantStatus
from sessions import selectors, services
from sessions.models import Bookmark, Reservation, Session
from tests.agenda.factories import make_session
from tests.events.factories import make_participant, sign_in_participant

pytestmark = pytest.mark.django_db(transaction=True)  # promotion mails are sent on commit


@pytest.fixture
def full_roundtable(event, small_room, organizer):
    """A one-seat roundtable whose seat is taken by Lê Văn An."""
    session = make_session(event, small_room, capacity=1, format="roundtable", title_vi="Bàn tròn an toàn số")
    services.publish_agenda(event=event, by=organizer)
    holder = make_participant(event, full_name="Lê Văn An", email="an.le@example.vn", status=ParticipantStatus.APPROVED)
    services.reserve_seat(session=session, participant=holder)
    return session, holder


def _approved(event, name, email):
    return make_participant(event, full_name=name, email=email, status=ParticipantStatus.APPROVED)


def _login(client, participant):
    sign_in_participant(client, participant)


def test_waitlist_positions_follow_the_promotion_order(event, full_roundtable):
    session, _holder = full_roundtable
    first = _approved(event, "Ngô Bảo Châu", "chau@example.vn")
    second = _approved(event, "Đỗ Thu Hà", "ha@example.vn")
    services.reserve_seat(session=session, participant=first)
    services.reserve_seat(session=session, participant=second)

    assert selectors.waitlist_positions(first) == {session.pk: 1}
    assert selectors.waitlist_positions(second) == {session.pk: 2}

    services.cancel_reservation(session=session, participant=first)

    assert selectors.waitlist_positions(second) == {session.pk: 1}


def test_joining_a_full_session_says_the_waitlist_place_not_reserved(client, event, full_roundtable):
    session, _holder = full_roundtable
    services.reserve_seat(session=session, participant=_approved(event, "Ngô Bảo Châu", "chau@example.vn"))
    person = _approved(event, "Đỗ Thu Hà", "ha@example.vn")
    _login(client, person)

    response = client.post(f"/e/{event.slug}/agenda/s/{session.pk}/reserve/", follow=True)

    flashed = [str(message) for message in response.context["messages"]]
    assert flashed == [
        "Phiên đã hết chỗ: bạn đứng thứ 2 trong danh sách chờ. Chúng tôi sẽ gửi e-mail cho bạn nếu có chỗ trống."
    ]
    page = response.content.decode()
    assert "giữ chỗ" not in page.lower().replace("hủy giữ chỗ", "")
    assert "Trong danh sách chờ: thứ 2" in page
    assert "Trong danh sách chờ: thứ 2" in client.get(f"/e/{event.slug}/me/").content.decode()


def test_reserving_a_free_seat_says_reserved(client, event, small_room, organizer):
    session = make_session(event, small_room, capacity=5, format="roundtable", title_vi="Bàn tròn an toàn số")
    services.publish_agenda(event=event, by=organizer)
    person = _approved(event, "Đỗ Thu Hà", "ha@example.vn")
    _login(client, person)

    response = client.post(f"/e/{event.slug}/agenda/s/{session.pk}/reserve/", follow=True)

    assert [str(message) for message in response.context["messages"]] == ["Đã giữ chỗ cho bạn."]


def test_reservation_api_gives_the_waitlist_place(client, event, full_roundtable):
    session, _holder = full_roundtable
    person = _approved(event, "Đỗ Thu Hà", "ha@example.vn")

    answer = client.post(f"/api/v1/agenda/sessions/{session.pk}/reservation", HTTP_X_REGISTRATION_TOKEN=person.token)
    again = client.get(f"/api/v1/agenda/sessions/{session.pk}/reservation", HTTP_X_REGISTRATION_TOKEN=person.token)

    assert answer.json() == {"session_id": session.pk, "status": "waitlisted", "waitlist_position": 1}
    assert again.json() == answer.json()


def test_erasing_a_seat_holder_offers_the_seat_to_the_waitlist(event, full_roundtable, organizer):
    session, holder = full_roundtable
    waiting = _approved(event, "Ngô Bảo Châu", "chau@example.vn")
    services.reserve_seat(session=session, participant=waiting)
    services.bookmark_session(session=session, participant=holder)

    privacy.erase_participant(participant=holder, by=organizer, reason="request")

    assert dict(Reservation.objects.values_list("participant_id", "status")) == {waiting.pk: "confirmed"}
    assert Session.objects.get(pk=session.pk).seats_taken == 1
    assert Bookmark.objects.filter(participant=holder).exists() is False
    assert [message.to for message in mail.outbox] == [["chau@example.vn"]]


def test_erasing_a_seat_holder_without_waitlist_frees_the_seat(event, full_roundtable, organizer):
    session, holder = full_roundtable

    privacy.erase_participant(participant=holder, by=organizer, reason="request")

    assert Reservation.objects.exists() is False
    assert Session.objects.get(pk=session.pk).seats_taken == 0


def test_erasing_someone_waiting_moves_the_others_up(event, full_roundtable, organizer):
    session, _holder = full_roundtable
    first = _approved(event, "Ngô Bảo Châu", "chau@example.vn")
    second = _approved(event, "Đỗ Thu Hà", "ha@example.vn")
    services.reserve_seat(session=session, participant=first)
    services.reserve_seat(session=session, participant=second)

    privacy.erase_participant(participant=first, by=organizer, reason="request")

    assert selectors.waitlist_positions(second) == {session.pk: 1}
    assert Session.objects.get(pk=session.pk).seats_taken == 1
    assert mail.outbox == []
