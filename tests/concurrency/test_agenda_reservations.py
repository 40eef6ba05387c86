"""Attendees racing for the last seats of a roundtable: real threads, real HTTP, one live server."""

import json
import threading
import urllib.request

import pytest
from django.db import connection

from events.enums import ParticipantStatus
from sessions import services
from sessions.enums import ReservationStatus
from sessions.models import Reservation, Session
from tests.agenda.factories import make_room, make_session
from tests.events.factories import make_participant

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

SEATS = 3
PEOPLE = 10


@pytest.fixture
def roundtable(event, organizer):
    room = make_room(event, "Phòng bàn tròn Sen", capacity=40)
    session = make_session(event, room, capacity=SEATS, format="roundtable", title_vi="Bàn tròn an toàn số")
    services.publish_agenda(event=event, by=organizer)
    return session


def _attendees(event):
    return [
        make_participant(event, full_name=f"Người tham dự {n}", status=ParticipantStatus.APPROVED)
        for n in range(PEOPLE)
    ]


def _race(workers):
    """Start every worker at the same instant; return what each one returned (or raised)."""
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:  # noqa: BLE001 - the test reports any failure below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _reserve_over_http(live_server, session, participant):
    def work():
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/agenda/sessions/{session.pk}/reservation",
            method="POST",
            headers={"X-Registration-Token": participant.token},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())["status"]

    return work


def test_reserve_seat_concurrent_requests_never_overbook(live_server, event, roundtable):
    people = _attendees(event)

    results = _race([_reserve_over_http(live_server, roundtable, p) for p in people])

    assert sorted(results) == sorted([(200, "confirmed")] * SEATS + [(200, "waitlisted")] * (PEOPLE - SEATS))
    assert Reservation.objects.filter(session=roundtable, status=ReservationStatus.CONFIRMED).count() == SEATS
    assert Session.objects.get(pk=roundtable.pk).seats_taken == SEATS


def test_cancel_reservations_concurrently_promote_each_waiting_person_once(live_server, event, roundtable):
    people = _attendees(event)
    for person in people:
        services.reserve_seat(session=roundtable, participant=person)
    holders = people[:SEATS]

    def cancel(person):
        def work():
            request = urllib.request.Request(
                f"{live_server.url}/api/v1/agenda/sessions/{roundtable.pk}/reservation",
                method="DELETE",
                headers={"X-Registration-Token": person.token},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status

        return work

    assert _race([cancel(p) for p in holders]) == [200] * SEATS

    confirmed = set(
        Reservation.objects.filter(session=roundtable, status=ReservationStatus.CONFIRMED).values_list(
            "participant_id", flat=True
        )
    )
    assert confirmed == {p.pk for p in people[SEATS : 2 * SEATS]}
    assert Session.objects.get(pk=roundtable.pk).seats_taken == SEATS


def test_control_check_then_insert_without_the_guard_overbooks(live_server, event, roundtable):
    """The race is real: count free seats, then insert (no conditional UPDATE) lets everyone in."""
    people = _attendees(event)
    barrier = threading.Barrier(PEOPLE)

    def naive(person):
        def work():
            free = Reservation.objects.filter(session=roundtable, status=ReservationStatus.CONFIRMED).count() < SEATS
            barrier.wait()  # every request has read "a seat is free" before anyone writes
            status = ReservationStatus.CONFIRMED if free else ReservationStatus.WAITLISTED
            Reservation.objects.create(session=roundtable, participant=person, status=status)

        return work

    _race([naive(p) for p in people])

    assert Reservation.objects.filter(session=roundtable, status=ReservationStatus.CONFIRMED).count() > SEATS
