"""Eight gates scan the same badge in the same instant: exactly one admission, no server error."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from events.enums import ParticipantStatus
from events.services import issue_api_token
from tests.events.factories import make_participant
from ticketing import services
from ticketing.models import CheckIn, ScanLog
from ticketing.services import checkin

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 8


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def badge_holder(event, name):
    participant = make_participant(event, full_name=name, status=ParticipantStatus.APPROVED)
    return services.issue_badge(participant)


def scan_all(url, bodies, secrets):
    """POST each body with its device token, all released together; url is one address or one per body."""
    urls = url if isinstance(url, list) else [url] * len(bodies)
    barrier = threading.Barrier(len(bodies))
    results = [None] * len(bodies)

    def scan(index):
        request = urllib.request.Request(
            urls[index],
            data=json.dumps(bodies[index]).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {secrets[index]}"},
            method="POST",
        )
        barrier.wait()  # release all scans together
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                results[index] = (response.status, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            results[index] = (error.code, error.read().decode(errors="replace"))

    threads = [threading.Thread(target=scan, args=(index,)) for index in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_scans_of_one_badge_admit_exactly_once(live_server, open_event, door_staff):
    badge = badge_holder(open_event, "Lê Văn Đạt")
    secrets = [issue_api_token(user=door_staff, name=f"Cổng {n}", scopes=["checkin:scan"])[1] for n in range(THREADS)]
    bodies = [{"code": badge.code, "gate": f"Cổng {n}"} for n in range(THREADS)]

    results = scan_all(f"{live_server.url}/api/v1/checkin/scan", bodies, secrets)

    assert [status for status, _body in results] == [200] * THREADS
    verdicts = sorted(body["result"] for _status, body in results)
    assert verdicts == ["admitted"] + ["already_checked_in"] * (THREADS - 1)
    check_in = CheckIn.objects.get()
    # Every answer names the one admission that counted.
    assert {body["gate"] for _status, body in results} == {check_in.gate}
    assert ScanLog.objects.count() == THREADS


def test_concurrent_scans_of_distinct_badges_all_admit(live_server, open_event, door_staff):
    badges = [badge_holder(open_event, f"Người tham dự {n}") for n in range(THREADS)]
    secrets = [issue_api_token(user=door_staff, name=f"Cổng {n}", scopes=["checkin:scan"])[1] for n in range(THREADS)]
    bodies = [{"code": badge.code, "gate": "Cổng chính"} for badge in badges]

    results = scan_all(f"{live_server.url}/api/v1/checkin/scan", bodies, secrets)

    assert [(status, body["result"]) for status, body in results] == [(200, "admitted")] * THREADS
    assert CheckIn.objects.count() == THREADS


def gates_round(badge, door_staff):
    """Eight gates each read the holder ("not yet admitted"), wait until all have read, then admit.

    The second barrier makes the race certain instead of likely: every gate decides on
    the same stale read, as two doors do when their scans arrive in the same instant.
    Returns each gate's verdict, or the error it met.
    """
    from ticketing import codes

    claim = codes.read_claim(badge.code)
    read_all = threading.Barrier(THREADS)
    outcomes, lock = [], threading.Lock()

    def gate(name):
        try:
            holder = checkin.badge_holder(claim, 0)
            read_all.wait()
            with transaction.atomic():
                result = checkin.admit(holder, door=checkin.Door(gate=name, by=door_staff), at=timezone.now()).result
        except IntegrityError:
            result = "integrity_error"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=gate, args=(f"Cổng {n}",)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_control_without_the_guard_gates_that_read_not_yet_admitted_all_try_to_admit(
    open_event, door_staff, monkeypatch
):
    """The race is real: every gate read "not yet admitted", so without ON CONFLICT all eight insert.

    Only the unique constraint stops the extra rows (IntegrityError, which the API would
    turn into 500s); a check-then-insert without it would admit eight times. With the
    guard, the same stale reads give one admission and seven "already checked in".
    """
    with monkeypatch.context() as unguarded_door:
        unguarded_door.setattr(checkin, "GUARDS", checkin.Guards(unique_insert=False))
        unguarded = gates_round(badge_holder(open_event, "Vòng không chặn"), door_staff)
    guarded = gates_round(badge_holder(open_event, "Vòng có chặn"), door_staff)

    assert sorted(unguarded) == ["admitted"] + ["integrity_error"] * (THREADS - 1)
    assert sorted(guarded) == ["admitted"] + ["already_checked_in"] * (THREADS - 1)
    assert CheckIn.objects.count() == 2
