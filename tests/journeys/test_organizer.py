"""An organizer's day from the staff sign-in address, at phone and desktop widths: the organizer home,
vetting an application from its to-do, editing and publishing the agenda, a badge print job, an e-mail."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from events.models import AuditEntry, Campaign, Participant
from events.permissions import ORGANIZER
from sessions.models import Publication, Session
from tests.agenda.factories import make_room, make_session
from tests.browser.support import check_page
from tests.events.factories import make_participant
from ticketing.models import PrintJob

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]

NAV = "Công cụ ban tổ chức"


@pytest.fixture
def day(event, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # the print job's PDF
    hall = make_room(event, "Hội trường Thống Nhất", capacity=800)
    make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc", title_en="Opening")
    applicant = make_participant(event, full_name="Lê Thu Trang", organization="Kênh Sống Số", language="vi")
    user = User.objects.create_user("bantochuc", password="mat-khau-ban-to-chuc", is_staff=True)
    user.groups.add(Group.objects.get(name=ORGANIZER))
    return applicant


def open_tool(page, name):
    page.get_by_role("navigation", name=NAV).get_by_role("link", name=name, exact=True).click()


def test_organizer_vets_edits_the_agenda_prints_and_writes_from_the_home(person, live_server, event, day, viewport):
    page = person()

    page.goto(f"{live_server.url}/staff/")
    page.get_by_label("Tên đăng nhập").fill("bantochuc")
    page.get_by_label("Mật khẩu").fill("mat-khau-ban-to-chuc")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**/e/{event.slug}/manage/")
    todo = page.locator('[data-todo="applications"]')
    assert todo.locator(".todo-count").inner_text() == "1"
    check_page(page, "journey-organizer-home")

    todo.get_by_role("link").click()
    page.get_by_role("link", name="Lê Thu Trang").click()
    check_page(page, "journey-organizer-application")
    page.get_by_label("Lý do (gửi tới người đăng ký)").fill("Kênh có uy tín, nội dung lành mạnh.")
    page.get_by_role("button", name="Duyệt", exact=True).click()
    assert "Lê Thu Trang: Đã duyệt, đã gửi thông báo." in page.locator(".messagelist").inner_text()
    check_page(page, "journey-organizer-approved")
    assert Participant.objects.get(pk=day.pk).status == "approved"
    assert AuditEntry.objects.filter(action="events.application.approved", object_id=str(day.pk)).count() == 1

    open_tool(page, "Xếp chương trình")
    session = Session.objects.get()
    page.locator(f'.builder-session[data-session-id="{session.pk}"]').dblclick()
    page.fill("#f-title_vi", "Khai mạc Hội nghị KOL toàn quốc")
    page.click("#builder-form button[value=save]")
    page.locator("#builder-status", has_text="Đã lưu").wait_for()
    page.click("#builder-publish")
    page.locator("#builder-publish-dialog").get_by_role("button", name="Công bố ngay").click()
    page.locator("#builder-status", has_text="Đã công bố phiên bản 1.").wait_for()
    check_page(page, "journey-organizer-agenda")
    assert Publication.objects.get().snapshot["sessions"][0]["title_vi"] == "Khai mạc Hội nghị KOL toàn quốc"

    open_tool(page, "In thẻ đại biểu")
    check_page(page, "journey-organizer-print-jobs")
    page.get_by_role("link", name=re.compile("Thêm lượt in thẻ", re.IGNORECASE)).click()
    assert page.get_by_label("Sự kiện").input_value() == str(event.pk)  # came from this event's list
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.locator(".messagelist").wait_for()
    check_page(page, "journey-organizer-print-job")
    job = PrintJob.objects.get()
    assert (job.event_id, job.total) == (event.pk, 1)

    open_tool(page, "Gửi e-mail cho người tham dự")
    page.get_by_role("link", name="Soạn thư").click()
    page.get_by_label("Tiêu đề (tiếng Việt)").fill("Thông tin đón tiếp đại biểu")
    page.get_by_label("Nội dung (tiếng Việt)").fill("Kính gửi {name}, mời Quý vị đến sớm 30 phút.")
    page.get_by_role("button", name="Lưu và xem trước").click()
    check_page(page, "journey-organizer-mail-preview")
    page.get_by_role("button", name=re.compile("Gửi cho 1 người nhận")).click()
    check_page(page, "journey-organizer-mail-sent")
    campaign = Campaign.objects.get()
    assert (campaign.subject_vi, campaign.sent_count) == ("Thông tin đón tiếp đại biểu", 1)
    assert [m.subject for m in mail.outbox if m.subject == "Thông tin đón tiếp đại biểu"] == [
        "Thông tin đón tiếp đại biểu"
    ]
