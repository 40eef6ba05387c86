"""Attendees of each of the four kinds, from the front page to their badge (issue #15 items 3 and 7).

Each starts at the front page, registers (or, for a business, orders its pass) by
clicking and typing, then goes on only through the links in the e-mails it gets;
on the personal page the next step (events/steps.py) is what leads it to the badge.
What the organizers do meanwhile (vetting a KOL, seeing a bank transfer arrive) is
their own journey; here it is done through the same services their pages call.
"""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from events.enums import Category, ParticipantStatus
from events.models import Participant
from events.services import decide_application
from tests.browser.support import check_page, link_in_mail, open_personal_link
from tests.events.factories import make_invitation
from tests.ticketing.factories import make_business_type, make_free_type
from ticketing.models import Order
from ticketing.services.payments import mark_transfer_received

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]

PERSONAL_LINK = r"https?://\S+?/me/login/[^/\s]+/"
ORDER_LINK = r"https?://\S+?/orders/[^\s]+"


@pytest.fixture(autouse=True)
def conference(event, settings, tmp_path):
    """The conference as its organizers set it up: a free pass per guest kind, a business pass on sale."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIETQR_BANK = {
        "bin": "970436",
        "account": "0011004239876",
        "account_name": "BTC HN KOL",
        "bank_name": "VCB",
    }
    for category in (Category.KOL, Category.REGULATOR, Category.PLATFORM):
        make_free_type(event, category)
    make_business_type(event)
    return event


def from_front_page(page, live_server, event, kind, step):
    page.goto(f"{live_server.url}/")
    check_page(page, f"journey-{step}-front")
    page.get_by_role("link", name=event.name_vi).click()
    check_page(page, f"journey-{step}-event")
    page.locator("ul.choices").get_by_role("link", name=kind, exact=True).click()


def fill_person(page, *, name, email, organization="", title=""):
    page.fill("#id_full_name", name)
    if organization:
        page.fill("#id_organization", organization)
    if title and page.locator("#id_title").count():
        page.fill("#id_title", title)
    page.fill("#id_email", email)
    page.fill("#id_phone", "0912 345 678")


def send_registration(page, step):
    page.check("#id_consent_participation")
    check_page(page, f"journey-{step}-form")
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator("h1")).to_have_text("Hãy kiểm tra email")
    check_page(page, f"journey-{step}-received")


def next_step(page):
    return page.locator(".next-step")


def download_badge(page, step):
    """The personal page's next step is the badge: the person downloads it from there."""
    expect(next_step(page)).to_have_attribute("data-step", "download_badge")
    check_page(page, f"journey-{step}-badge-ready")
    with page.expect_download() as download:
        next_step(page).get_by_role("link", name="Tải thẻ đại biểu (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_kol_applies_is_vetted_and_downloads_the_badge(person, live_server, event, organizer, mailoutbox):
    page = person()
    from_front_page(page, live_server, event, "KOL / KOC", "kol")
    fill_person(page, name="Trần Thị Thu Hằng", email="hang.tran@example.vn")
    page.select_option("#id_channels-0-platform", "tiktok")
    page.fill("#id_channels-0-handle", "@thuhang.review")
    page.fill("#id_channels-0-url", "https://www.tiktok.com/@thuhang.review")
    page.fill("#id_channels-0-followers", "1250000")
    send_registration(page, "kol")

    open_personal_link(page, link_in_mail(mailoutbox, to="hang.tran@example.vn", pattern=PERSONAL_LINK))
    expect(next_step(page)).to_have_attribute("data-step", "wait_for_review")
    check_page(page, "journey-kol-waiting")

    decide_application(
        participant=Participant.objects.get(email="hang.tran@example.vn"),
        decision=ParticipantStatus.APPROVED,
        reason="Kênh phù hợp với tiêu chí của Liên minh.",
        by=organizer,
    )
    later = person()  # the approval e-mail is read later, maybe on another device
    open_personal_link(later, link_in_mail(mailoutbox, to="hang.tran@example.vn", pattern=PERSONAL_LINK))
    download_badge(later, "kol")


@pytest.mark.parametrize(
    ("kind", "category", "organization"),
    [
        ("Cơ quan quản lý", Category.REGULATOR, "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao"),
        ("Nền tảng số", Category.PLATFORM, "TikTok Việt Nam"),
    ],
    ids=["regulator", "platform"],
)
def test_invited_guest_registers_with_the_code_and_downloads_the_badge(
    person, live_server, event, mailoutbox, kind, category, organization
):
    invitation = make_invitation(event, category)
    page = person()
    from_front_page(page, live_server, event, kind, category)
    fill_person(page, name="Nguyễn Tiến Cường", email="cuong.nguyen@example.gov.vn", organization=organization)
    page.fill("#id_invitation_code", invitation.code.lower())  # as typed from the letter
    send_registration(page, category)

    open_personal_link(page, link_in_mail(mailoutbox, to="cuong.nguyen@example.gov.vn", pattern=PERSONAL_LINK))
    download_badge(page, category)
    assert Participant.objects.get().category == category


def test_business_representative_orders_a_pass_pays_by_transfer_and_downloads_the_badge(
    person, live_server, event, organizer, mailoutbox
):
    page = person()
    from_front_page(page, live_server, event, "Doanh nghiệp", "business")
    check_page(page, "journey-business-shop")
    page.fill("#id_name", "Phạm Minh Tuấn")
    page.fill("#id_email", "tuan.pham@saoviet.vn")
    page.fill("#id_organization", "Công ty Cổ phần Truyền thông Số Sao Việt")
    page.check("#id_attendees_consent")
    page.fill("#id_passes-0-attendee_name", "Phạm Minh Tuấn")
    page.fill("#id_passes-0-attendee_email", "tuan.pham@saoviet.vn")
    page.get_by_role("button", name="Đặt mua").click()
    page.wait_for_selector("#placed-heading")
    check_page(page, "journey-business-placed")

    page.goto(link_in_mail(mailoutbox, to="tuan.pham@saoviet.vn", pattern=ORDER_LINK))
    page.locator("#confirm-order").click()
    check_page(page, "journey-business-order")
    page.get_by_role("button", name="Thanh toán bằng chuyển khoản").click()
    expect(page.locator("img.vietqr")).to_be_visible()
    check_page(page, "journey-business-vietqr")

    mark_transfer_received(order=Order.objects.get(), by=organizer, reference="FT2611280001")
    later = person()  # the receipt, the personal link and the badge arrive; the badge's e-mail has the link
    badge_mail = link_in_mail(mailoutbox, to="tuan.pham@saoviet.vn", pattern=PERSONAL_LINK, subject="Thẻ đại biểu")
    open_personal_link(later, badge_mail)
    download_badge(later, "business")
    assert Participant.objects.get().category == Category.BUSINESS
    assert User.objects.count() == 1  # the organizer; attendees never get an account
