"""A badge desk keeps printing with the network cut (issue #18 item 3): the desk judges the badge on the device as
the door scanner does, renders the badge in the page from its stored lists and the scanned code (the QR drawn in
the browser by the vendored qrcode-generator), prints it, and the sync records "printed" and "admitted" once each.

Headless Chromium's window.print() prints nothing, so the test reads what would be on paper: the print-only
element's text, and the QR decoded (zxing-cpp) from a screenshot of it under print media.
"""

import io
from datetime import datetime

import pytest
from PIL import Image

from events.enums import Category
from tests.ticketing.conftest import decoded_codes
from ticketing.models import CheckIn, DeskPrint, ScanLog

from .test_offline_scanner import STATUS, VERDICT, holder, queued, sign_in, wait_synced

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = "Bàn in thẻ 1"
BADGE = "#badge-print"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def open_desk(page, live_server, event, kind):
    # Count the page's calls to window.print() (a no-op in headless Chromium).
    page.add_init_script("window.kolPrints = 0; window.print = () => { window.kolPrints += 1; };")
    page.goto(f"{live_server.url}/e/{event.slug}/checkin/")
    page.fill("#gate-input", DESK)
    page.select_option("#gate-kind", kind)
    page.click("#gate-form button[type=submit]")
    page.wait_for_selector(f'{STATUS}:not([data-refreshed-at=""])')


def scan_offline(page, code, result):
    page.locator("#wedge").fill(code)
    page.locator("#wedge").press("Enter")
    page.wait_for_selector(f'{VERDICT}[data-result="{result}"][data-offline="true"]')
    shown = page.locator(".verdict-print").inner_text()
    page.click(VERDICT)
    page.wait_for_selector(VERDICT, state="hidden")
    return shown


def on_paper(page):
    """The badge as it prints: its text and the codes of the QR decoded from a screenshot under print media."""
    page.emulate_media(media="print")
    try:
        badge = page.locator(BADGE)
        text = [badge.locator(f".badge-{part}").text_content() for part in ("name", "organization", "category")]
        image = Image.open(io.BytesIO(badge.screenshot())).convert("L")
    finally:
        page.emulate_media(media="screen")
    return text, decoded_codes(image)


def test_an_offline_desk_prints_the_badge_in_the_browser_and_the_sync_records_print_and_admission_once(
    page, live_server, open_event, door_staff
):
    badge = holder(open_event, "Võ Thị Ngọc Hân", organization="Kênh Du lịch Việt", category=Category.KOL)
    sign_in(page.context, live_server, door_staff)
    open_desk(page, live_server, open_event, "desk-admit")
    assert not page.locator(BADGE).is_visible()  # on paper only

    page.context.set_offline(True)
    page.wait_for_selector(f'{STATUS}[data-online="false"]')
    shown = scan_offline(page, badge.code, "admitted")

    assert shown == "Đã in thẻ từ thiết bị này (ngoại tuyến): lần in được ghi lại khi có mạng trở lại."
    text, decoded = on_paper(page)
    assert text == ["Võ Thị Ngọc Hân", "Kênh Du lịch Việt", str(Category.KOL.label)]
    assert decoded == [badge.code]
    assert page.evaluate("window.kolPrints") == 1
    # The same badge again: admitted already, and offline the desk does not print it a second time.
    again = scan_offline(page, badge.code, "already_checked_in")
    assert again == "Chưa in: khi ngoại tuyến, bàn in chỉ in mỗi thẻ một lần; in lại cần có mạng."
    assert page.evaluate("window.kolPrints") == 1
    waiting = queued(page)
    assert [(row["offline_result"], row.get("printed", False)) for row in waiting] == [
        ("admitted", True),
        ("already_checked_in", False),
    ]
    assert not DeskPrint.objects.exists()

    page.context.set_offline(False)
    wait_synced(page)

    at = datetime.fromisoformat(waiting[0]["scanned_at"])
    admission = CheckIn.objects.get()
    assert (admission.participant_id, admission.gate, admission.checked_in_at) == (badge.participant_id, DESK, at)
    printed = DeskPrint.objects.get()
    assert (printed.participant_id, printed.badge_version, printed.printer, printed.printed_at) == (
        badge.participant_id,
        1,
        "browser",
        at,
    )
    badge.refresh_from_db()
    assert badge.printed_at == at
    assert ScanLog.objects.filter(offline=True).count() == 2


def test_an_offline_print_only_desk_prints_and_the_sync_admits_nobody(page, live_server, open_event, door_staff):
    badge = holder(open_event, "Phạm Minh Tuấn", organization="Báo Tuổi Trẻ", category=Category.BUSINESS)
    sign_in(page.context, live_server, door_staff)
    open_desk(page, live_server, open_event, "desk-print")

    page.context.set_offline(True)
    page.wait_for_selector(f'{STATUS}[data-online="false"]')
    scan_offline(page, badge.code, "printed")
    text, decoded = on_paper(page)
    assert text == ["Phạm Minh Tuấn", "Báo Tuổi Trẻ", str(Category.BUSINESS.label)]
    assert decoded == [badge.code]
    assert page.evaluate("window.kolPrints") == 1

    page.context.set_offline(False)
    wait_synced(page)

    assert DeskPrint.objects.get().participant_id == badge.participant_id
    assert not CheckIn.objects.exists()
    assert ScanLog.objects.get().result == "printed"


def test_a_badge_the_server_printed_is_not_printed_again_when_the_network_goes(
    page, live_server, open_event, door_staff
):
    badge = holder(open_event, "Lê Hoàng Nam", organization="Kênh Ẩm thực Sài Gòn", category=Category.KOL)
    sign_in(page.context, live_server, door_staff)
    open_desk(page, live_server, open_event, "desk-print")
    page.locator("#wedge").fill(badge.code)
    page.locator("#wedge").press("Enter")
    page.wait_for_selector(f'{VERDICT}[data-result="printed"]:not([data-offline="true"])')
    page.click(VERDICT)
    page.wait_for_selector(VERDICT, state="hidden")

    page.context.set_offline(True)
    page.wait_for_selector(f'{STATUS}[data-online="false"]')
    shown = scan_offline(page, badge.code, "printed")

    assert shown == "Chưa in: khi ngoại tuyến, bàn in chỉ in mỗi thẻ một lần; in lại cần có mạng."
    assert page.evaluate("window.kolPrints") == 0
    assert queued(page) == []  # nothing happened at the desk: nothing to send
    assert DeskPrint.objects.get().printer != "browser"  # the server's own print, and only that
