"""Door staff admit people on the scanner page: by camera (a fake camera showing a real badge), by handheld
scanner (keyboard wedge) and by name search. The database shows one admission each."""

import io

import pytest
from django.test import Client
from PIL import Image

from events.enums import Category, ParticipantStatus
from tests.browser.camera import badge_video, browser_with_camera, qr_frame
from tests.events.factories import make_participant
from ticketing import services
from ticketing.models import CheckIn, ScanLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VERDICT = "#verdict"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def badge_holder(open_event):
    participant = make_participant(
        open_event,
        full_name="Trần Thị Thu Hằng",
        organization="Công ty Truyền thông Sao Việt",
        category=Category.KOL,
        status=ParticipantStatus.APPROVED,
    )
    return services.issue_badge(participant)


def sign_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def open_scanner(page, live_server, event, gate="Cổng A"):
    page.goto(f"{live_server.url}/e/{event.slug}/checkin/")
    page.fill("#gate-input", gate)
    page.click("#gate-form button[type=submit]")


def test_camera_scan_admits_then_second_pass_is_already_checked_in(
    browser_type, live_server, open_event, badge_holder, door_staff, tmp_path
):
    qr = Image.open(io.BytesIO(bytes(badge_holder.qr_png)))  # the badge's own QR PNG, as the project renders it
    video = badge_video(qr_frame(qr), tmp_path / "badge.y4m")
    with browser_with_camera(browser_type, video) as browser:
        context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        context.grant_permissions(["camera"], origin=live_server.url)
        sign_in(context, live_server, door_staff)
        page = context.new_page()
        open_scanner(page, live_server, open_event)

        page.wait_for_selector(f'{VERDICT}[data-result="admitted"]', timeout=15000)
        assert page.locator(".verdict-label").inner_text().lower() == "đã cho vào"
        assert page.locator(".verdict-name").inner_text() == "Trần Thị Thu Hằng"
        assert page.locator(".verdict-icon").inner_text() == "✓"
        page.wait_for_selector(f'{VERDICT}[data-result="already_checked_in"]', timeout=20000)
        assert "Cổng A" in page.locator(".verdict-first").inner_text()
        assert page.locator("#device-count").inner_text() == "1"

    admission = CheckIn.objects.get()
    assert (admission.participant_id, admission.gate, admission.checked_in_by_id) == (
        badge_holder.participant_id,
        "Cổng A",
        door_staff.pk,
    )
    assert list(ScanLog.objects.order_by("pk").values_list("result", flat=True))[:2] == [
        "admitted",
        "already_checked_in",
    ]


def test_keyboard_wedge_admits_and_keeps_focus(page, live_server, open_event, badge_holder, door_staff):
    sign_in(page.context, live_server, door_staff)
    open_scanner(page, live_server, open_event, gate="Cổng B")

    page.locator("#wedge").press_sequentially(badge_holder.code)
    page.keyboard.press("Enter")

    page.wait_for_selector(f'{VERDICT}[data-result="admitted"]')
    assert page.locator(".verdict-name").inner_text() == "Trần Thị Thu Hằng"
    page.wait_for_selector(VERDICT, state="hidden")
    assert page.evaluate("document.activeElement.id") == "wedge"
    page.keyboard.type(badge_holder.code)
    page.keyboard.press("Enter")
    page.wait_for_selector(f'{VERDICT}[data-result="already_checked_in"]')
    assert CheckIn.objects.get().gate == "Cổng B"


def test_wedge_forged_code_shows_red_invalid(page, live_server, open_event, badge_holder, door_staff):
    sign_in(page.context, live_server, door_staff)
    open_scanner(page, live_server, open_event)

    page.locator("#wedge").fill("KHONG-PHAI-THE")
    page.keyboard.press("Enter")

    page.wait_for_selector(f'{VERDICT}[data-result="invalid"]')
    assert page.locator(VERDICT).get_attribute("class") == "verdict verdict-red"
    assert page.locator(".verdict-icon").inner_text() == "✕"
    assert CheckIn.objects.count() == 0


def test_name_search_without_accents_finds_and_admits(page, live_server, open_event, door_staff):
    cuong = make_participant(
        open_event, full_name="Nguyễn Tiến Cường", category=Category.REGULATOR, status=ParticipantStatus.APPROVED
    )
    make_participant(open_event, full_name="Lê Văn Đạt", status=ParticipantStatus.APPROVED)
    sign_in(page.context, live_server, door_staff)
    open_scanner(page, live_server, open_event)

    page.fill("#search", "Cuong")
    result = page.locator(".search-result")
    result.first.wait_for()
    assert result.count() == 1
    assert result.locator(".search-name").inner_text() == "Nguyễn Tiến Cường"
    result.get_by_role("button").click()

    page.wait_for_selector(f'{VERDICT}[data-result="admitted"]')
    assert page.locator(".verdict-name").inner_text() == "Nguyễn Tiến Cường"
    page.locator(".search-admitted").wait_for()
    assert CheckIn.objects.get().participant_id == cuong.pk
    assert ScanLog.objects.get().code == ""
