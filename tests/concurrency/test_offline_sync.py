"""Offline scans reach the server at once: a batch resent in parallel applies once; a badge admitted offline at
eight devices is one admission and seven conflicts."""

import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.services import issue_api_token
from ticketing.models import CheckIn, CheckInConflict, OfflineScan, ScanLog

from .test_checkin import THREADS, badge_holder, scan_all

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def offline_scan(code, gate, minutes_ago):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return {"client_id": str(uuid.uuid4()), "code": code, "gate": gate, "scanned_at": at.isoformat()}


def secrets_for(door_staff):
    return [issue_api_token(user=door_staff, name=f"Máy {n}", scopes=["checkin:scan"])[1] for n in range(THREADS)]


def test_one_batch_resent_in_parallel_applies_once(live_server, open_event, door_staff):
    badges = [badge_holder(open_event, f"Người tham dự {n}") for n in range(3)]
    scans = [offline_scan(badge.code, "Cổng A", minutes_ago=10 - n) for n, badge in enumerate(badges)]
    body = {"event": open_event.slug, "device_id": "may-cong-a", "scans": scans}

    results = scan_all(f"{live_server.url}/api/v1/checkin/sync", [body] * THREADS, secrets_for(door_staff))

    assert [status for status, _answer in results] == [200] * THREADS
    assert all(answer == results[0][1] for _status, answer in results)
    assert [row["result"] for row in results[0][1]["results"]] == ["admitted"] * 3
    assert (OfflineScan.objects.count(), CheckIn.objects.count(), ScanLog.objects.count()) == (3, 3, 3)


def test_badge_admitted_offline_at_eight_devices_is_one_admission_and_seven_conflicts(
    live_server, open_event, door_staff
):
    badge = badge_holder(open_event, "Lê Văn Đạt")
    bodies = [
        {"event": open_event.slug, "device_id": f"may-{n}", "scans": [offline_scan(badge.code, f"Cổng {n}", n)]}
        for n in range(THREADS)
    ]

    results = scan_all(f"{live_server.url}/api/v1/checkin/sync", bodies, secrets_for(door_staff))

    answers = sorted((body["results"][0]["result"], body["results"][0]["conflict"]) for _status, body in results)
    assert answers == [("admitted", False)] + [("already_checked_in", True)] * (THREADS - 1)
    assert CheckIn.objects.count() == 1
    assert CheckInConflict.objects.count() == THREADS - 1


def test_control_the_unique_constraint_is_what_refuses_a_second_claim(open_event, door_staff):
    """Without the constraint a resend racing the first send would both pass a "was it sent?" read."""
    fields = {
        "event": open_event,
        "device_id": "may-1",
        "client_id": uuid.uuid4(),
        "scanned_at": timezone.now(),
        "gate": "Cổng A",
        "offline_result": "admitted",
        "user": door_staff,
    }
    OfflineScan.objects.create(**fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        OfflineScan.objects.create(**fields)
