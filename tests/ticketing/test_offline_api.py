"""Offline door check-in over the API: the data a device keeps (offline-data) and the later sync of its scans."""

import base64
import json
import uuid
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from events.enums import Category, ParticipantStatus
from events.models import AuditEntry
from events.services import issue_api_token
from tests.events.factories import make_participant
from ticketing import codes, services
from ticketing.models import CheckIn, CheckInConflict, OfflineScan, ScanLog
from ticketing.services import checkin

pytestmark = pytest.mark.django_db

OFFLINE_DATA = "/api/v1/checkin/offline-data"
SYNC = "/api/v1/checkin/sync"


def post(client, body, **headers):
    data = body if isinstance(body, str) else json.dumps(body, default=str)
    return client.post(SYNC, data, content_type="application/json", **headers)


@pytest.fixture
def staff_client(client, door_staff):
    client.force_login(door_staff)
    return client


def badge_holder(event, name, **fields):
    participant = make_participant(event, full_name=name, status=ParticipantStatus.APPROVED, **fields)
    services.issue_badge(participant)
    participant.refresh_from_db()
    return participant


def scan(code, minutes_ago, gate="Cổng A", **fields):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return {"client_id": str(uuid.uuid4()), "code": code, "gate": gate, "scanned_at": at.isoformat(), **fields}


# An offline admission the server stands by: no conflict, not overruled.
STANDS = {"conflict": False, "overruled": False, "first_gate": None, "first_at": None}


def batch(*scans, device="may-quet-1", event="kol-2027"):
    return {"event": event, "device_id": device, "scans": list(scans)}


# --- offline-data ---------------------------------------------------------------------


def test_offline_data_holds_keys_versions_names_and_admissions(staff_client, holder, door_staff, open_event):
    other = badge_holder(open_event, "Phạm Minh Tuấn", organization="", category=Category.PLATFORM)
    services.reissue_badge(other.badge)
    admitted = checkin.scan(code=holder.badge.code, gate="Cổng A", by=door_staff)

    response = staff_client.get(OFFLINE_DATA, {"event": "kol-2027"})

    body = response.json()
    key = services.event_key(open_event)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert body["keys"] == [
        {"key_id": key.key_id, "algorithm": "Ed25519", "public_key": base64.b64encode(bytes(key.public_key)).decode()}
    ]
    assert body["participants"] == [
        [holder.pk, 1, True, "Trần Thị Thu Hằng", "kol", "Công ty Truyền thông Sao Việt"],
        [other.pk, 2, True, "Phạm Minh Tuấn", "platform", ""],
    ]
    assert [row[:3] for row in body["admissions"]] == [[holder.pk, 0, "Cổng A"]]
    assert datetime.fromisoformat(body["admissions"][0][3]) == admitted.checked_in_at.replace(
        microsecond=admitted.checked_in_at.microsecond // 1000 * 1000
    )
    assert (body["event"], body["event_id"]) == ("kol-2027", open_event.pk)
    opens, closes = checkin.window(open_event)
    assert (datetime.fromisoformat(body["opens_at"]), datetime.fromisoformat(body["closes_at"])) == (opens, closes)
    assert abs(datetime.fromisoformat(body["as_of"]) - timezone.now()) < timedelta(seconds=5)


def test_offline_data_marks_tickets_no_longer_valid_and_skips_people_without_badge(staff_client, holder, open_event):
    holder.status = ParticipantStatus.REJECTED
    holder.save()
    make_participant(open_event, full_name="Chưa Có Thẻ", status=ParticipantStatus.PENDING)

    body = staff_client.get(OFFLINE_DATA, {"event": "kol-2027"}).json()

    assert body["participants"] == [[holder.pk, 1, False, "Trần Thị Thu Hằng", "kol", "Công ty Truyền thông Sao Việt"]]
    assert body["admissions"] == []


def test_offline_data_public_key_verifies_a_badge(staff_client, holder):
    body = staff_client.get(OFFLINE_DATA, {"event": "kol-2027"}).json()

    claim = codes.verify_code(base64.b64decode(body["keys"][0]["public_key"]), holder.badge.code)
    assert (claim.participant_id, claim.version) == (holder.pk, 1)


@pytest.mark.parametrize("people", [1, 4])
def test_offline_data_runs_a_fixed_number_of_queries(staff_client, open_event, door_staff, count_queries, people):
    for n in range(people):
        participant = badge_holder(open_event, f"Khách {n}")
        checkin.scan(code=participant.badge.code, gate=f"Cổng {n}", by=door_staff)

    queries = count_queries(lambda: staff_client.get(OFFLINE_DATA, {"event": "kol-2027"}))

    # session + user + groups (auth), event, its key, the holders, the admissions
    assert queries == 7


def test_offline_data_needs_auth(client, holder):
    assert client.get(OFFLINE_DATA, {"event": "kol-2027"}).status_code == 401
    assert client.get(OFFLINE_DATA, {"event": "kol-2027"}, HTTP_AUTHORIZATION="Bearer sai").status_code == 401


def test_offline_data_refuses_users_without_door_role(client, holder):
    client.force_login(User.objects.create_user(username="khach", password="pw-khach"))

    assert client.get(OFFLINE_DATA, {"event": "kol-2027"}).status_code == 403


def test_offline_data_with_a_scan_token_and_refused_with_another_scope(client, holder, door_staff):
    _device, scan_secret = issue_api_token(user=door_staff, name="Máy quét", scopes=["checkin:scan"])
    _printer, other_secret = issue_api_token(user=door_staff, name="Máy in", scopes=["badges:read"])

    allowed = client.get(OFFLINE_DATA, {"event": "kol-2027"}, HTTP_AUTHORIZATION=f"Bearer {scan_secret}")
    refused = client.get(OFFLINE_DATA, {"event": "kol-2027"}, HTTP_AUTHORIZATION=f"Bearer {other_secret}")

    assert (allowed.status_code, refused.status_code) == (200, 403)


def test_offline_data_unknown_event_is_404_and_missing_event_422(staff_client, holder):
    assert staff_client.get(OFFLINE_DATA, {"event": "khong-co"}).status_code == 404
    assert staff_client.get(OFFLINE_DATA).status_code == 422


# --- sync --------------------------------------------------------------------------------


def test_sync_admits_at_the_original_time_and_logs_it_offline(staff_client, holder, door_staff):
    first = scan(holder.badge.code, minutes_ago=42)

    response = post(staff_client, batch(first))

    assert response.status_code == 200
    assert response.json() == {"results": [{"client_id": first["client_id"], "result": "admitted", **STANDS}]}
    admission = CheckIn.objects.get()
    assert admission.checked_in_at == datetime.fromisoformat(first["scanned_at"])
    assert (admission.gate, admission.checked_in_by) == ("Cổng A", door_staff)
    log = ScanLog.objects.get()
    assert (log.result, log.offline, log.scanned_at, log.participant_id_claimed) == (
        "admitted",
        True,
        admission.checked_in_at,
        holder.pk,
    )
    stored = OfflineScan.objects.get()
    assert (stored.device_id, str(stored.client_id), stored.check_in, stored.scan_log) == (
        "may-quet-1",
        first["client_id"],
        admission,
        log,
    )


def test_sync_resent_batch_is_applied_once(staff_client, holder):
    scans = batch(scan(holder.badge.code, minutes_ago=10), scan(holder.badge.code, minutes_ago=9))

    answers = [post(staff_client, scans).json() for _ in range(3)]

    assert answers[0] == answers[1] == answers[2]
    assert [row["result"] for row in answers[0]["results"]] == ["admitted", "already_checked_in"]
    assert not any(row["conflict"] for row in answers[0]["results"])
    assert (CheckIn.objects.count(), ScanLog.objects.count(), OfflineScan.objects.count()) == (1, 2, 2)
    assert CheckInConflict.objects.count() == 0


def test_sync_same_client_id_from_another_device_is_another_scan(staff_client, holder):
    one = scan(holder.badge.code, minutes_ago=10)

    post(staff_client, batch(one, device="may-1"))
    answer = post(staff_client, batch({**one, "gate": "Cổng B"}, device="may-2")).json()

    assert OfflineScan.objects.count() == 2
    assert answer["results"][0]["result"] == "already_checked_in"


def test_sync_badge_admitted_at_two_devices_is_a_conflict(staff_client, holder, door_staff):
    at_a = scan(holder.badge.code, minutes_ago=20, gate="Cổng A")
    at_b = scan(holder.badge.code, minutes_ago=15, gate="Cổng B")

    answer_a = post(staff_client, batch(at_a, device="may-a")).json()
    answer_b = post(staff_client, batch(at_b, device="may-b")).json()

    assert answer_a["results"][0] | {"client_id": ""} == {"client_id": "", "result": "admitted", **STANDS}
    told = answer_b["results"][0]
    assert (told["result"], told["conflict"], told["overruled"], told["first_gate"]) == (
        "already_checked_in",
        True,
        True,
        "Cổng A",
    )
    # The JSON answer keeps milliseconds.
    assert abs(datetime.fromisoformat(told["first_at"]) - datetime.fromisoformat(at_a["scanned_at"])) < timedelta(
        milliseconds=1
    )
    # The same batch sent again (the answer was lost): the device is told the same, nothing recorded twice.
    assert post(staff_client, batch(at_b, device="may-b")).json()["results"][0] == told
    conflict = CheckInConflict.objects.get()
    admission = CheckIn.objects.get()
    assert (conflict.check_in, conflict.participant, conflict.first_gate, conflict.second_gate) == (
        admission,
        holder,
        "Cổng A",
        "Cổng B",
    )
    assert (conflict.first_device, conflict.second_device, conflict.second_by) == ("may-a", "may-b", door_staff)
    assert conflict.first_at == datetime.fromisoformat(at_a["scanned_at"])
    assert conflict.second_at == datetime.fromisoformat(at_b["scanned_at"])
    assert AuditEntry.objects.filter(action="ticketing.check_in.conflict").count() == 1


def test_sync_after_a_live_admission_at_another_gate_is_a_conflict(staff_client, holder, door_staff):
    checkin.scan(code=holder.badge.code, gate="Cổng A", by=door_staff)

    answer = post(staff_client, batch(scan(holder.badge.code, minutes_ago=0, gate="Cổng C"))).json()

    assert answer["results"][0]["conflict"] is True
    assert CheckInConflict.objects.get().first_device == ""


def test_sync_scan_the_device_turned_away_is_logged_not_admitted(staff_client, holder):
    turned_away = scan(holder.badge.code, minutes_ago=5, offline_result="already_checked_in")

    answer = post(staff_client, batch(turned_away)).json()

    assert answer["results"][0]["result"] == "already_checked_in"
    assert CheckIn.objects.count() == 0
    assert ScanLog.objects.get().result == "already_checked_in"


def test_sync_forged_and_revoked_codes_in_a_batch(staff_client, holder, open_event):
    old_code = holder.badge.code
    services.reissue_badge(holder.badge)
    holder.badge.refresh_from_db()
    forged = old_code[:-4] + ("A" if old_code[-4] != "A" else "B") + old_code[-3:]
    other = badge_holder(open_event, "Lê Thị Mai")
    scans = [
        scan(forged, minutes_ago=8),
        scan(old_code, minutes_ago=7),
        scan("KHONG-PHAI-MA", minutes_ago=6),
        scan(other.badge.code, minutes_ago=5),
    ]

    answer = post(staff_client, batch(*scans)).json()

    assert [row["result"] for row in answer["results"]] == ["invalid", "revoked", "invalid", "admitted"]
    assert list(CheckIn.objects.values_list("participant_id", flat=True)) == [other.pk]
    assert ScanLog.objects.filter(offline=True).count() == 4


def test_sync_outside_the_check_in_window_is_not_open(staff_client, holder):
    days_ago = scan(holder.badge.code, minutes_ago=60 * 24 * 5)

    answer = post(staff_client, batch(days_ago)).json()

    assert answer["results"][0]["result"] == "not_open"
    assert CheckIn.objects.count() == 0


def test_sync_time_from_a_fast_device_clock_is_capped_at_now(staff_client, holder):
    future = scan(holder.badge.code, minutes_ago=-30)

    post(staff_client, batch(future))

    assert CheckIn.objects.get().checked_in_at <= timezone.now()


def test_sync_unknown_session_answers_invalid_and_the_batch_goes_on(staff_client, holder):
    scans = [scan(holder.badge.code, minutes_ago=3, session=9999), scan(holder.badge.code, minutes_ago=2)]

    answer = post(staff_client, batch(*scans)).json()

    assert [row["result"] for row in answer["results"]] == ["invalid", "admitted"]


# --- admissions by name (the device's offline name search) --------------------------------


def by_name(participant, minutes_ago, gate="Cổng A", **fields):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return {
        "client_id": str(uuid.uuid4()),
        "participant": participant.pk,
        "gate": gate,
        "scanned_at": at.isoformat(),
        **fields,
    }


def test_sync_by_name_admits_at_the_original_time_and_logs_an_empty_code(staff_client, open_event, door_staff):
    cuong = make_participant(open_event, full_name="Nguyễn Mạnh Cường", status=ParticipantStatus.APPROVED)
    item = by_name(cuong, minutes_ago=25)

    response = post(staff_client, batch(item))

    assert response.json() == {"results": [{"client_id": item["client_id"], "result": "admitted", **STANDS}]}
    admission = CheckIn.objects.get()
    assert (admission.participant, admission.gate, admission.checked_in_by) == (cuong, "Cổng A", door_staff)
    assert admission.checked_in_at == datetime.fromisoformat(item["scanned_at"])
    log = ScanLog.objects.get()
    assert (log.code, log.result, log.offline, log.scanned_at) == ("", "admitted", True, admission.checked_in_at)
    assert (log.event_id_claimed, log.participant_id_claimed) == (open_event.pk, cuong.pk)
    assert OfflineScan.objects.get().check_in == admission


def test_sync_by_name_without_a_valid_ticket_is_not_allowed(staff_client, open_event):
    pending = make_participant(open_event, full_name="Lê Văn Đạt", status=ParticipantStatus.PENDING)

    answer = post(staff_client, batch(by_name(pending, minutes_ago=3))).json()

    assert answer["results"][0]["result"] == "not_allowed"
    assert CheckIn.objects.count() == 0


def test_sync_by_name_ignores_the_badge_version(staff_client, holder):
    services.reissue_badge(holder.badge)  # version 2: a name admission has no code to compare

    answer = post(staff_client, batch(by_name(holder, minutes_ago=3))).json()

    assert answer["results"][0]["result"] == "admitted"


def test_sync_by_name_of_another_events_participant_is_invalid_and_the_batch_goes_on(staff_client, holder, other_event):
    stranger = make_participant(other_event, full_name="Võ Thị Sáu", status=ParticipantStatus.APPROVED)
    missing = {**by_name(holder, minutes_ago=5), "participant": 999999}
    items = [by_name(stranger, minutes_ago=6), missing, by_name(holder, minutes_ago=4)]

    response = post(staff_client, batch(*items))

    assert response.status_code == 200
    assert [row["result"] for row in response.json()["results"]] == ["invalid", "invalid", "admitted"]
    assert list(CheckIn.objects.values_list("participant_id", flat=True)) == [holder.pk]
    # The stranger's id is not logged: the arrivals page names the logged participants.
    assert list(ScanLog.objects.order_by("scanned_at").values_list("result", "participant_id_claimed")) == [
        ("invalid", None),
        ("invalid", None),
        ("admitted", holder.pk),
    ]


def test_sync_by_name_resent_is_applied_once(staff_client, holder):
    items = batch(by_name(holder, minutes_ago=10), by_name(holder, minutes_ago=9))

    answers = [post(staff_client, items).json() for _ in range(2)]

    assert answers[0] == answers[1]
    assert [row["result"] for row in answers[0]["results"]] == ["admitted", "already_checked_in"]
    assert not any(row["conflict"] for row in answers[0]["results"])
    assert (CheckIn.objects.count(), ScanLog.objects.count(), OfflineScan.objects.count()) == (1, 2, 2)


def test_sync_by_name_after_a_badge_scan_at_another_device_is_a_conflict(staff_client, holder, door_staff):
    badge_at_a = scan(holder.badge.code, minutes_ago=20, gate="Cổng A")
    name_at_b = by_name(holder, minutes_ago=15, gate="Cổng B")

    post(staff_client, batch(badge_at_a, device="may-a"))
    answer = post(staff_client, batch(name_at_b, device="may-b")).json()

    told = answer["results"][0]
    assert (told["result"], told["conflict"], told["overruled"], told["first_gate"]) == (
        "already_checked_in",
        True,
        True,
        "Cổng A",
    )
    conflict = CheckInConflict.objects.get()
    assert (conflict.participant, conflict.first_device, conflict.second_device) == (holder, "may-a", "may-b")
    assert conflict.second_at == datetime.fromisoformat(name_at_b["scanned_at"])
    assert CheckIn.objects.get().gate == "Cổng A"


def test_sync_by_name_the_device_turned_away_is_logged_not_admitted(staff_client, holder):
    answer = post(staff_client, batch(by_name(holder, minutes_ago=2, offline_result="already_checked_in"))).json()

    assert answer["results"][0]["result"] == "already_checked_in"
    assert CheckIn.objects.count() == 0
    assert ScanLog.objects.get().participant_id_claimed == holder.pk


@pytest.mark.parametrize("both", [True, False])
def test_sync_item_needs_exactly_one_of_code_and_participant(staff_client, holder, both):
    item = by_name(holder, minutes_ago=1)
    if both:
        item["code"] = holder.badge.code
    else:
        del item["participant"]
    good = scan(holder.badge.code, minutes_ago=2)

    response = post(staff_client, batch(good, item), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "scans.1": ["Send either the scanned code or the participant, exactly one of the two."]
    }
    assert (ScanLog.objects.count(), OfflineScan.objects.count(), CheckIn.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        {},
        {"event": "kol-2027", "device_id": "may-1"},
        {"event": "kol-2027", "device_id": "", "scans": []},
        {"event": "kol-2027", "device_id": "có dấu cách", "scans": []},
        {"event": "kol-2027", "device_id": "may-1", "scans": [{"client_id": "khong-phai-uuid"}]},
        batch({"client_id": str(uuid.uuid4()), "code": "X", "gate": "A", "scanned_at": "hôm qua"}),
        batch({"client_id": str(uuid.uuid4()), "code": "X", "gate": "A", "scanned_at": "2027-08-14T08:00:00"}),
        batch({"client_id": str(uuid.uuid4()), "code": "X", "gate": "", "scanned_at": "2027-08-14T08:00:00Z"}),
        batch(scan("X", minutes_ago=1, offline_result="undone")),
        batch(scan("X", minutes_ago=1, session=0)),
        batch(scan("X", minutes_ago=1, participant=0)),
        batch(scan("X", minutes_ago=1, participant="ai đó")),
        batch({"client_id": str(uuid.uuid4()), "code": "X", "gate": "A", "scanned_at": "0001-01-01T00:00:00+01:00"}),
    ],
)
def test_sync_malformed_body_is_422_and_saves_nothing(staff_client, holder, body):
    response = post(staff_client, body)

    assert response.status_code == 422
    assert (ScanLog.objects.count(), OfflineScan.objects.count(), CheckIn.objects.count()) == (0, 0, 0)


def test_sync_one_bad_scan_in_a_batch_saves_none(staff_client, holder):
    good = scan(holder.badge.code, minutes_ago=2)
    bad = {**scan(holder.badge.code, minutes_ago=1), "scanned_at": "không rõ"}

    response = post(staff_client, batch(good, bad))

    assert response.status_code == 422
    assert (OfflineScan.objects.count(), CheckIn.objects.count()) == (0, 0)


def test_sync_too_many_scans_is_422(staff_client, holder):
    response = post(staff_client, batch(*[scan("X", minutes_ago=1) for _ in range(501)]))

    assert response.status_code == 422


def test_sync_unknown_event_is_404(staff_client, holder):
    response = post(staff_client, batch(scan(holder.badge.code, minutes_ago=1), event="khong-co"))

    assert response.status_code == 404
    assert OfflineScan.objects.count() == 0


def test_sync_needs_auth_and_the_scan_scope(client, holder, door_staff):
    body = batch(scan(holder.badge.code, minutes_ago=1))
    _printer, other_secret = issue_api_token(user=door_staff, name="Máy in", scopes=["badges:read"])
    device, scan_secret = issue_api_token(user=door_staff, name="Máy quét", scopes=["checkin:scan"])

    assert post(client, body).status_code == 401
    assert post(client, body, HTTP_AUTHORIZATION=f"Bearer {other_secret}").status_code == 403
    assert CheckIn.objects.count() == 0
    assert post(client, body, HTTP_AUTHORIZATION=f"Bearer {scan_secret}").status_code == 200
    assert ScanLog.objects.get().device == device


def test_sync_refuses_users_without_door_role(client, holder):
    client.force_login(User.objects.create_user(username="khach", password="pw-khach"))

    assert post(client, batch(scan(holder.badge.code, minutes_ago=1))).status_code == 403
    assert OfflineScan.objects.count() == 0


def test_arrivals_api_lists_conflicts(organizer_client, holder, door_staff):
    from django.test import Client

    door = Client()
    door.force_login(door_staff)
    post(door, batch(scan(holder.badge.code, minutes_ago=20, gate="Cổng A"), device="may-a"))
    post(door, batch(scan(holder.badge.code, minutes_ago=15, gate="Cổng B"), device="may-b"))

    conflicts = organizer_client.get("/api/v1/checkin/arrivals", {"event": "kol-2027"}).json()["conflicts"]

    assert [(c["name"], c["first_gate"], c["second_gate"], c["second_device"]) for c in conflicts] == [
        ("Trần Thị Thu Hằng", "Cổng A", "Cổng B", "may-b")
    ]


def test_organizer_marks_a_conflict_reviewed_in_the_admin_and_it_leaves_arrivals(
    organizer_client, organizer, holder, door_staff
):
    from django.test import Client
    from django.urls import reverse

    door = Client()
    door.force_login(door_staff)
    post(door, batch(scan(holder.badge.code, minutes_ago=20, gate="Cổng A"), device="may-a"))
    post(door, batch(scan(holder.badge.code, minutes_ago=15, gate="Cổng B"), device="may-b"))
    conflict = CheckInConflict.objects.get()
    changelist = reverse("admin:ticketing_checkinconflict_changelist")

    answer = organizer_client.post(changelist, {"action": "mark_reviewed", "_selected_action": [conflict.pk]})

    conflict.refresh_from_db()
    assert answer.status_code == 302
    assert (conflict.reviewed_by, conflict.reviewed_at is not None) == (organizer, True)
    assert (
        AuditEntry.objects.filter(action="ticketing.check_in.conflict_reviewed", object_id=str(conflict.pk)).count()
        == 1
    )
    assert organizer_client.get("/api/v1/checkin/arrivals", {"event": "kol-2027"}).json()["conflicts"] == []
    # Marking again changes nothing and logs nothing more.
    organizer_client.post(changelist, {"action": "mark_reviewed", "_selected_action": [conflict.pk]})
    assert AuditEntry.objects.filter(action="ticketing.check_in.conflict_reviewed").count() == 1


def test_only_organizers_review_conflicts(door_staff, holder):
    from events.errors import PermissionDenied
    from ticketing.services import offline

    with pytest.raises(PermissionDenied):
        offline.mark_conflicts_reviewed(CheckInConflict.objects.all(), by=door_staff)
