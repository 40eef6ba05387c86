"""A business's journeys with passes after the purchase (issue #19 items 5 and 6), in a real Chromium.

The waiting list: a representative finds the business pass sold out, joins the line
from the ticket page, confirms from the e-mail, is offered the seat another buyer
gives back and orders it from the offer's e-mail. The name change: a buyer whose
colleague cannot come hands the pass over from the order page, proves the
address by the e-mailed link, and the colleague gets their own link and badge.
What other people do meanwhile (a buyer cancelling, an organizer seeing the
transfer) is done through the same services their pages call.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Participant
from tests.browser.support import check_page, link_in_mail, open_personal_link
from tests.ticketing.factories import make_business_type, place_order
from ticketing.enums import OrderStatus, WaitingStatus
from ticketing.models import Badge, Order, WaitingListEntry
from ticketing.services import orders
from ticketing.services.payments import mark_transfer_received

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]

WAITLIST_LINK = r"https?://\S+?/waiting-list/[^/\s]+/"
ORDER_LINK = r"https?://\S+?/orders/[^/\s]+/"
PROOF_LINK = r"https?://\S+?/orders/[^/\s]+/attendees/proof/[^/\s]+/"
PERSONAL_LINK = r"https?://\S+?/me/login/[^/\s]+/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def to_the_ticket_page(page, live_server, event, step):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=event.name_vi).click()
    page.locator("ul.choices").get_by_role("link", name="Doanh nghiệp", exact=True).click()
    check_page(page, f"journey-{step}-shop")


def test_a_representative_waits_for_a_sold_out_pass_and_orders_the_freed_seat(person, live_server, event, mailoutbox):
    ticket_type = make_business_type(event, seats=1)
    first_buyer = place_order(event, ticket_type)  # Sao Việt holds the last seat
    page = person()
    to_the_ticket_page(page, live_server, event, "waitlist")

    page.get_by_role("link", name="Vào danh sách chờ").click()
    check_page(page, "journey-waitlist-join")
    page.fill("#id_name", "Hoàng Minh Châu")
    page.fill("#id_email", "chau@hoangkim.vn")
    page.fill("#id_organization", "Công ty TNHH Hoàng Kim")
    page.check("#id_consent")
    page.get_by_role("button", name="Vào danh sách chờ").click()
    expect(page.locator("h1")).to_have_text("Hãy kiểm tra email")

    page.goto(link_in_mail(mailoutbox, to="chau@hoangkim.vn", pattern=WAITLIST_LINK))
    page.locator("#confirm-place").click()
    expect(page.locator("[data-place]")).to_have_attribute("data-place", "1")
    check_page(page, "journey-waitlist-in-line")

    orders.cancel_order(order=first_buyer)  # Sao Việt cancels: the seat is held for the first in line
    later = person()
    later.goto(link_in_mail(mailoutbox, to="chau@hoangkim.vn", pattern=WAITLIST_LINK, subject="đang được giữ"))
    check_page(later, "journey-waitlist-offer")
    later.check("#id_attendees_consent")
    later.locator("#buy-offered-pass").click()
    expect(later.locator(".status-label")).to_have_text("Chờ thanh toán")
    check_page(later, "journey-waitlist-order")

    bought = Order.objects.get(buyer_email="chau@hoangkim.vn")
    assert (bought.status, WaitingListEntry.objects.get().status) == (OrderStatus.PENDING, WaitingStatus.BOUGHT)


def test_a_buyer_hands_a_pass_to_a_colleague_who_gets_their_own_badge(
    person, live_server, event, organizer, mailoutbox
):
    ticket_type = make_business_type(event, holder_changes_until=timezone.now() + timedelta(days=7))
    order = place_order(event, ticket_type)  # Nguyễn Thu Hà's pass, bought by Phạm Minh Tuấn
    mark_transfer_received(order=order, by=organizer, reference="FT2611280099")
    old_badge_version = Badge.objects.get(participant__email="ha.nguyen@saoviet.vn").version
    page = person()
    page.goto(link_in_mail(mailoutbox, to="tuan.pham@saoviet.vn", pattern=ORDER_LINK, subject="đang chờ thanh toán"))

    page.locator("#change-attendees").click()
    check_page(page, "journey-handover-attendees")
    page.locator("#send-proof").click()
    page.goto(link_in_mail(mailoutbox, to="tuan.pham@saoviet.vn", pattern=PROOF_LINK))
    page.fill("#id_attendee_name", "Phan Thị Mai")
    page.fill("#id_attendee_email", "mai.phan@saoviet.vn")
    page.check("#id_holder_consent")
    check_page(page, "journey-handover-form")
    page.get_by_role("button", name="Chuyển thẻ").click()
    expect(page.locator("tr[data-position]")).to_contain_text("Phan Thị Mai")
    check_page(page, "journey-handover-done")

    colleague = person()
    open_personal_link(colleague, link_in_mail(mailoutbox, to="mai.phan@saoviet.vn", pattern=PERSONAL_LINK))
    expect(colleague.locator(".next-step")).to_have_attribute("data-step", "download_badge")
    check_page(colleague, "journey-handover-new-holder")
    old = Badge.objects.get(participant__email="ha.nguyen@saoviet.vn")
    assert (old.version, old.code) == (old_badge_version + 1, "")
    assert Participant.objects.get(email="mai.phan@saoviet.vn").badge.code
