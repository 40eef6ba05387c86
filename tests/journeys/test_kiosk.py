"""Signing the Alliance declaration at the kiosk: staff sign in at /staff/, the participant brings
their badge and types the PIN from their badge's e-mail (events/declarations/pins.py)."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from events.enums import Category, ParticipantStatus
from events.models import ChainEntry
from events.permissions import DOOR_STAFF
from tests.browser.support import check_page, link_in_mail
from tests.events.conftest import make_declaration
from tests.events.factories import make_participant
from ticketing import services

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]

PIN_IN_MAIL = r"(?<=mã PIN ký của bạn: )\d{6}"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_participant_signs_at_the_kiosk_with_badge_and_pin(person, live_server, open_event, mailoutbox, viewport):
    declaration = make_declaration(open_event)
    hang = make_participant(
        open_event, full_name="Trần Thị Thu Hằng", category=Category.KOL, status=ParticipantStatus.APPROVED
    )
    badge = services.issue_badge(hang)  # e-mailed with the signing PIN
    pin = link_in_mail(mailoutbox, to=hang.email, pattern=PIN_IN_MAIL)
    User.objects.create_user("soatve", password="mat-khau-soatve").groups.add(Group.objects.get(name=DOOR_STAFF))

    kiosk = person()
    kiosk.goto(f"{live_server.url}/staff/")
    kiosk.get_by_label("Tên đăng nhập").fill("soatve")
    kiosk.get_by_label("Mật khẩu").fill("mat-khau-soatve")
    kiosk.get_by_role("button", name="Đăng nhập").click()
    staff_pages = kiosk.get_by_role("link", name="Trang nhân sự của tôi")
    # White on the blue header: axe left the links' contrast undecided, and they were blue on blue.
    assert staff_pages.evaluate("link => getComputedStyle(link).color") == "rgb(255, 255, 255)"
    staff_pages.click()
    check_page(kiosk, "journey-kiosk-staff-pages")
    kiosk.get_by_role("link", name="Bàn ký").click()
    kiosk.get_by_role("link", name=declaration.title_vi).click()
    kiosk.get_by_label("Tên bàn ký này").fill("Bàn ký 1")
    kiosk.get_by_role("button", name="Bắt đầu").click()
    check_page(kiosk, "journey-kiosk-ready")

    kiosk.locator("#id_code:focus").wait_for()  # the handheld scanner types the badge code
    kiosk.keyboard.type(badge.code)
    kiosk.keyboard.press("Enter")
    expect(kiosk.get_by_role("heading", name="Xin chào Trần Thị Thu Hằng")).to_be_visible()
    check_page(kiosk, "journey-kiosk-confirm")
    kiosk.get_by_label("Tôi đã đọc văn bản trên và tự nguyện ký.").check()
    kiosk.get_by_label("Có, hiển thị tên tôi").check()
    kiosk.get_by_label("Mã PIN ký của bạn").fill("000000" if pin != "000000" else "111111")
    kiosk.get_by_role("button", name="Ký văn kiện").click()
    expect(kiosk.locator(".errorlist, .errors, [role=alert]").first).to_be_visible()
    check_page(kiosk, "journey-kiosk-wrong-pin")
    assert ChainEntry.objects.count() == 0

    kiosk.get_by_label("Tôi đã đọc văn bản trên và tự nguyện ký.").check()
    kiosk.get_by_label("Có, hiển thị tên tôi").check()
    kiosk.get_by_label("Mã PIN ký của bạn").fill(pin)
    kiosk.get_by_role("button", name="Ký văn kiện").click()
    expect(kiosk.get_by_text("Cảm ơn Trần Thị Thu Hằng. Chữ ký của bạn đã được ghi nhận.")).to_be_visible()
    check_page(kiosk, "journey-kiosk-signed")
    entry = ChainEntry.objects.get()
    assert (entry.participant_id, entry.method, entry.kiosk, entry.staff.username) == (
        hang.pk,
        "kiosk",
        "Bàn ký 1",
        "soatve",
    )
