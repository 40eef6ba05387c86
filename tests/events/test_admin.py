"""The organizers' back office: vetting in bulk with a reason, exports, who gets in."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail

from events.models import AuditEntry, Invitation, Participant

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
            "scopes": ["participants:read"],
        },
        follow=True,
    )
    from events.models import ApiToken

    token = ApiToken.objects.get()
    message = [str(m) for m in response.context["messages"]][0]
    secret = message.rsplit(" ", 1)[1]
    assert secret.startswith(token.prefix)
    assert secret not in token.key_sha256


def test_api_token_scopes_are_picked_from_the_known_list_and_a_typo_is_refused(organizer_client, organizer):
    """`checkin:scna` was accepted as free JSON (issue #16): now the form lists every scope and refuses others."""
    from events.models import ApiToken

    page = organizer_client.get("/admin/events/apitoken/add/").content.decode()
    response = organizer_client.post(
        "/admin/events/apitoken/add/", {"user": organizer.pk, "name": "Máy quét", "scopes": ["checkin:scna"]}
    )

    assert 'value="checkin:scan"' in page and "checkin:scan · Quét thẻ tại cửa" in page
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["scopes"] == [
        "Hãy chọn một lựa chọn hợp lệ. checkin:scna không phải là một trong các lựa chọn khả thi."
    ]
    assert ApiToken.objects.count() == 0


def test_an_api_token_with_an_unknown_scope_fails_validation_with_the_known_list(organizer):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from events.models import ApiToken

    token = ApiToken(user=organizer, name="Kịch bản", scopes=["checkin:scna"], key_sha256="x" * 64, prefix="x")

    with translation.override("en"), pytest.raises(ValidationError) as error:
        token.full_clean()
    [message] = error.value.message_dict["scopes"]
    assert message.startswith("Unknown scope: checkin:scna. Known scopes: agenda:write, badges:read, checkin:read")


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


def test_export_xlsx_has_real_dates_a_frozen_filtered_header_and_sized_columns(organizer_client, event):
    import datetime

    from django.utils import timezone
    from openpyxl import load_workbook

    person = make_participant(event, full_name="Huỳnh Ưng Phước", organization="Hiệp hội An ninh mạng quốc gia")
    registered = datetime.datetime(2027, 6, 3, 9, 5, tzinfo=datetime.UTC)
    Participant.objects.filter(pk=person.pk).update(created_at=registered)

    response = run_action(organizer_client, "export_xlsx", Participant.objects.all())

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    when = sheet.cell(row=2, column=header.index("Thời điểm đăng ký") + 1)
    assert when.value == timezone.localtime(registered).replace(tzinfo=None)  # 16:05 in Hà Nội
    assert when.is_date and when.number_format == "dd/mm/yyyy hh:mm"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(header)).column_letter}2"
    organization = sheet.cell(row=1, column=header.index("Đơn vị") + 1).column_letter
    assert sheet.column_dimensions[organization].width == len("Hiệp hội An ninh mạng quốc gia") + 2


def test_export_csv_keeps_the_day_first_text_date(organizer_client, event):
    import datetime

    person = make_participant(event, full_name="Huỳnh Ưng Phước")
    Participant.objects.filter(pk=person.pk).update(created_at=datetime.datetime(2027, 6, 3, 9, 5, tzinfo=datetime.UTC))

    response = run_action(organizer_client, "export_csv", Participant.objects.all())

    assert "03/06/2027 16:05" in response.content.decode("utf-8-sig")


def _change_form_data(response):
    """The POST a browser would send back from an admin change page, as rendered (inlines included)."""
    data = {}
    forms_ = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms_.append(formset.management_form)
        forms_.extend(formset.forms)
    for form in forms_:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data


def test_editing_a_participant_in_the_admin_never_decides_the_application(organizer_client, event):
    """Issue #16 item 2, the admin-edit path into approved: the status is read-only on the change form;
    a forged status in the POST is ignored, and only the decision (audited, notified) approves."""
    rejected = make_participant(event, full_name="Lê Thu Trang", status="rejected")
    change = f"{CHANGELIST}{rejected.pk}/change/"
    page = organizer_client.get(change)
    assert 'name="status"' not in page.content.decode()

    data = {**_change_form_data(page), "status": "approved", "title": "Nhà sáng tạo nội dung"}
    answer = organizer_client.post(change, data)

    assert answer.status_code == 302, answer.context["adminform"].form.errors if answer.context else ""
    rejected.refresh_from_db()
    assert (rejected.title, rejected.status, rejected.decided_by) == ("Nhà sáng tạo nội dung", "rejected", None)
    assert not AuditEntry.objects.filter(action__startswith="events.application.approved").exists()


def test_an_application_is_decided_from_the_participant_page(
    organizer_client, organizer, event, django_capture_on_commit_callbacks
):
    applicant = make_participant(event, full_name="Lê Thu Trang", language="vi")
    page = organizer_client.get(f"{CHANGELIST}{applicant.pk}/change/").content.decode()
    decide = f"{CHANGELIST}{applicant.pk}/decide/"
    assert f'action="{decide}"' in page
    assert [value in page for value in ('value="approved"', 'value="rejected"', 'value="waitlisted"')] == [True] * 3

    with django_capture_on_commit_callbacks(execute=True):
        answer = organizer_client.post(decide, {"decision": "approved", "reason": "Kênh uy tín"}, follow=True)

    assert answer.redirect_chain == [(f"{CHANGELIST}{applicant.pk}/change/", 302)]
    assert "Lê Thu Trang: Đã duyệt, đã gửi thông báo." in answer.content.decode()
    applicant.refresh_from_db()
    assert (applicant.status, applicant.decided_by, applicant.decision_reason) == ("approved", organizer, "Kênh uy tín")
    entry = AuditEntry.objects.get(action="events.application.approved")
    assert (entry.actor, entry.object_id, entry.details["previous"]) == (organizer, str(applicant.pk), "pending")
    assert [m.subject for m in mail.outbox if "Đăng ký" in m.subject] == [
        "Hội nghị KOL toàn quốc lần thứ nhất: Đăng ký của bạn: Đã duyệt"
    ]
    assert 'value="approved"' not in organizer_client.get(f"{CHANGELIST}{applicant.pk}/change/").content.decode()


@pytest.mark.parametrize(
    "data, said",
    [
        ({}, "Hãy chọn duyệt, từ chối hoặc đưa vào danh sách chờ."),
        ({"decision": "pending"}, "Hãy chọn duyệt, từ chối hoặc đưa vào danh sách chờ."),
        ({"decision": "approved", "reason": "x" * 2001}, "2000"),
    ],
    ids=["no_decision", "back_to_pending", "reason_too_long"],
)
def test_a_bad_decision_from_the_participant_page_is_refused_in_words(organizer_client, event, data, said):
    applicant = make_participant(event)
    answer = organizer_client.post(f"{CHANGELIST}{applicant.pk}/decide/", data, follow=True)
    assert answer.status_code == 200
    shown = [message.message for message in answer.context["messages"]]
    assert len(shown) == 1 and said in shown[0], shown
    applicant.refresh_from_db()
    assert applicant.status == "pending"
    assert not AuditEntry.objects.filter(action__startswith="application.").exists()


def test_the_same_decision_twice_says_so(organizer_client, event):
    applicant = make_participant(event, status="approved")
    answer = organizer_client.post(f"{CHANGELIST}{applicant.pk}/decide/", {"decision": "approved"}, follow=True)
    assert "Người tham dự này đã ở trạng thái đó." in answer.content.decode()
    assert not AuditEntry.objects.filter(action__startswith="application.").exists()


def test_only_those_who_decide_applications_may_decide_from_the_page(client, event, door_staff):
    from django.contrib.auth.models import User

    applicant = make_participant(event)
    decide = f"{CHANGELIST}{applicant.pk}/decide/"
    assert client.post(decide, {"decision": "approved"}).status_code == 302  # anonymous: the admin login
    client.force_login(door_staff)
    assert client.post(decide, {"decision": "approved"}).status_code == 302  # not staff: the admin login
    clerk = User.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    assert client.post(decide, {"decision": "approved"}).status_code == 403
    assert "decision_form" not in (client.get(f"{CHANGELIST}{applicant.pk}/change/").context or {})
    applicant.refresh_from_db()
    assert applicant.status == "pending"
    assert client.post(f"{CHANGELIST}999999/decide/", {"decision": "approved"}).status_code == 403
