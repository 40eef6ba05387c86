"""The scan API contract: always 200 with a verdict, 422 for malformed bodies, 401/403 for auth."""

import json
from datetime import datetime

import pytest
from django.contrib.auth.models import User

from events.services import issue_api_token
from tests.agenda.factories import make_room, make_session
from ticketing.models import CheckIn, ScanLog

pytestmark = pytest.mark.django_db

SCAN = "/api/v1/checkin/scan"


def post(client, path, body, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data, content_type="application/json", **headers)


@pytest.fixture
def staff_client(client, door_staff):
    client.force_login(door_staff)
    return client


def test_scan_admits_with_the_full_answer(staff_client, holder):
    response = post(staff_client, SCAN, {"code": holder.badge.code, "gate": "Cổng A"}, HTTP_ACCEPT_LANGUAGE="vi")

    body = response.json()
    assert response.status_code == 200
    assert body["result"] == "admitted"
    assert body["participant"] == {
        "name": "Trần Thị Thu Hằng",
        "category": "kol",
        "organization": "Công ty Truyền thông Sao Việt",
        "title": "Giám đốc",
    }
    assert body["gate"] == "Cổng A"
    stored = CheckIn.objects.get().checked_in_at
    assert datetime.fromisoformat(body["checked_in_at"]) == stored.replace(
        microsecond=stored.microsecond // 1000 * 1000
    )
    assert body["message"] == "Chào mừng! Mời vào."


def test_scan_again_answers_already_checked_in_in_english(staff_client, holder):
    post(staff_client, SCAN, {"code": holder.badge.code, "gate": "Cổng A"})
    response = post(staff_client, SCAN, {"code": holder.badge.code, "gate": "Cổng B"}, HTTP_ACCEPT_LANGUAGE="en")

    body = response.json()
    assert (response.status_code, body["result"], body["gate"]) == (200, "already_checked_in", "Cổng A")
    assert body["message"] == "Already checked in."


def test_scan_forged_code_answers_invalid_without_participant(staff_client, holder):
    code = holder.badge.code[:-4] + ("A" if holder.badge.code[-4] != "A" else "B") + holder.badge.code[-3:]

    response = post(staff_client, SCAN, {"code": code, "gate": "A"})

    assert response.status_code == 200
    assert response.json() | {"message": ""} == {
        "result": "invalid",
        "message": "",
        "participant": None,
        "checked_in_at": None,
        "gate": None,
        "check_in_id": None,
        "seats_left": None,
    }


def test_scan_with_another_event_slug_is_wrong_event(staff_client, holder):
    response = post(staff_client, SCAN, {"code": holder.badge.code, "gate": "A", "event": "hoi-thao-khac"})

    assert response.json()["result"] == "wrong_event"


def test_scan_revoked_and_not_allowed_and_not_open(staff_client, holder, settings):
    from ticketing import services

    old = holder.badge.code
    services.reissue_badge(holder.badge)
    assert post(staff_client, SCAN, {"code": old, "gate": "A"}).json()["result"] == "revoked"

    holder.refresh_from_db()
    holder.status = "rejected"
    holder.save()
    assert post(staff_client, SCAN, {"code": holder.badge.code, "gate": "A"}).json()["result"] == "not_allowed"

    holder.status = "approved"
    holder.save()
    holder.event.start_date = holder.event.start_date.replace(year=holder.event.start_date.year + 1)
    holder.event.end_date = holder.event.start_date
    holder.event.save()
    assert post(staff_client, SCAN, {"code": holder.badge.code, "gate": "A"}).json()["result"] == "not_open"


def test_scan_session_door(staff_client, holder):
    session = make_session(holder.event, make_room(holder.event, capacity=1))
    body = {"code": holder.badge.code, "gate": "Phòng 2", "session": session.pk}

    response = post(staff_client, SCAN, body)

    assert response.json()["result"] == "admitted"
    assert CheckIn.objects.get().session_id == session.pk


def test_scan_session_door_answers_the_walk_in_seats_left(staff_client, holder, open_event):
    from tests.events.factories import make_participant
    from ticketing import services

    session = make_session(open_event, make_room(open_event, capacity=2))
    second = services.issue_badge(make_participant(open_event, full_name="Phan Văn Khải", status="approved"))
    third = services.issue_badge(make_participant(open_event, full_name="Hồ Thị Lan", status="approved"))

    answers = [
        post(staff_client, SCAN, {"code": code, "gate": "Phòng 2", "session": session.pk}).json()
        for code in (holder.badge.code, second.code, third.code)
    ]

    assert [(answer["result"], answer["seats_left"]) for answer in answers] == [
        ("admitted", 1),
        ("admitted", 0),
        ("no_seat", 0),
    ]
    assert answers[2]["message"] == "Hết chỗ: phiên này đã đầy và người này không đặt chỗ trước."


def test_scan_unknown_session_is_404(staff_client, holder):
    response = post(staff_client, SCAN, {"code": holder.badge.code, "gate": "Phòng 2", "session": 999})

    assert (response.status_code, response.json()["code"]) == (404, "session_not_found")
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        {},
        {"code": "X"},
        {"gate": "A"},
        {"code": 12, "gate": "A"},
        {"code": "X", "gate": ""},
        {"code": "X", "gate": "A", "session": "hai"},
        {"code": "X", "gate": "A", "session": 0},
        {"code": "X" * 2001, "gate": "A"},
    ],
)
def test_scan_malformed_body_is_422(staff_client, holder, body):
    response = post(staff_client, SCAN, body)

    assert response.status_code == 422
    assert ScanLog.objects.count() == 0


@pytest.mark.parametrize("raw", ["not json", '{"code": "X", "gate": ', b"\xff\xfe"])
def test_scan_body_that_is_not_json_is_422(staff_client, holder, raw):
    response = staff_client.post(SCAN, raw, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "message": "The request body is not valid JSON.",
        "errors": {},
    }
    assert ScanLog.objects.count() == 0


def test_scan_without_auth_is_401(client, holder):
    response = post(client, SCAN, {"code": holder.badge.code, "gate": "A"})

    assert response.status_code == 401
    assert CheckIn.objects.count() == 0


def test_scan_with_a_bad_bearer_token_is_401(client, holder):
    response = post(client, SCAN, {"code": holder.badge.code, "gate": "A"}, HTTP_AUTHORIZATION="Bearer sai")

    assert response.status_code == 401


def test_scan_by_a_user_without_door_role_is_403(client, holder):
    client.force_login(User.objects.create_user(username="khach", password="pw-khach"))

    response = post(client, SCAN, {"code": holder.badge.code, "gate": "A"})

    assert response.status_code == 403
    assert CheckIn.objects.count() == 0


def test_scan_with_a_device_token_admits_and_logs_the_device(client, holder, door_staff):
    device, secret = issue_api_token(user=door_staff, name="Máy quét cổng A", scopes=["checkin:scan"])

    response = post(client, SCAN, {"code": holder.badge.code, "gate": "A"}, HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.json()["result"] == "admitted"
    assert (ScanLog.objects.get().device, ScanLog.objects.get().user) == (device, door_staff)


def test_scan_with_a_token_lacking_the_scope_is_403(client, holder, door_staff):
    _device, secret = issue_api_token(user=door_staff, name="Máy in", scopes=["badges:read"])

    response = post(client, SCAN, {"code": holder.badge.code, "gate": "A"}, HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 403


def test_scan_with_a_token_of_a_user_without_door_role_is_403(client, holder):
    user = User.objects.create_user(username="khach", password="pw-khach")
    _device, secret = issue_api_token(user=user, name="Máy lạ", scopes=["checkin:scan"])

    response = post(client, SCAN, {"code": holder.badge.code, "gate": "A"}, HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 403


def test_session_scan_needs_csrf(holder, door_staff):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(door_staff)

    response = post(client, SCAN, {"code": holder.badge.code, "gate": "A"})

    assert response.status_code in (401, 403)
    assert CheckIn.objects.count() == 0


def test_undo_by_supervisor(client, holder, door_staff, supervisor):
    client.force_login(door_staff)
    check_in_id = post(client, SCAN, {"code": holder.badge.code, "gate": "A"}).json()["check_in_id"]
    client.force_login(supervisor)

    response = post(client, f"/api/v1/checkin/{check_in_id}/undo", {})
    again = post(client, f"/api/v1/checkin/{check_in_id}/undo", {})

    assert response.status_code == 200
    assert response.json()["check_in_id"] == check_in_id
    assert (again.status_code, again.json()["code"]) == (409, "check_in_already_undone")
    assert CheckIn.objects.get().undone_by == supervisor


def test_undo_by_door_staff_is_403(staff_client, holder):
    check_in_id = post(staff_client, SCAN, {"code": holder.badge.code, "gate": "A"}).json()["check_in_id"]

    response = post(staff_client, f"/api/v1/checkin/{check_in_id}/undo", {})

    assert response.status_code == 403
    assert CheckIn.objects.get().undone_at is None


def test_undo_unknown_admission_is_404(client, supervisor):
    client.force_login(supervisor)

    response = post(client, "/api/v1/checkin/999999/undo", {})

    assert (response.status_code, response.json()["code"]) == (404, "check_in_not_found")


def test_scan_of_an_erased_persons_printed_badge_says_void_not_replaced(staff_client, holder, organizer):
    from events.privacy import erase_participant

    printed = holder.badge.code
    erase_participant(participant=holder, by=organizer, reason="Yêu cầu xóa dữ liệu")

    body = post(staff_client, SCAN, {"code": printed, "gate": "A"}, HTTP_ACCEPT_LANGUAGE="vi").json()

    assert body["result"] == "revoked"
    assert body["message"] == "Thẻ này đã bị hủy: đăng ký của người giữ thẻ đã bị xóa. Không cho vào."
    assert CheckIn.objects.count() == 0


def test_scan_of_a_replaced_badge_still_says_replaced(staff_client, holder):
    from ticketing import services

    old = holder.badge.code
    services.reissue_badge(holder.badge)

    body = post(staff_client, SCAN, {"code": old, "gate": "A"}, HTTP_ACCEPT_LANGUAGE="vi").json()

    assert body["message"] == "Thẻ này đã được thay bằng thẻ mới hơn."
