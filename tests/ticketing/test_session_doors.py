"""Session doors: reserved seats always get in, walk-ins only while the room has free seats."""

import pytest
from django.utils import timezone

from events.enums import Category, ParticipantStatus
from events.errors import NotFound
from sessions.enums import ReservationStatus
from sessions.models import Reservation
from tests.agenda.factories import make_room, make_session
from tests.events.factories import make_participant
from ticketing import services
from ticketing.enums import ScanResult
from ticketing.models import CheckIn, ScanLog
from ticketing.services import checkin

pytestmark = pytest.mark.django_db


def badge_holder(event, name):
    participant = make_participant(event, full_name=name, category=Category.KOL, status=ParticipantStatus.APPROVED)
    services.issue_badge(participant)
    participant.refresh_from_db()
    return participant


def scan(participant, session, by):
    return checkin.scan(code=participant.badge.code, gate="Phòng Hồng Hà", by=by, session_id=session.pk).result


def reserve(session, participant, status=ReservationStatus.CONFIRMED):
    Reservation.objects.create(session=session, participant=participant, status=status)
    if status == ReservationStatus.CONFIRMED:
        session.seats_taken += 1
        session.save(update_fields=["seats_taken"])


def test_walk_ins_get_in_while_seats_are_free(open_event, door_staff):
    session = make_session(open_event, make_room(open_event, capacity=2))
    people = [badge_holder(open_event, f"Nguyễn Văn {n}") for n in ("An", "Bình", "Cường")]

    verdicts = [scan(person, session, door_staff) for person in people]

    assert verdicts == [ScanResult.ADMITTED, ScanResult.ADMITTED, ScanResult.NO_SEAT]
    assert CheckIn.objects.filter(session_id=session.pk).count() == 2
    assert ScanLog.objects.filter(result=ScanResult.NO_SEAT).count() == 1


def test_an_undone_admission_frees_its_seat(open_event, door_staff, supervisor):
    session = make_session(open_event, make_room(open_event, capacity=1))
    first, second = badge_holder(open_event, "Lê Thị Mai"), badge_holder(open_event, "Phạm Quốc Huy")
    admitted = checkin.scan(code=first.badge.code, gate="P1", by=door_staff, session_id=session.pk)
    assert scan(second, session, door_staff) == ScanResult.NO_SEAT

    checkin.undo(check_in_id=admitted.check_in_id, by=supervisor)

    assert scan(second, session, door_staff) == ScanResult.ADMITTED


def test_reserved_seat_gets_in_even_when_walk_ins_filled_the_room(open_event, door_staff):
    session = make_session(open_event, make_room(open_event, capacity=2), capacity=1)
    holder = badge_holder(open_event, "Đỗ Minh Khoa")
    reserve(session, holder)
    walk_ins = [badge_holder(open_event, f"Khách {n}") for n in range(2)]

    verdicts = [scan(person, session, door_staff) for person in walk_ins + [holder]]

    # Two seats, one kept for the reservation: one walk-in, then the holder.
    assert verdicts == [ScanResult.ADMITTED, ScanResult.NO_SEAT, ScanResult.ADMITTED]
    assert list(
        CheckIn.objects.filter(session_id=session.pk).values_list("by_reservation", flat=True).order_by("pk")
    ) == [
        False,
        True,
    ]


def test_waitlisted_holder_is_a_walk_in(open_event, door_staff):
    session = make_session(open_event, make_room(open_event, capacity=1), capacity=1)
    confirmed, waiting = badge_holder(open_event, "Vũ Thị Lan"), badge_holder(open_event, "Hoàng Văn Nam")
    reserve(session, confirmed)
    reserve(session, waiting, status=ReservationStatus.WAITLISTED)

    assert scan(waiting, session, door_staff) == ScanResult.NO_SEAT
    assert scan(confirmed, session, door_staff) == ScanResult.ADMITTED


def test_second_scan_at_a_full_session_door_is_already_checked_in(open_event, door_staff):
    session = make_session(open_event, make_room(open_event, capacity=1))
    person = badge_holder(open_event, "Trịnh Công Sơn")

    assert [scan(person, session, door_staff) for _ in range(2)] == [
        ScanResult.ADMITTED,
        ScanResult.ALREADY_CHECKED_IN,
    ]


def test_cancelled_session_has_no_door(open_event, door_staff):
    session = make_session(open_event, make_room(open_event), cancelled_at=timezone.now())
    person = badge_holder(open_event, "Bùi Thu Trang")

    with pytest.raises(NotFound):
        scan(person, session, door_staff)
    assert CheckIn.objects.count() == 0


def test_session_of_another_event_has_no_door(open_event, other_event, door_staff):
    session = make_session(other_event, make_room(other_event))
    person = badge_holder(open_event, "Ngô Bảo Châu")

    with pytest.raises(NotFound):
        scan(person, session, door_staff)
