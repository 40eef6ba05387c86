"""Door scanning with the network cut (Playwright's offline mode): the page judges badges itself, queues the
scans in IndexedDB and sends them when the network returns; the server applies them at their original times."""

import time
import unicodedata
from datetime import datetime

import pytest
from django.test import Client
from playwright.sync_api import expect

from events import collation
from events.enums import Category, ParticipantStatus
from tests.agenda.factories import make_room, make_session
from tests.events.factories import make_participant
from ticketing import services
from ticketing.models import CheckIn, CheckInConflict, OfflineScan, ScanLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VERDICT = "#verdict"
STATUS = "#offline-status"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def holder(event, name, **fields):
    participant = make_participant(event, full_name=name, status=ParticipantStatus.APPROVED, **fields)
    return services.issue_badge(participant)


@pytest.fixture
def badge(open_event):
    return holder(open_event, "Trần Thị Thu Hằng", organization="Công ty Truyền thông Sao Việt", category=Category.KOL)


def sign_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def open_scanner(page, live_server, event, gate):
    page.goto(f"{live_server.url}/e/{event.slug}/checkin/")
    page.fill("#gate-input", gate)
    page.click("#gate-form button[type=submit]")
    # The lists are in IndexedDB once the status shows when they were refreshed.
    page.wait_for_selector(f'{STATUS}:not([data-refreshed-at=""])')


def scan(page, code, result):
    page.locator("#wedge").press_sequentially(code)
    page.keyboard.press("Enter")
    page.wait_for_selector(f'{VERDICT}[data-result="{result}"]')
    shown = {
        "offline": page.locator(VERDICT).get_attribute("data-offline"),
        "name": page.locator(".verdict-name").inner_text(),
        "first": page.locator(".verdict-first").inner_text(),
        "mark": page.locator(".verdict-offline").inner_text(),
    }
    page.click(VERDICT)  # dismiss, as staff tap the screen
    page.wait_for_selector(VERDICT, state="hidden")
    return shown


def wait_synced(page):
    # CSS selectors, not wait_for_function: the page's CSP (script-src 'self') refuses Playwright's eval.
    page.wait_for_selector(f'{STATUS}[data-pending="0"][data-online="true"]', timeout=15000)


def queued(page):
    return page.evaluate("window.KolOffline.waitingScans()")


def until(check, seconds=15):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def forged(code):
    return code[:-4] + ("A" if code[-4] != "A" else "B") + code[-3:]


def test_offline_page_judges_badges_then_syncs_them_at_their_original_times(
    page, live_server, open_event, badge, door_staff
):
    replaced = holder(open_event, "Phạm Minh Tuấn", organization="Báo Tuổi Trẻ")
    old_code = replaced.code
    replaced = services.reissue_badge(replaced)
    sign_in(page.context, live_server, door_staff)
    open_scanner(page, live_server, open_event, gate="Cổng A")

    page.context.set_offline(True)
    page.wait_for_selector(f'{STATUS}[data-online="false"]')
    admitted = scan(page, badge.code, "admitted")
    scan(page, forged(badge.code), "invalid")
    revoked = scan(page, old_code, "revoked")
    again = scan(page, badge.code, "already_checked_in")
    scan(page, replaced.code, "admitted")

    assert admitted == {"offline": "true", "name": "Trần Thị Thu Hằng", "first": "", "mark": "NGOẠI TUYẾN"}
    assert revoked["name"] == "Phạm Minh Tuấn"
    assert "Cổng A" in again["first"]
    assert page.locator(f"{STATUS}").get_attribute("data-pending") == "5"
    assert page.locator("#net-state").inner_text() == "Ngoại tuyến: quét được kiểm tra trên thiết bị này"
    waiting = queued(page)
    assert [scan["offline_result"] for scan in waiting] == [
        "admitted",
        "invalid",
        "revoked",
        "already_checked_in",
        "admitted",
    ]
    assert CheckIn.objects.count() == 0  # nothing reached the server

    page.context.set_offline(False)
    wait_synced(page)

    admissions = {row.participant_id: row for row in CheckIn.objects.all()}
    assert set(admissions) == {badge.participant_id, replaced.participant_id}
    assert admissions[badge.participant_id].checked_in_at == datetime.fromisoformat(waiting[0]["scanned_at"])
    assert admissions[replaced.participant_id].checked_in_at == datetime.fromisoformat(waiting[4]["scanned_at"])
    assert admissions[badge.participant_id].gate == "Cổng A"
    assert list(ScanLog.objects.order_by("scanned_at").values_list("result", "offline")) == [
        ("admitted", True),
        ("invalid", True),
        ("revoked", True),
        ("already_checked_in", True),
        ("admitted", True),
    ]
    assert OfflineScan.objects.filter(conflict=True).count() == 0
    assert queued(page) == []
    assert page.evaluate("window.KolOffline.storedScans()") == 0  # sent scans leave no codes on the device


def test_server_unreachable_while_the_browser_thinks_it_is_online(page, live_server, open_event, badge, door_staff):
    sign_in(page.context, live_server, door_staff)
    open_scanner(page, live_server, open_event, gate="Cổng B")
    page.route("**/api/v1/checkin/**", lambda route: route.abort())

    shown = scan(page, badge.code, "admitted")

    assert shown["offline"] == "true"
    assert CheckIn.objects.count() == 0
    page.unroute("**/api/v1/checkin/**")
    page.evaluate("window.KolOffline.sync()")
    wait_synced(page)
    assert CheckIn.objects.get().gate == "Cổng B"


def test_badge_admitted_offline_at_two_devices_shows_as_a_conflict(
    browser, live_server, open_event, badge, door_staff, organizer
):
    devices = []
    for gate in ("Cổng A", "Cổng B"):
        context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        sign_in(context, live_server, door_staff)
        page = context.new_page()
        open_scanner(page, live_server, open_event, gate=gate)
        devices.append(page)
    try:
        for page in devices:
            page.context.set_offline(True)
        for page in devices:
            assert scan(page, badge.code, "admitted")["offline"] == "true"
        for page in devices:
            page.context.set_offline(False)
            wait_synced(page)

        conflict = CheckInConflict.objects.get()
        assert (conflict.first_gate, conflict.second_gate) == ("Cổng A", "Cổng B")
        assert CheckIn.objects.count() == 1
        # The device whose admission did not stand is told whom to find, and where that person went in.
        told = devices[1].locator("#sync-conflicts")
        expect(told).to_be_visible()
        expect(told).to_contain_text("Trần Thị Thu Hằng")
        expect(told).to_contain_text("Cổng A")
        expect(devices[0].locator("#sync-conflicts")).to_be_hidden()

        watch = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        sign_in(watch, live_server, organizer)
        arrivals = watch.new_page()
        arrivals.goto(f"{live_server.url}/e/{open_event.slug}/checkin/arrivals/")
        row = arrivals.locator("[data-conflicts] tr").first
        assert "Trần Thị Thu Hằng" in row.inner_text()
        assert "Cổng A" in row.inner_text() and "Cổng B" in row.inner_text()
        watch.close()
    finally:
        for page in devices:
            page.context.close()


def test_page_reloads_offline_from_the_service_worker_and_still_scans(page, live_server, open_event, badge, door_staff):
    sign_in(page.context, live_server, door_staff)
    open_scanner(page, live_server, open_event, gate="Cổng C")
    until(lambda: page.evaluate("navigator.serviceWorker.controller !== null"))
    # Renamed on the server after the page was kept: a page served from the network would show the new name.
    open_event.name_vi = "Tên mới trên máy chủ"
    open_event.save()

    page.context.set_offline(True)
    response = page.reload()

    assert response.from_service_worker
    assert "Tên mới trên máy chủ" not in page.content()
    page.wait_for_selector(f'{STATUS}[data-online="false"]')
    assert scan(page, badge.code, "admitted")["offline"] == "true"
    assert page.locator(f"{STATUS}").get_attribute("data-pending") == "1"
    page.reload()  # the queue is in IndexedDB: it survives a reload
    page.wait_for_selector(f'{STATUS}[data-pending="1"]')

    page.context.set_offline(False)
    wait_synced(page)
    assert CheckIn.objects.get().gate == "Cổng C"


def test_both_signature_engines_accept_real_codes_and_refuse_forged_ones(
    page, live_server, open_event, badge, door_staff
):
    sign_in(page.context, live_server, door_staff)
    open_scanner(page, live_server, open_event, gate="Cổng D")

    checks = page.evaluate(
        """async ([good, bad]) => {
          const out = {engine: await window.KolOffline.engine()};
          for (const engine of ["webcrypto", "noble"]) {
            const claim = await window.KolOffline.verify(good, engine);
            out[engine] = [claim && claim.participantId, await window.KolOffline.verify(bad, engine)];
          }
          return out;
        }""",
        [badge.code, forged(badge.code)],
    )

    assert checks == {
        "engine": "webcrypto",  # Chromium 156 has Ed25519 in Web Crypto
        "webcrypto": [badge.participant_id, None],
        "noble": [badge.participant_id, None],
    }


def test_offline_before_the_lists_ever_arrived_says_so_and_queues_nothing(
    page, live_server, open_event, badge, door_staff
):
    sign_in(page.context, live_server, door_staff)
    page.route("**/api/v1/checkin/offline-data**", lambda route: route.abort())
    page.goto(f"{live_server.url}/e/{open_event.slug}/checkin/")
    page.fill("#gate-input", "Cổng E")
    page.click("#gate-form button[type=submit]")
    page.context.set_offline(True)
    page.wait_for_selector(f'{STATUS}[data-online="false"]')

    page.locator("#wedge").press_sequentially(badge.code)
    page.keyboard.press("Enter")

    page.wait_for_selector(f'{VERDICT}[data-result="error"]')
    assert page.locator(".verdict-message").inner_text() == (
        "Không có mạng và thiết bị này chưa có danh sách: hãy mở trang này một lần khi có mạng."
    )
    assert page.locator("#lists-age").inner_text() == "chưa bao giờ"
    assert page.locator(STATUS).get_attribute("data-pending") == "0"


def test_lists_leave_the_device_when_it_may_no_longer_scan(page, live_server, open_event, badge, door_staff):
    """Every badge holder's name is in the offline lists: once the server refuses the device (signed
    out here; a revoked token alike), the next refresh deletes them from IndexedDB."""
    sign_in(page.context, live_server, door_staff)
    open_scanner(page, live_server, open_event, "Cổng A")
    assert page.evaluate("window.KolOffline.hasLists()") is True

    page.context.clear_cookies()
    page.evaluate("window.KolOffline.refresh()")

    assert page.evaluate("window.KolOffline.hasLists()") is False


# --- Name search and admission by name, offline ---------------------------------------------------


def search(page, query, names):
    """Search and wait until the results (found offline) are these names, in this order."""
    page.fill("#search", query)
    expect(page.locator('#search-results[data-offline="true"] .search-result .search-name')).to_have_text(names)
    return page.locator("#search-results .search-result")


def test_offline_name_search_admits_once_then_syncs_at_the_original_time(
    page, live_server, open_event, badge, door_staff
):
    cuong = holder(open_event, "Nguyễn Mạnh Cường", organization="Đài Truyền hình Việt Nam")
    holder(open_event, "Phạm Quốc Cương")
    holder(open_event, "Đỗ Cường")
    holder(open_event, "Lê Văn Đạt")
    sign_in(page.context, live_server, door_staff)
    open_scanner(page, live_server, open_event, gate="Cổng A")

    page.context.set_offline(True)
    page.wait_for_selector(f'{STATUS}[data-online="false"]')
    search(page, "dat", ["Lê Văn Đạt"])
    search(page, "truyen hinh", ["Nguyễn Mạnh Cường"])  # the organization, Đài Truyền hình Việt Nam
    # The server's order (events.collation): given name, tone, then middle and family names.
    cuongs = ["Phạm Quốc Cương", "Đỗ Cường", "Nguyễn Mạnh Cường"]
    assert collation.sort_people(cuongs) == cuongs
    found = search(page, "Cuong", cuongs)
    assert page.locator(".search-offline").inner_text().startswith("Ngoại tuyến · ")
    row = found.filter(has_text="Nguyễn Mạnh Cường")
    row.get_by_role("button").click()

    page.wait_for_selector(f'{VERDICT}[data-result="admitted"]')
    assert page.locator(VERDICT).get_attribute("data-offline") == "true"
    assert page.locator(".verdict-name").inner_text() == "Nguyễn Mạnh Cường"
    assert page.locator(".verdict-offline").inner_text() == "NGOẠI TUYẾN"
    page.click(VERDICT)
    # The list is searched again: the person now shows as admitted here, with the gate.
    row.locator(".search-admitted").wait_for()
    assert "Cổng A" in row.locator(".search-admitted").inner_text()

    # A second admission by name (the hook the Admit button uses) and the badge itself: already in.
    again = page.evaluate(
        "id => window.KolScanner.admitParticipant(id).then(v => { window.KolScanner.showVerdict(v); return v; })",
        cuong.participant_id,
    )
    assert (again["result"], again["offline"], again["gate"]) == ("already_checked_in", True, "Cổng A")
    assert page.locator(VERDICT).get_attribute("data-result") == "already_checked_in"
    assert "Cổng A" in page.locator(".verdict-first").inner_text()
    page.click(VERDICT)
    assert "Cổng A" in scan(page, cuong.code, "already_checked_in")["first"]
    waiting = queued(page)
    assert [(item.get("participant"), item.get("code"), item["offline_result"]) for item in waiting] == [
        (cuong.participant_id, None, "admitted"),
        (cuong.participant_id, None, "already_checked_in"),
        (None, cuong.code, "already_checked_in"),
    ]
    assert CheckIn.objects.count() == 0

    page.context.set_offline(False)
    wait_synced(page)

    admission = CheckIn.objects.get()
    assert (admission.participant_id, admission.gate) == (cuong.participant_id, "Cổng A")
    assert admission.checked_in_at == datetime.fromisoformat(waiting[0]["scanned_at"])
    assert list(ScanLog.objects.order_by("scanned_at").values_list("code", "result", "offline")) == [
        ("", "admitted", True),
        ("", "already_checked_in", True),
        (cuong.code, "already_checked_in", True),
    ]
    assert OfflineScan.objects.filter(conflict=True).count() == 0
    assert queued(page) == []


def test_name_search_falls_back_to_the_lists_when_the_server_does_not_answer(
    page, live_server, open_event, badge, door_staff
):
    sign_in(page.context, live_server, door_staff)
    open_scanner(page, live_server, open_event, gate="Cổng B")
    page.route("**/api/v1/checkin/**", lambda route: route.abort())

    found = search(page, "hang", ["Trần Thị Thu Hằng"])
    found.get_by_role("button").click()

    page.wait_for_selector(f'{VERDICT}[data-result="admitted"]')
    assert page.locator(VERDICT).get_attribute("data-offline") == "true"
    assert CheckIn.objects.count() == 0
    page.unroute("**/api/v1/checkin/**")
    page.evaluate("window.KolOffline.sync()")
    wait_synced(page)
    assert (CheckIn.objects.get().participant_id, CheckIn.objects.get().gate) == (badge.participant_id, "Cổng B")


def test_offline_folding_is_the_servers(page, live_server, open_event, badge, door_staff):
    names = [
        "Nguyễn Mạnh Cường",
        "ĐẶNG THỊ ĐÀO",
        "  Lê   Văn\tĐạt ",
        "Ưng Hoàng Phúc",
        unicodedata.normalize("NFD", "Huỳnh Thị Ngọc Ánh"),
        "Công ty TNHH Quảng cáo Ánh Dương 24/7",
    ]
    sign_in(page.context, live_server, door_staff)
    open_scanner(page, live_server, open_event, gate="Cổng C")

    folded = page.evaluate("names => names.map(window.KolOffline.fold)", names)

    assert folded == [collation.search_fold(name) for name in names]


def test_offline_scans_at_a_session_door_are_synced_to_that_session_with_its_seat_rule(
    page, live_server, open_event, door_staff
):
    room = make_room(open_event, name="Phòng Hồng Hà", capacity=1)
    session = make_session(open_event, room, start="00:00", end="23:59")
    first = holder(open_event, "Trần Thị Thu Hằng")
    second = holder(open_event, "Phạm Minh Tuấn")
    sign_in(page.context, live_server, door_staff)
    page.goto(f"{live_server.url}/e/{open_event.slug}/checkin/")
    page.fill("#gate-input", "Cửa phòng Hồng Hà")
    page.select_option("#gate-kind", "session")
    page.select_option("#gate-session", str(session.pk))
    page.click("#gate-form button[type=submit]")
    page.wait_for_selector(f'{STATUS}:not([data-refreshed-at=""])')

    page.context.set_offline(True)
    page.wait_for_selector(f'{STATUS}[data-online="false"]')
    scan(page, first.code, "admitted")
    scan(page, second.code, "admitted")  # the device cannot know the room is full
    page.context.set_offline(False)
    wait_synced(page)

    # Admitted to the session, not at the event's door; the one seat went to the first scan.
    assert list(CheckIn.objects.values_list("participant__full_name", "session_id")) == [
        ("Trần Thị Thu Hằng", session.pk)
    ]
    told = page.locator("#sync-conflicts")
    expect(told).to_be_visible()
    expect(told).to_contain_text("Phạm Minh Tuấn")
