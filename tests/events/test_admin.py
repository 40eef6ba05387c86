"""The organizers' back office: vetting in bulk with a reason, exports, who gets in."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail

from events.models import Invitation, Participant

from .factories import make_participant

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/events/participant/"


def run_action(client, action, participants, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [p.pk for p in participants], **extra}
    return client.post(CHANGELIST, data)


def test_bulk_approve_asks_for_a_reason_then_notifies_each(
    organizer_client, organizer, event, django_capture_on_commit_callbacks
):
    first = make_participant(event, full_name="Nguyễn Văn An", language="vi")
    second = make_participant(event, full_name="Trần Bình", language="en")
    untouched = make_participant(event)
    confirm = run_action(organizer_client, "mark_approved", [first, second])
    assert confirm.status_code == 200
    assert "Nguyễn Văn An" in confirm.content.decode()
    assert Participant.objects.filter(status="approved").count() == 0  # nothing before confirming
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(organizer_client, "mark_approved", [first, second], apply="1", reason="Kênh uy tín")
    assert response.status_code == 302
    first.refresh_from_db()
    untouched.refresh_from_db()
    assert (first.status, first.decided_by, first.decision_reason) == ("approved", organizer, "Kênh uy tín")
    assert untouched.status == "pending"
    status_mails = [m for m in mail.outbox if "registration" in m.subject or "Đăng ký" in m.subject]
    subjects = sorted(m.subject for m in status_mails)
    assert subjects == [
        "First National KOL Conference: Your registration: Approved",
        "Hội nghị KOL toàn quốc lần thứ nhất: Đăng ký của bạn: Đã duyệt",
    ]
    assert all("Kênh uy tín" in m.body for m in status_mails)


def test_bulk_reject_and_waitlist(organizer_client, event):
    people = [make_participant(event) for _ in range(3)]
    run_action(organizer_client, "mark_rejected", people[:1], apply="1", reason="Chưa đủ điều kiện")
    run_action(organizer_client, "mark_waitlisted", people[1:], apply="1")
    assert sorted(Participant.objects.values_list("status", flat=True)) == ["rejected", "waitlisted", "waitlisted"]


def test_export_csv_keeps_diacritics_and_defuses_formulas(organizer_client, event):
    make_participant(event, full_name="Đặng Thị Ngọc Ánh", organization='=HYPERLINK("http://x")', phone="+84912345678")
    response = run_action(organizer_client, "export_csv", Participant.objects.all())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Mã số", "Họ và tên", "Loại đại biểu"]
    assert rows[1][1] == "Đặng Thị Ngọc Ánh"
    assert rows[1][5] == '\'=HYPERLINK("http://x")'
    assert rows[1][7] == "+84912345678"


def test_export_xlsx_keeps_diacritics(organizer_client, event):
    from openpyxl import load_workbook

    make_participant(event, full_name="Huỳnh Ưng Phước")
    response = run_action(organizer_client, "export_xlsx", Participant.objects.all())
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=2).value == "Huỳnh Ưng Phước"


def test_filters_and_search(organizer_client, event):
    make_participant(event, full_name="Phạm Minh Khôi", category="platform", status="approved")
    make_participant(event, full_name="Bùi Lan", category="kol")
    html = organizer_client.get(CHANGELIST, {"category__exact": "platform"}).content.decode()
    assert "Phạm Minh Khôi" in html and "Bùi Lan" not in html
    html = organizer_client.get(CHANGELIST, {"q": "Bùi"}).content.decode()
    assert "Bùi Lan" in html and "Phạm Minh Khôi" not in html


def test_invitation_code_created_in_admin_records_the_organizer(organizer_client, organizer, event):
    response = organizer_client.post(
        "/admin/events/invitation/add/",
        {
            "event": event.pk,
            "category": "regulator",
            "code": "CUCA05XYZ2",
            "max_uses": 5,
            "note": "Cục A05",
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.created_by, invitation.max_uses, invitation.uses) == (organizer, 5, 0)


def test_api_token_secret_is_shown_once_and_stored_hashed(organizer_client, organizer):
    response = organizer_client.post(
        "/admin/events/apitoken/add/",
        {
            "user": organizer.pk,
            "name": "Máy quét cổng A",
            "scopes": '["participants:read"]',
        },
        follow=True,
    )
    from events.models import ApiToken

    token = ApiToken.objects.get()
    message = [str(m) for m in response.context["messages"]][0]
    secret = message.rsplit(" ", 1)[1]
    assert secret.startswith(token.prefix)
    assert secret not in token.key_sha256


def test_door_staff_and_anonymous_cannot_open_the_admin(client, door_staff):
    assert client.get(CHANGELIST).status_code == 302
    client.force_login(door_staff)
    assert client.get(CHANGELIST).status_code == 302  # not staff: back to the login page


def test_staff_without_organizer_role_cannot_see_participants(client, event):
    from django.contrib.auth.models import User

    clerk = User.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    assert client.get(CHANGELIST).status_code == 403


def test_changelist_query_count_is_constant(organizer_client, event, count_queries):
    make_participant(event)
    with_one = count_queries(lambda: organizer_client.get(CHANGELIST))
    make_participant(event)
    make_participant(event)
    assert count_queries(lambda: organizer_client.get(CHANGELIST)) == with_one
