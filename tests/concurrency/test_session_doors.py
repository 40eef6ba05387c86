"""Twenty gates admit twenty people to a session with eight seats at once: never more than eight inside."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from events.services import issue_api_token
from tests.agenda.factories import make_room, make_session
from tests.events.factories import make_participant
from ticketing.models import CheckIn, ScanLog
from ticketing.services import checkin

from .test_checkin import badge_holder, scan_all

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

PEOPLE = 20
SEATS = 8


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_concurrent_walk_ins_never_exceed_the_seats(live_server, open_event, door_staff):
    session = make_session(open_event, make_room(open_event, capacity=SEATS))
    badges = [badge_holder(open_event, f"Khách mời {n}") for n in range(PEOPLE)]
    secrets = [issue_api_token(user=door_staff, name=f"Cửa {n}", scopes=["checkin:scan"])[1] for n in range(PEOPLE)]
    bodies = [{"code": badge.code, "gate": f"Cửa {n}", "session": session.pk} for n, badge in enumerate(badges)]

    results = scan_all(f"{live_server.url}/api/v1/checkin/scan", bodies, secrets)

    assert [status for status, _body in results] == [200] * PEOPLE
    verdicts = sorted(body["result"] for _status, body in results)
    assert verdicts == ["admitted"] * SEATS + ["no_seat"] * (PEOPLE - SEATS)
    assert CheckIn.objects.filter(session_id=session.pk, undone_at__isnull=True).count() == SEATS
    assert ScanLog.objects.filter(session_id=session.pk).count() == PEOPLE


def walk_in_round(event, door_staff, hold=False):
    """PEOPLE threads each try to take one of SEATS walk-in seats at once; how many got in.

    hold: each transaction stays open after its INSERT until every thread has inserted, so
    every count runs before any insert commits: the race made certain, not likely.
    """
    session = make_session(event, make_room(event, capacity=SEATS))
    people = [make_participant(event, full_name=f"Người {session.pk}-{n}", status="approved") for n in range(PEOPLE)]
    door = checkin.Door(gate="Cửa", by=door_staff, session_id=session.pk)
    start, inserted = threading.Barrier(PEOPLE), threading.Barrier(PEOPLE, timeout=30)

    def walk_in(participant):
        start.wait()
        try:
            with transaction.atomic():
                holder = checkin.named_holder(event.pk, participant.pk, session.pk)
                checkin.admit(holder, door=door, at=timezone.now())
                if hold:
                    inserted.wait()
        finally:
            connection.close()

    threads = [threading.Thread(target=walk_in, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return CheckIn.objects.filter(session_id=session.pk, undone_at__isnull=True).count()


def test_control_walk_in_count_and_insert_race_only_on_postgresql(open_event, door_staff, monkeypatch):
    """Why the advisory lock exists, and only on PostgreSQL.

    PostgreSQL (READ COMMITTED): without the lock, statements that count the seats before
    any of the others commits all see a free seat, so the session overfills. SQLite runs one
    writing transaction at a time, so the same statement never overfills there, lock or not
    (its transactions cannot even overlap, so there is nothing to hold open). With the lock,
    no round overfills anywhere.
    """
    postgresql = connection.vendor == "postgresql"
    with monkeypatch.context() as unlocked_door:
        unlocked_door.setattr(checkin, "GUARDS", checkin.Guards(session_lock=False))
        unserialised = walk_in_round(open_event, door_staff, hold=postgresql)
    serialised = [walk_in_round(open_event, door_staff) for _round in range(3)]

    assert unserialised == (PEOPLE if postgresql else SEATS)
    assert serialised == [SEATS] * 3
