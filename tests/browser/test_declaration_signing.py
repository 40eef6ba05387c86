"""A KOL signs on their phone, another at the kiosk by scanning their badge; the public list and the chain agree.

The kiosk resolves real signed badge codes through the resolver ticketing
registers in events.extensions.
"""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from events import links
from events.declarations.pins import signing_pin
from events.declarations.services import set_signing_rules
from events.models import ChainEntry
from tests.browser.support import check_page, open_personal_link
from tests.events.conftest import badge_code, make_declaration  # noqa: F401 - fixture used by name
from tests.events.factories import make_participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def declaration(event):
    return make_declaration(event)


def sign_on_phone(page, live_server, participant, declaration, *, public=True):
    page.set_viewport_size({"width": 390, "height": 844})
    open_personal_link(page, links.magic_link(participant).replace(settings.SITE_URL, live_server.url))
    page.get_by_role("link", name="Đọc và ký").click()
    assert page.locator("[data-text-hash]").first.inner_text() == declaration.versions.get().text_sha256
    page.get_by_label("Họ và tên của bạn, đúng như khi đăng ký").fill(participant.full_name.lower())
    consent = page.get_by_label("Tôi đã đọc văn bản trên và tự nguyện ký.")
    assert not consent.is_checked()
    consent.check()
    page.get_by_label("Có, hiển thị tên tôi" if public else "Không, chỉ tính chữ ký").check()
    page.get_by_role("button", name="Ký văn kiện").click()


def sign_at_kiosk(page, live_server, declaration, participant, door_staff, code):
    page.goto(live_server.url + reverse("declarations:kiosk", args=[declaration.event.slug, declaration.slug]))
    page.get_by_label("Tên đăng nhập").fill(door_staff.username)
    page.get_by_label("Mật khẩu").fill("pw-" + door_staff.username)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Tên bàn ký này").fill("Bàn ký 1")
    page.get_by_role("button", name="Bắt đầu").click()
    # A keyboard-wedge scanner types into the focused field and presses Enter.
    page.locator("#id_code:focus").wait_for()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Xin chào {participant.full_name}").wait_for()
    page.get_by_label("Tôi đã đọc văn bản trên và tự nguyện ký.").check()
    page.get_by_label("Có, hiển thị tên tôi").check()
    # The participant types the PIN from their badge e-mail: the staff member alone cannot sign.
    page.get_by_label("Mã PIN ký của bạn").fill(signing_pin(participant))
    page.get_by_role("button", name="Ký văn kiện").click()


def test_online_signing_from_the_personal_page(page, live_server, declaration, event):
    kol = make_participant(event, full_name="Lê Văn Đạt", status="approved")
    sign_on_phone(page, live_server, kol, declaration)
    assert page.get_by_text("Cảm ơn bạn. Chữ ký của bạn đã được ghi nhận.").is_visible()
    assert page.get_by_role("link", name="Rút lại chữ ký của tôi").is_visible()
    entry = ChainEntry.objects.get()
    assert (entry.participant, entry.method, entry.public) == (kol, "online", True)
    assert "Chrome" in entry.user_agent and entry.ip_address == "127.0.0.1"
    page.get_by_role("link", name="Rút lại chữ ký của tôi").click()
    page.get_by_role("link", name="Không, giữ chữ ký của tôi").wait_for()
    assert ChainEntry.objects.count() == 1  # nothing withdrawn until confirmed
    page.get_by_role("button", name="Có, rút lại chữ ký của tôi").click()
    assert page.get_by_text("Chữ ký của bạn đã được rút lại.").is_visible()
    assert list(ChainEntry.objects.values_list("action", flat=True)) == ["sign", "withdraw"]


def test_kiosk_signing_by_scanning_a_badge(page, live_server, declaration, event, door_staff, badge_code):  # noqa: F811
    kol = make_participant(event, full_name="Trần Thị Ánh", status="approved")
    sign_at_kiosk(page, live_server, declaration, kol, door_staff, badge_code(kol))
    assert page.get_by_text("Cảm ơn Trần Thị Ánh. Chữ ký của bạn đã được ghi nhận.").is_visible()
    assert page.evaluate("document.activeElement.id") == "id_code"  # ready for the next badge
    entry = ChainEntry.objects.get()
    assert (entry.participant, entry.method, entry.kiosk, entry.staff) == (kol, "kiosk", "Bàn ký 1", door_staff)


def test_phone_and_kiosk_signatures_listed_in_order_chain_verified_tamper_caught(
    page,
    live_server,
    declaration,
    event,
    door_staff,
    badge_code,  # noqa: F811
):
    on_phone = make_participant(event, full_name="Nguyễn Tiến Cường", status="approved")
    at_kiosk = make_participant(event, full_name="Phạm Thị Ánh", status="approved")
    sign_on_phone(page, live_server, on_phone, declaration)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_at_kiosk(page, live_server, declaration, at_kiosk, door_staff, badge_code(at_kiosk))

    page.goto(live_server.url + reverse("declarations:public", args=[event.slug, declaration.slug]))
    assert page.locator("#signatories .name").all_inner_texts() == ["Phạm Thị Ánh", "Nguyễn Tiến Cường"]
    declaration.refresh_from_db()
    assert page.locator("#chain-head").inner_text() == declaration.chain_head

    verification = live_server.url + f"/api/v1/events/{event.slug}/declarations/{declaration.slug}/verification"
    assert json.loads(page.goto(verification).text())["ok"] is True
    ChainEntry.objects.filter(sequence=1, declaration=declaration).update(public=False)
    body = json.loads(page.goto(verification).text())
    assert (body["ok"], body["broken_sequence"], body["reason"]) == (False, 1, "hash_mismatch")


def radio_box(page, label):
    return page.get_by_label(label).bounding_box()


@pytest.mark.parametrize("width", [360, 1280])
def test_public_list_choice_is_two_small_radios_with_their_labels_beside_them(
    page, live_server, declaration, event, width
):
    kol = make_participant(event, full_name="Trần Thị Phương Thảo", status="approved")
    page.set_viewport_size({"width": width, "height": 800})
    open_personal_link(page, links.magic_link(kol).replace(settings.SITE_URL, live_server.url))
    page.get_by_role("link", name="Đọc và ký").click()
    for label in ["Có, hiển thị tên tôi", "Không, chỉ tính chữ ký"]:
        radio = radio_box(page, label)
        text = page.locator("label", has_text=label).bounding_box()
        assert radio["width"] < 40, f"{label}: radio {radio['width']} px wide"
        assert text["x"] > radio["x"] and abs(text["y"] - radio["y"]) < 20  # beside, not below
        card = page.locator("#sign-form fieldset").bounding_box()
        assert text["width"] > 200, f"{label}: label {text['width']} px wide (one word per line?)"
        assert text["x"] + text["width"] <= card["x"] + card["width"], f"{label}: label sticks out of the card"
    check_page(page, "declaration-sign")


@pytest.mark.parametrize("width", [360, 1280])
def test_kiosk_radios_fit_and_already_signed_shows_above_the_text(
    page,
    live_server,
    declaration,
    event,
    door_staff,
    badge_code,  # noqa: F811
    width,
):
    kol = make_participant(event, full_name="Trần Thị Ánh", status="approved")
    page.set_viewport_size({"width": width, "height": 740})
    sign_at_kiosk(page, live_server, declaration, kol, door_staff, badge_code(kol))
    page.get_by_text("Cảm ơn Trần Thị Ánh").wait_for()
    page.keyboard.type(badge_code(kol))
    page.keyboard.press("Enter")
    notice = page.get_by_text("Bạn đã ký văn kiện này lúc")
    notice.wait_for()
    assert notice.bounding_box()["y"] + notice.bounding_box()["height"] <= 740  # seen without scrolling
    check_page(page, "kiosk-already-signed")

    outsider = make_participant(event, full_name="Lê Văn Khách", category="platform", status="approved")
    set_signing_rules(declaration=declaration, rules={"kol": "founding_member"})
    page.get_by_role("link", name="Hủy và quét thẻ tiếp theo").click()
    page.locator("#id_code:focus").wait_for()
    page.keyboard.type(badge_code(outsider))
    page.keyboard.press("Enter")
    notice = page.get_by_text("Đăng ký của bạn không thuộc diện được ký văn kiện này.")
    notice.wait_for()
    assert notice.bounding_box()["y"] + notice.bounding_box()["height"] <= 740


@pytest.mark.parametrize("width", [360, 1280])
def test_kiosk_confirm_radios_fit(page, live_server, declaration, event, door_staff, badge_code, width):  # noqa: F811
    kol = make_participant(event, full_name="Nguyễn Thị Minh Khai", status="approved")
    page.set_viewport_size({"width": width, "height": 740})
    page.goto(live_server.url + reverse("declarations:kiosk", args=[event.slug, declaration.slug]))
    page.get_by_label("Tên đăng nhập").fill(door_staff.username)
    page.get_by_label("Mật khẩu").fill("pw-" + door_staff.username)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Tên bàn ký này").fill("Bàn ký 2")
    page.get_by_role("button", name="Bắt đầu").click()
    page.locator("#id_code:focus").wait_for()
    page.keyboard.type(badge_code(kol))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Xin chào {kol.full_name}").wait_for()
    assert radio_box(page, "Có, hiển thị tên tôi")["width"] < 40
    check_page(page, "kiosk-confirm")
