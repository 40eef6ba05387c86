"""Connect: a business representative, signed in by the link in her e-mail, publishes her meeting profile, finds a
KOL by typing his name without accents, asks him for a meeting; he opens the link in the e-mail that tells him,
accepts, and both see the meeting (time, place, table) on their personal pages."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from playwright.sync_api import expect

from events.enums import Category, ChannelPlatform, ParticipantStatus
from events.models import Channel
from events.permissions import DOOR_STAFF
from events.services import send_personal_link
from sessions.meetings import requests
from sessions.models import MeetingHold, MeetingPlace, MeetingRules, MeetingWindow
from tests.agenda.meetings.factories import make_business, make_kol, make_rules
from tests.browser.support import check_page, link_in_mail, open_personal_link
from tests.events.factories import make_participant
from ticketing.services import issue_badge

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+?/me/login/[^/\s]+/")


@pytest.fixture
def lounge(event):
    return make_rules(event, windows=[("14:00", "15:00")], tables=4)


def test_a_business_finds_a_kol_requests_and_both_see_the_meeting(person, event, lounge, mailoutbox):
    kol = make_kol(event, "Nguyễn Đức Cường", email="cuong.review@example.vn", organization="Cường Review")
    Channel.objects.create(
        participant=kol,
        platform=ChannelPlatform.YOUTUBE,
        handle="cuongreview",
        url="https://youtube.com/@cuongreview",
        followers=830000,
    )
    make_participant(
        event,
        category=Category.BUSINESS,
        full_name="Trần Thị Mai",
        email="mai.tran@suaviet.vn",
        organization="Công ty Cổ phần Sữa Việt",
        status=ParticipantStatus.APPROVED,
    )

    # She opens the link the organizers e-mailed her and sets up her own profile first.
    send_personal_link(event=event, email="mai.tran@suaviet.vn")
    mai = person()
    open_personal_link(mai, link_in_mail(mailoutbox, to="mai.tran@suaviet.vn", pattern=LINK.pattern))
    mai.get_by_role("link", name="Tạo hồ sơ gặp gỡ").click()
    check_page(mai, "journey-meetings-profile")
    mai.get_by_label("Giới thiệu ngắn", exact=True).fill("Phụ trách truyền thông, tìm KOL cho dòng sữa hạt mới.")
    mai.get_by_label("Chủ đề (cách nhau bằng dấu phẩy)").fill("sữa hạt, quảng cáo minh bạch")
    mai.get_by_label("Công khai hồ sơ gặp gỡ của tôi", exact=True).check()
    mai.get_by_label(re.compile("Tôi đồng ý để hồ sơ gặp gỡ của tôi")).check()
    mai.get_by_role("button", name="Lưu hồ sơ").click()
    mai.get_by_text("Đã lưu hồ sơ gặp gỡ của bạn.").wait_for()

    # She finds him by typing his name as a phone keyboard gives it, without accents.
    mai.get_by_label("Tìm theo tên, tổ chức hoặc chủ đề").fill("duc cuong")
    mai.get_by_role("button", name="Tìm", exact=True).click()
    check_page(mai, "journey-meetings-directory")
    mai.get_by_role("link", name="Nguyễn Đức Cường").click()
    assert "830.000 người theo dõi" in mai.content()
    assert "cuong.review@example.vn" not in mai.content()
    check_page(mai, "journey-meetings-kol-profile")
    mai.get_by_label("Lời nhắn ngắn (không bắt buộc)").fill("Mời anh trao đổi về chiến dịch sữa hạt quý 4.")
    mai.get_by_role("button", name="Gửi đề nghị").click()
    mai.get_by_text("Đã gửi đề nghị.").wait_for()

    # He opens the link in the e-mail that tells him of the request and accepts.
    cuong = person()
    told = link_in_mail(mailoutbox, to="cuong.review@example.vn", pattern=LINK.pattern, subject="Đề nghị gặp từ")
    open_personal_link(cuong, told)
    cuong.get_by_role("link", name="Đề nghị và cuộc gặp của tôi").click()
    assert "Mời anh trao đổi về chiến dịch sữa hạt quý 4." in cuong.content()
    check_page(cuong, "journey-meetings-requests")
    cuong.get_by_role("button", name="Nhận lời gặp Trần Thị Mai").click()
    cuong.get_by_text("Đã nhận lời.").wait_for()
    check_page(cuong, "journey-meetings-accepted")
    assert "Khu kết nối tầng 2, bàn 1" in cuong.locator("main").inner_text()

    # She sees it on her personal page, with the time, place and table.
    mai.get_by_role("link", name="Tìm người để gặp").first.click()
    mai.get_by_role("link", name="Trang cá nhân").first.click()
    panel = mai.locator(".meetings-panel")
    assert "Nguyễn Đức Cường" in panel.inner_text()
    assert re.search(r"14:00–14:20 · Khu kết nối tầng 2, bàn 1", panel.inner_text())
    check_page(mai, "journey-meetings-personal-page")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the badges' QR images


def test_the_desk_checks_a_meeting_in_by_scanning_either_badge(person, live_server, open_event):
    rules = MeetingRules.objects.create(event=open_event, open=True)
    start = timezone.now() - timedelta(minutes=5)
    MeetingWindow.objects.create(rules=rules, starts_at=start, ends_at=start + timedelta(hours=1))
    MeetingPlace.objects.create(rules=rules, name_vi="Khu kết nối tầng 2", name_en="Networking lounge", tables=3)
    kol = make_kol(open_event, "Nguyễn Đức Cường")
    mai = make_business(open_event, "Trần Thị Mai")
    request = requests.send_request(sender=mai, recipient_id=kol.pk, message="Mời anh trao đổi.")
    requests.accept_request(request_id=request.pk, by=kol)
    User.objects.create_user("soatve", password="mat-khau-soatve").groups.add(Group.objects.get(name=DOOR_STAFF))

    desk = person()
    desk.goto(f"{live_server.url}/staff/")
    desk.get_by_label("Tên đăng nhập").fill("soatve")
    desk.get_by_label("Mật khẩu").fill("mat-khau-soatve")
    desk.get_by_role("button", name="Đăng nhập").click()
    desk.get_by_role("link", name="Trang nhân sự của tôi").click()
    desk.get_by_role("link", name="Bàn điểm danh cuộc gặp").click()
    check_page(desk, "journey-meetings-desk")

    desk.locator("#id_code:focus").wait_for()  # the handheld scanner types the badge code and Enter
    desk.keyboard.type(issue_badge(mai).code)
    desk.keyboard.press("Enter")
    result = desk.locator("#desk-result")
    expect(result).to_contain_text("Trần Thị Mai · đã vào")
    expect(result).to_contain_text("Gặp Nguyễn Đức Cường · chưa đến")
    expect(result).to_contain_text("Khu kết nối tầng 2, bàn 1")
    check_page(desk, "journey-meetings-desk-checked-in")

    desk.locator("#id_code:focus").wait_for()
    desk.keyboard.type(issue_badge(kol).code)
    desk.keyboard.press("Enter")
    expect(desk.locator("#desk-result")).to_contain_text("Gặp Trần Thị Mai · Công ty Cổ phần Sữa Việt · đã có mặt")
    assert MeetingHold.objects.filter(checked_in_by__username="soatve").count() == 2
