"""Bookmarks, seat reservations, the waitlist and its promotion."""

import pytest
from django.core import mail

from events.enums import ParticipantStatus
from sessions import services
from sessions.errors import NotReservable
from sessions.models import Bookmark, Reservation, Session
from tests.agenda.factories import make_session
from tests.events.factories import make_participant

pytestmark = pytest.mark.django_db(transaction=True)  # the promotion mail is sent on commit


@pytest.fixture
def roundtable(event, small_room, organizer):
    session = make_session(event, small_room, capacity=2, format="roundtable", title_vi="Bàn tròn an toàn số")
    services.publish_agenda(event=event, by=organizer)
    return session


def _people(event, count):
    return [
        make_participant(event, full_name=f"Người tham dự {n}", status=ParticipantStatus.APPROVED) for n in range(count)
    ]


def _statuses(session):
    return list(Reservation.objects.filter(session=session).order_by("pk").values_list("status", flat=True))


def test_reserve_seat_beyond_capacity_goes_to_waitlist(event, roundtable):
    first, second, third = _people(event, 3)

    results = [services.reserve_seat(session=roundtable, participant=p).status for p in (first, second, third)]

    assert results == ["confirmed", "confirmed", "waitlisted"]
    assert Session.objects.get(pk=roundtable.pk).seats_taken == 2


def test_reserve_seat_twice_keeps_one_reservation(event, roundtable):
    (person,) = _people(event, 1)

    services.reserve_seat(session=roundtable, participant=person)
    services.reserve_seat(session=roundtable, participant=person)

    assert _statuses(roundtable) == ["confirmed"]
    assert Session.objects.get(pk=roundtable.pk).seats_taken == 1


def test_cancel_reservation_promotes_first_on_waitlist_and_mails_them(event, roundtable):
    first, second, third, fourth = _people(event, 4)
    for person in (first, second, third, fourth):
        services.reserve_seat(session=roundtable, participant=person)

    promoted = services.cancel_reservation(session=roundtable, participant=first)

    assert promoted.participant_id == third.pk
    assert dict(Reservation.objects.values_list("participant_id", "status")) == {
        second.pk: "confirmed",
        third.pk: "confirmed",
        fourth.pk: "waitlisted",
    }
    assert Session.objects.get(pk=roundtable.pk).seats_taken == 2
    assert [message.to for message in mail.outbox] == [[third.email]]


def test_cancel_reservation_without_waitlist_frees_the_seat(event, roundtable):
    first, second = _people(event, 2)
    services.reserve_seat(session=roundtable, participant=first)
    services.reserve_seat(session=roundtable, participant=second)

    services.cancel_reservation(session=roundtable, participant=second)

    assert Session.objects.get(pk=roundtable.pk).seats_taken == 1
    assert mail.outbox == []


def test_cancel_reservation_from_waitlist_keeps_seats(event, roundtable):
    first, second, third = _people(event, 3)
    for person in (first, second, third):
        services.reserve_seat(session=roundtable, participant=person)

    assert services.cancel_reservation(session=roundtable, participant=third) is None
    assert Session.objects.get(pk=roundtable.pk).seats_taken == 2


def test_reserve_seat_unpublished_session_is_refused(event, small_room, attendee):
    draft = make_session(event, small_room, capacity=5)

    with pytest.raises(NotReservable) as error:
        services.reserve_seat(session=draft, participant=attendee)

    assert error.value.code == "not_published"


def test_reserve_seat_session_without_capacity_is_refused(event, hall, attendee, organizer):
    keynote = make_session(event, hall)
    services.publish_agenda(event=event, by=organizer)

    with pytest.raises(NotReservable) as error:
        services.reserve_seat(session=keynote, participant=attendee)

    assert error.value.code == "no_reservations"


def test_reserve_seat_pending_participant_is_refused(event, roundtable):
    pending = make_participant(event, status=ParticipantStatus.PENDING)

    with pytest.raises(NotReservable) as error:
        services.reserve_seat(session=roundtable, participant=pending)

    assert error.value.code == "not_approved"
    assert Reservation.objects.count() == 0


def test_bookmark_session_twice_keeps_one(event, roundtable, attendee):
    services.bookmark_session(session=roundtable, participant=attendee)
    services.bookmark_session(session=roundtable, participant=attendee)

    assert Bookmark.objects.filter(participant=attendee).count() == 1
    services.remove_bookmark(session=roundtable, participant=attendee)
    assert Bookmark.objects.count() == 0


def test_update_session_capacity_below_reservations_is_refused(event, roundtable, organizer):
    from sessions.errors import AgendaError

    first, second = _people(event, 2)
    services.reserve_seat(session=roundtable, participant=first)
    services.reserve_seat(session=roundtable, participant=second)

    with pytest.raises(AgendaError) as error:
        services.update_session(session=roundtable, changes={"capacity": 1}, by=organizer)

    assert error.value.code == "capacity_below_reservations"
