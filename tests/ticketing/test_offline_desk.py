"""A badge desk offline: its browser printed the badge, and the sync records that print apart from the admission,
once, however often the device sends the batch (ticketing.services.offline)."""

import json
import uuid
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from events.models import AuditEntry
from ticketing.models import CheckIn, DeskPrint, ScanLog
from ticketing.services import checkin, desk

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/checkin/sync"
DESK = "Bàn in thẻ 1"


@pytest.fixture
def staff_client(client, door_staff):
    client.force_login(door_staff)
    return client


def desk_scan(code, minutes_ago, **fields):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    scan = {"client_id": str(uuid.uuid4()), "code": code, "gate": DESK, "scanned_at": at.isoformat()}
    return {**scan, "printed": True, **fields}


def sync(client, *scans):
    body = {"event": "kol-2027", "device_id": "ban-in-1", "scans": list(scans)}
    response = client.post(SYNC, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    return [row["result"] for row in response.json()["results"]]


def test_a_badge_printed_offline_is_recorded_once_beside_the_admission_on_a_resent_batch(
    staff_client, holder, door_staff, django_capture_on_commit_callbacks
):
    scan = desk_scan(holder.badge.code, minutes_ago=12)

    with django_capture_on_commit_callbacks() as after_commit:
        answers = [sync(staff_client, scan) for _ in range(3)]

    assert answers == [["admitted"]] * 3
    assert after_commit == []  # printed already by the browser: no CUPS print job
    printed = DeskPrint.objects.get()
    at = datetime.fromisoformat(scan["scanned_at"])
    assert (printed.participant, printed.badge_version, printed.gate, printed.printed_at) == (holder, 1, DESK, at)
    assert (printed.printer, printed.state, printed.reason, printed.printed_by) == ("browser", "sent", "", door_staff)
    holder.badge.refresh_from_db()
    assert holder.badge.printed_at == at
    assert CheckIn.objects.get().checked_in_at == at
    assert ScanLog.objects.count() == 1


def test_a_print_only_desk_offline_records_the_print_and_admits_nobody(staff_client, holder):
    answers = sync(staff_client, desk_scan(holder.badge.code, minutes_ago=5, offline_result="printed"))

    assert answers == ["printed"]
    assert DeskPrint.objects.get().participant == holder
    assert not CheckIn.objects.exists()
    assert ScanLog.objects.get().result == "printed"


def test_a_scan_without_printed_records_no_print(staff_client, holder):
    sync(staff_client, desk_scan(holder.badge.code, minutes_ago=5, printed=False))

    assert CheckIn.objects.count() == 1
    assert not DeskPrint.objects.exists()


def test_a_forged_code_or_a_refused_verdict_records_no_print(staff_client, holder):
    code = holder.badge.code
    forged = code[:-4] + ("A" if code[-4] != "A" else "B") + code[-3:]

    answers = sync(
        staff_client,
        desk_scan(forged, minutes_ago=6),
        desk_scan(code, minutes_ago=5, offline_result="not_allowed"),
    )

    assert answers == ["invalid", "not_allowed"]
    assert not DeskPrint.objects.exists()


def test_an_offline_print_of_a_badge_printed_before_is_a_logged_reprint(staff_client, holder, door_staff):
    door = checkin.Door(gate="Bàn in thẻ 2", by=door_staff, event_slug="kol-2027")
    desk.desk_scan(holder.badge.code, door=door, mode="admit")

    answers = sync(staff_client, desk_scan(holder.badge.code, minutes_ago=0, offline_result="admitted"))

    assert answers == ["already_checked_in"]
    first, again = DeskPrint.objects.order_by("pk")
    assert (first.printer, again.printer) == ("", "browser")
    assert again.reason == "In khi ngoại tuyến: bàn in không biết lần in trước."
    entry = AuditEntry.objects.get(action="ticketing.badge.reprinted")
    assert entry.object_id == str(again.pk)
