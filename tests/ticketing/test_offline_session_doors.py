"""Session doors offline: admissions a device made at a roundtable's door are judged at sync with the seat rule
(reserved seats always, walk-ins while seats are free, at the scans' original times), and the device is told
which of its admissions the server did not keep."""

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from events.enums import Category, ParticipantStatus
from sessions.enums import ReservationStatus
from sessions.models import Reservation
from tests.agenda.factories import make_room, make_session
from tests.events.factories import make_participant
from ticketing import services
from ticketing.models import CheckIn, CheckInConflict

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/checkin/sync"
DOOR = "Phòng Hồng Hà"


@pytest.fixture
def staff_client(client, door_staff):
    client.force_login(door_staff)
    return client


def badge_holder(event, name):
    participant = make_participant(event, full_name=name, category=Category.KOL, status=ParticipantStatus.APPROVED)
    services.issue_badge(participant)
    participant.refresh_from_db()
    return participant


def admitted_offline(participant, session, minutes_ago):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return {
        "client_id": str(uuid.uuid4()),
        "code": participant.badge.code,
        "gate": DOOR,
        "session": session.pk,
        "scanned_at": at.isoformat(),
        "offline_result": "admitted",
    }


def sync(client, event, scans, device="may-phong-1"):
    body = {"event": event.slug, "device_id": device, "scans": scans}
    response = client.post(SYNC, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return [(row["result"], row["conflict"], row["overruled"]) for row in response.json()["results"]]


def test_offline_walk_ins_beyond_the_seats_are_no_seat_and_the_device_is_told(staff_client, open_event):
    session = make_session(open_event, make_room(open_event, capacity=2))
    people = [badge_holder(open_event, f"Trần Văn {name}") for name in ("An", "Bình", "Cường")]
    scans = [admitted_offline(person, session, minutes_ago=10 - n) for n, person in enumerate(people)]

    answers = sync(staff_client, open_event, scans)

    assert answers == [("admitted", False, False), ("admitted", False, False), ("no_seat", False, True)]
    inside = CheckIn.objects.filter(session_id=session.pk).order_by("checked_in_at")
    assert [admission.participant for admission in inside] == people[:2]
    assert CheckInConflict.objects.count() == 0
    # Sent again (the answer was lost on the way): the same answers, nothing applied twice.
    assert sync(staff_client, open_event, scans) == answers
    assert inside.count() == 2


def test_offline_reservation_holder_gets_in_after_walk_ins_filled_the_room(staff_client, open_event):
    session = make_session(open_event, make_room(open_event, capacity=2))
    holder = badge_holder(open_event, "Lê Thị Hồng")
    Reservation.objects.create(session=session, participant=holder, status=ReservationStatus.CONFIRMED)
    session.seats_taken = 1
    session.save(update_fields=["seats_taken"])
    walk_ins = [badge_holder(open_event, f"Khách {n}") for n in range(2)]
    scans = [admitted_offline(person, session, minutes_ago=10 - n) for n, person in enumerate([*walk_ins, holder])]

    answers = sync(staff_client, open_event, scans)

    # Two seats, one kept for the reservation: one walk-in, then the holder on her reservation.
    assert answers == [("admitted", False, False), ("no_seat", False, True), ("admitted", False, False)]
    by_reservation = CheckIn.objects.get(session_id=session.pk, participant=holder).by_reservation
    assert by_reservation is True


def test_the_seat_goes_to_the_offline_admission_synced_first_dated_at_its_scan(staff_client, open_event, door_staff):
    session = make_session(open_event, make_room(open_event, capacity=1))
    early, late = badge_holder(open_event, "Phạm Minh Khoa"), badge_holder(open_event, "Đỗ Thu Trang")
    # Devices sync when their network returns: the one seat goes to the admission the server applies first
    # (here the later scan), dated at its scan time; the other device is told its admission was overruled.
    first_device = sync(staff_client, open_event, [admitted_offline(late, session, minutes_ago=2)], device="may-b")
    second_device = sync(staff_client, open_event, [admitted_offline(early, session, minutes_ago=8)], device="may-a")

    assert (first_device, second_device) == ([("admitted", False, False)], [("no_seat", False, True)])
    admission = CheckIn.objects.get(session_id=session.pk)
    assert admission.participant == late
    assert timezone.now() - admission.checked_in_at >= timedelta(minutes=2)


def test_offline_session_admission_after_one_at_another_device_is_a_conflict(staff_client, open_event):
    session = make_session(open_event, make_room(open_event, capacity=5))
    person = badge_holder(open_event, "Vũ Ngọc Ánh")

    sync(staff_client, open_event, [admitted_offline(person, session, minutes_ago=9)], device="may-a")
    answers = sync(staff_client, open_event, [admitted_offline(person, session, minutes_ago=4)], device="may-b")

    assert answers == [("already_checked_in", True, True)]
    conflict = CheckInConflict.objects.get()
    assert (conflict.session_id, conflict.first_device, conflict.second_device) == (session.pk, "may-a", "may-b")
