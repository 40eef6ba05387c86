"""Registration through a real Chromium: apply, be vetted in the admin, open the e-mailed link."""

import re

import pytest
from playwright.sync_api import expect

from events.enums import Category, ParticipantStatus
from events.models import Invitation, Participant
from tests.browser.support import link_in_mail, open_personal_link
from tests.events.factories import make_invitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+?/me/login/[^/\s]+/")
CONTEXT = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


def _fill_person(page, *, email, organization=""):
    page.fill("#id_full_name", "Nguyễn Tiến Cường")
    if organization:
        page.fill("#id_organization", organization)
    page.fill("#id_email", email)
    page.fill("#id_phone", "0912 345 678")


def test_kol_registration_vetted_in_admin_then_link_shows_decision(
    page, browser, live_server, event, organizer, settings, mailoutbox
):
    settings.SITE_URL = live_server.url  # the e-mailed link points at this live server

    page.goto(f"{live_server.url}/e/{event.slug}/register/kol/")
    _fill_person(page, email="cuong.nguyen@example.vn")
    page.select_option("#id_channels-0-platform", "tiktok")
    page.fill("#id_channels-0-handle", "@cuongnguyen")
    page.fill("#id_channels-0-url", "https://www.tiktok.com/@cuongnguyen")
    page.fill("#id_channels-0-followers", "1250000")
    page.check("#id_consent_participation")
    page.click("#registration-form button[type=submit]")

    # Registering proves nothing about the address: the page says to check the mailbox.
    expect(page).to_have_url(f"{live_server.url}/e/{event.slug}/register/received/")
    expect(page.locator("h1")).to_have_text("Hãy kiểm tra email")
    open_personal_link(page, link_in_mail(mailoutbox, to="cuong.nguyen@example.vn", pattern=LINK.pattern))
    expect(page).to_have_url(f"{live_server.url}/e/{event.slug}/me/")
    expect(page.locator(".status-label")).to_have_text("Đang chờ duyệt")
    expect(page.locator("h1")).to_have_text("Xin chào, Nguyễn Tiến Cường")
    participant = Participant.objects.get()
    assert (participant.full_name, participant.status) == ("Nguyễn Tiến Cường", ParticipantStatus.PENDING)

    admin_context = browser.new_context(**CONTEXT)
    try:
        admin = admin_context.new_page()
        admin.goto(f"{live_server.url}/admin/login/?next=/admin/events/participant/")
        admin.fill("#id_username", organizer.username)
        admin.fill("#id_password", "pw-" + organizer.username)
        admin.click("input[type=submit]")
        expect(admin).to_have_url(f"{live_server.url}/admin/events/participant/")
        admin.check(f"input[name=_selected_action][value='{participant.pk}']")
        admin.select_option("select[name=action]", label="Duyệt các đơn đã chọn")
        admin.click("button[name=index]")
        admin.fill("#id_reason", "Kênh TikTok phù hợp với tiêu chí của Liên minh.")
        admin.click("#content input[type=submit]")
        expect(admin.locator(".messagelist")).to_contain_text("1")
    finally:
        admin_context.close()

    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.APPROVED
    assert participant.decided_by == organizer
    to_kol = [message for message in mailoutbox if message.to == ["cuong.nguyen@example.vn"]]
    # "received, pending", "approved", then the badge that approval earns
    assert [m.subject.split(": ", 1)[1] for m in to_kol[:2]] == [
        "Đăng ký của bạn: Đang chờ duyệt",
        "Đăng ký của bạn: Đã duyệt",
    ]
    assert len(to_kol) == 3 and to_kol[2].attachments[0][2] == "application/pdf"
    link = LINK.search(to_kol[1].body).group(0)
    assert link.startswith(live_server.url)

    kol_context = browser.new_context(**CONTEXT)
    try:
        kol = kol_context.new_page()
        open_personal_link(kol, link)
        expect(kol.locator(".status-label")).to_have_text("Đã duyệt")
        expect(kol.locator(".status")).to_contain_text("Kênh TikTok phù hợp với tiêu chí của Liên minh.")
    finally:
        kol_context.close()


def test_regulator_with_invitation_code_is_approved_at_once(page, live_server, event, settings, mailoutbox):
    settings.SITE_URL = live_server.url
    invitation = make_invitation(event, Category.REGULATOR)

    page.goto(f"{live_server.url}/e/{event.slug}/register/regulator/")
    _fill_person(page, email="cuong.nguyen@mic.gov.vn", organization="Bộ Thông tin và Truyền thông")
    page.fill("#id_invitation_code", invitation.code.lower())
    page.check("#id_consent_participation")
    page.click("#registration-form button[type=submit]")

    expect(page).to_have_url(f"{live_server.url}/e/{event.slug}/register/received/")
    open_personal_link(page, link_in_mail(mailoutbox, to="cuong.nguyen@mic.gov.vn", pattern=LINK.pattern))
    expect(page.locator(".status-label")).to_have_text("Đã duyệt")
    participant = Participant.objects.get()
    assert (participant.category, participant.status, participant.invitation) == (
        Category.REGULATOR,
        ParticipantStatus.APPROVED,
        invitation,
    )
    assert Invitation.objects.get().uses == 1


def test_regulator_with_bad_code_is_refused_and_nothing_saved(page, live_server, event):
    invitation = make_invitation(event, Category.REGULATOR)

    page.goto(f"{live_server.url}/e/{event.slug}/register/regulator/")
    _fill_person(page, email="cuong.nguyen@mic.gov.vn", organization="Bộ Thông tin và Truyền thông")
    page.fill("#id_invitation_code", "KHONG-CO-MA-NAY")
    page.check("#id_consent_participation")
    page.click("#registration-form button[type=submit]")

    expect(page).to_have_url(f"{live_server.url}/e/{event.slug}/register/regulator/")
    error = page.locator(".field.has-error:has(#id_invitation_code) #id_invitation_code_error")
    expect(error).to_have_text("Mã thư mời không hợp lệ.")
    expect(page.locator("#id_full_name")).to_have_value("Nguyễn Tiến Cường")
    assert Participant.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.uses == 0


def test_language_switcher_shows_registration_form_in_english(page, live_server, event):
    page.goto(f"{live_server.url}/e/{event.slug}/register/kol/")
    expect(page.locator("label[for=id_full_name]")).to_contain_text("Họ và tên")

    page.select_option("#language-select", "en")
    page.click(".language-switcher button[type=submit]")

    expect(page).to_have_url(f"{live_server.url}/e/{event.slug}/register/kol/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("label[for=id_full_name]")).to_contain_text("Full name")
    expect(page.locator("#registration-form button[type=submit]")).to_have_text("Send registration")
    expect(page.locator("h1")).to_have_text("Register: KOL / KOC")
