"""Door staff, supervisors and a paired phone, from the staff sign-in address, at phone and desktop widths:
scanning by camera (a fake camera showing the printed badge), by handheld scanner and by name, offline and back."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from events.enums import Category, ParticipantStatus
from events.permissions import DOOR_STAFF, DOOR_SUPERVISOR, ORGANIZER
from tests.browser.camera import badge_video, browser_with_camera, printed_badge_frame
from tests.browser.support import check_page
from tests.events.factories import make_participant
from ticketing import services
from ticketing.models import CheckIn, ScanLog
from ticketing.services import devices
from ticketing.services.badges import badge_pdf_path

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def today_event(open_event):
    return open_event


def test_door_staff_signs_in_and_lands_on_the_scanner(person, live_server, today_event, viewport):
    User.objects.create_user("soatve", password="mat-khau-soatve").groups.add(Group.objects.get(name=DOOR_STAFF))
    page = person()
    page.goto(f"{live_server.url}/e/{today_event.slug}/")
    page.get_by_role("link", name="Đăng nhập nhân sự (ban tổ chức, soát vé)").click()
    check_page(page, "staff-sign-in")
    page.get_by_label("Tên đăng nhập").fill("soatve")
    page.get_by_label("Mật khẩu").fill("mat-khau-soatve")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**/e/{today_event.slug}/checkin/")
    check_page(page, "staff-scanner")


def test_phone_pairs_by_code_from_the_organizer_devices_page(person, live_server, today_event, viewport):
    organizer = User.objects.create_user("bantochuc", password="mat-khau-btc", is_staff=True)
    organizer.groups.add(Group.objects.get(name=ORGANIZER))
    desk = person()
    desk.goto(f"{live_server.url}/staff/")
    desk.get_by_label("Tên đăng nhập").fill("bantochuc")
    desk.get_by_label("Mật khẩu").fill("mat-khau-btc")
    desk.get_by_role("button", name="Đăng nhập").click()
    desk.wait_for_url(f"**/e/{today_event.slug}/manage/")
    desk.get_by_role("link", name="Hội nghị KOL toàn quốc").first.click()
    desk.get_by_role("link", name=today_event.name_vi).click()
    desk.get_by_role("link", name="Thiết bị quét").click()
    desk.get_by_label("Tên thiết bị").first.fill("Điện thoại cổng Bắc")
    desk.get_by_role("button", name="Hiện mã ghép").click()
    code = desk.locator("[data-pairing-code]").inner_text()
    check_page(desk, "pairing-code")

    phone = person()
    phone.goto(f"{live_server.url}/staff/")
    phone.get_by_role("link", name="Ghép thiết bị soát vé").click()
    phone.get_by_label("Mã ghép").fill(code)
    phone.get_by_role("button", name="Ghép thiết bị này").click()
    phone.wait_for_url(f"**/e/{today_event.slug}/checkin/")
    assert "Thiết bị này giờ soát vé cho" in phone.locator(".messages").inner_text()
    check_page(phone, "paired-scanner")

    # Nobody typed a password on the phone, and it admits a guest at once.
    hang = badge_holder(today_event, "Trần Thị Thu Hằng")
    phone.get_by_label("Thiết bị này đặt ở cổng nào?").fill("Cổng Bắc")
    phone.get_by_role("button", name="Dùng cổng này").click()
    assert handheld_scan(phone, hang.code, "admitted", "journey-paired-admitted") == ("Trần Thị Thu Hằng", "false")
    log = ScanLog.objects.get()
    assert (log.result, log.gate, log.device.name) == ("admitted", "Cổng Bắc", "Điện thoại cổng Bắc")
    assert CheckIn.objects.get().participant_id == hang.participant_id


# --- Scanning at the door: handheld, name search, offline and back, a supervisor's undo ---------------

VERDICT = "#verdict"
STATUS = "#offline-status"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def badge_holder(event, name, category=Category.KOL, **fields):
    participant = make_participant(
        event, full_name=name, category=category, status=ParticipantStatus.APPROVED, **fields
    )
    return services.issue_badge(participant)


def staff_account(username, role):
    User.objects.create_user(username, password=f"mat-khau-{username}").groups.add(Group.objects.get(name=role))


def sign_in_at_the_door(page, live_server, event, username, gate, step):
    """From the staff sign-in address to the scanner, with a gate picked from the event's devices."""
    page.goto(f"{live_server.url}/staff/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(f"mat-khau-{username}")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**/e/{event.slug}/checkin/")
    page.get_by_label("Thiết bị này đặt ở cổng nào?").fill(gate)
    page.get_by_role("button", name="Dùng cổng này").click()
    expect(page.locator("#gate-name")).to_have_text(gate)
    page.wait_for_selector(f'{STATUS}:not([data-refreshed-at=""])')  # the offline lists are on the device
    check_page(page, f"journey-{step}-scanner")


def handheld_scan(page, code, result, step=None):
    """A handheld scanner types the code into the focused field and presses Enter."""
    page.locator("#wedge:focus").wait_for()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_selector(f'{VERDICT}[data-result="{result}"]')
    if step:
        check_page(page, step)
    shown = page.locator(".verdict-name").inner_text(), page.locator(VERDICT).get_attribute("data-offline")
    page.locator(VERDICT).click()  # staff tap the screen to go on
    page.wait_for_selector(VERDICT, state="hidden")
    return shown


def test_door_staff_admit_by_handheld_and_by_name(person, live_server, today_event, organizer, viewport):
    devices.create_scanner_device(event=today_event, name="Máy Cổng A", gate="Cổng A", by=organizer)
    hang = badge_holder(today_event, "Trần Thị Thu Hằng")
    cuong = badge_holder(today_event, "Nguyễn Tiến Cường", Category.REGULATOR, organization="Bộ Công an")
    staff_account("soatve", DOOR_STAFF)
    page = person()
    sign_in_at_the_door(page, live_server, today_event, "soatve", "Cổng A", "handheld")

    assert handheld_scan(page, hang.code, "admitted", "journey-handheld-admitted") == ("Trần Thị Thu Hằng", "false")
    assert handheld_scan(page, hang.code, "already_checked_in")[0] == "Trần Thị Thu Hằng"
    page.get_by_label("Không mang thẻ? Tìm theo tên").fill("cuong")
    found = page.locator(".search-result")
    expect(found).to_have_count(1)
    check_page(page, "journey-name-search")
    found.get_by_role("button", name="Cho vào").click()
    page.wait_for_selector(f'{VERDICT}[data-result="admitted"]')
    expect(page.locator(".verdict-name")).to_have_text("Nguyễn Tiến Cường")

    admitted = CheckIn.objects.order_by("pk").values_list("participant_id", "gate")
    assert list(admitted) == [(hang.participant_id, "Cổng A"), (cuong.participant_id, "Cổng A")]


def test_door_staff_admit_a_printed_badge_held_up_to_the_phones_camera(
    browser_type, live_server, today_event, viewport, tmp_path
):
    hang = badge_holder(today_event, "Trần Thị Thu Hằng")
    # The guest holds the printed badge up to the camera, takes it away, and (by mistake) holds it up again.
    video = badge_video(printed_badge_frame(badge_pdf_path(hang), tmp_path), tmp_path / "printed-badge.y4m")
    staff_account("soatve", DOOR_STAFF)
    with browser_with_camera(browser_type, video) as browser:
        context = browser.new_context(viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        page = context.new_page()
        sign_in_at_the_door(page, live_server, today_event, "soatve", "Cổng A", "camera")

        page.wait_for_selector(f'{VERDICT}[data-result="admitted"]', timeout=15000)
        expect(page.locator(".verdict-name")).to_have_text("Trần Thị Thu Hằng")
        check_page(page, "journey-camera-admitted")
        page.locator(VERDICT).click()  # staff tap the screen to go on
        page.wait_for_selector(f'{VERDICT}[data-result="already_checked_in"]', timeout=20000)
        expect(page.locator(".verdict-first")).to_contain_text("Cổng A")
        check_page(page, "journey-camera-second-pass")
        context.close()
    assert list(CheckIn.objects.values_list("participant_id", "gate")) == [(hang.participant_id, "Cổng A")]
    assert list(ScanLog.objects.order_by("pk").values_list("result", flat=True))[:2] == [
        "admitted",
        "already_checked_in",
    ]


def test_door_staff_keep_scanning_offline_and_the_scans_reach_the_server_when_back(
    person, live_server, today_event, viewport
):
    hang = badge_holder(today_event, "Trần Thị Thu Hằng")
    staff_account("soatve", DOOR_STAFF)
    page = person()
    sign_in_at_the_door(page, live_server, today_event, "soatve", "Cổng Nam", "offline")

    page.context.set_offline(True)
    page.wait_for_selector(f'{STATUS}[data-online="false"]')
    assert handheld_scan(page, hang.code, "admitted", "journey-offline-admitted") == ("Trần Thị Thu Hằng", "true")
    expect(page.locator(STATUS)).to_have_attribute("data-pending", "1")
    check_page(page, "journey-offline-waiting")
    assert CheckIn.objects.count() == 0

    page.context.set_offline(False)
    page.wait_for_selector(f'{STATUS}[data-pending="0"][data-online="true"]', timeout=15000)
    check_page(page, "journey-offline-synced")
    assert list(CheckIn.objects.values_list("participant_id", "gate")) == [(hang.participant_id, "Cổng Nam")]


def test_supervisor_undoes_a_mistaken_admission_from_the_last_scans(person, live_server, today_event, viewport):
    hang = badge_holder(today_event, "Trần Thị Thu Hằng")
    staff_account("truongcua", DOOR_SUPERVISOR)
    page = person()
    sign_in_at_the_door(page, live_server, today_event, "truongcua", "Cổng A", "undo")
    handheld_scan(page, hang.code, "admitted")

    last = page.locator("#recent li").first
    page.once("dialog", lambda dialog: dialog.accept())  # "Hoàn tác lượt vào của …?"
    last.get_by_role("button", name="Hoàn tác").click()
    expect(last).to_have_attribute("data-result", "undone")
    expect(last).to_contain_text("Đã hủy lượt vào · Trần Thị Thu Hằng")
    check_page(page, "journey-undone")
    assert CheckIn.objects.get().undone_by.username == "truongcua"

    handheld_scan(page, hang.code, "admitted")  # the badge opens the door again
    assert CheckIn.objects.filter(undone_at__isnull=True).count() == 1


def test_door_staff_cannot_undo(person, live_server, today_event, viewport):
    hang = badge_holder(today_event, "Trần Thị Thu Hằng")
    staff_account("soatve", DOOR_STAFF)
    page = person()
    sign_in_at_the_door(page, live_server, today_event, "soatve", "Cổng A", "no-undo")
    handheld_scan(page, hang.code, "admitted")
    expect(page.locator("#recent li").first).to_have_attribute("data-result", "admitted")
    assert page.locator("#recent li button").count() == 0
