"""A new user rehearses a door on the demo data (#15 item 4): what `bash run.sh start` prints is enough.

seed_demo has run; the person signs in at /staff/ with the printed demo login, picks the
rehearsal among the current events, takes a gate the devices page set up, and a handheld
scanner reads the demo badge PDF the banner points to.
"""

import subprocess

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect

from events.models import Event
from tests.browser.support import check_page
from ticketing.demo import demo_badge_path
from ticketing.models import CheckIn

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEMO_BADGE_DIR = tmp_path / "demo"
    call_command("seed_demo", participants=20, verbosity=0)
    return Event.objects.get(slug="dien-tap")


def code_printed_on(pdf, folder):
    """What a handheld scanner reads off the printed badge: the QR code of its first page."""
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(pdf), str(folder / "page")], check=True)
    [found] = zxingcpp.read_barcodes(Image.open(next(folder.glob("page*.png"))))
    return found.text


def test_new_user_scans_the_demo_badge_at_the_rehearsal(person, live_server, demo, viewport, tmp_path):
    page = person()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Diễn tập soát vé (dữ liệu demo)").click()
    page.get_by_role("link", name="Đăng nhập nhân sự (ban tổ chức, soát vé)").click()
    page.get_by_label("Tên đăng nhập").fill("soatve")
    page.get_by_label("Mật khẩu").fill("demo-soatve")
    page.get_by_role("button", name="Đăng nhập").click()
    check_page(page, "journey-rehearsal-events")
    rehearsal = page.locator("section.card", has_text="Diễn tập soát vé (dữ liệu demo)")
    rehearsal.get_by_role("link", name="Soát vé tại cửa").click()
    page.wait_for_url(f"**/e/{demo.slug}/checkin/")
    assert page.locator("#gate-list option").evaluate_all("options => options.map(o => o.value)") == [
        "Cổng A",
        "Cổng B",
    ]
    page.get_by_label("Thiết bị này đặt ở cổng nào?").fill("Cổng A")
    page.get_by_role("button", name="Dùng cổng này").click()

    page.locator("#wedge:focus").wait_for()
    page.keyboard.type(code_printed_on(demo_badge_path(demo), tmp_path))
    page.keyboard.press("Enter")
    page.wait_for_selector('#verdict[data-result="admitted"]')
    expect(page.locator(".verdict-name")).to_have_text("Trần Thị Thu Hằng")
    check_page(page, "journey-rehearsal-admitted")
    assert CheckIn.objects.get().participant.event == demo
