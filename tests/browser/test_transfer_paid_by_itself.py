"""A business pays by VietQR and its open order page turns to Paid by itself when SePay reports the transfer."""

import json
import urllib.request

import pytest

from tests.browser.support import check_page, link_in_mail
from tests.ticketing.factories import make_business_type
from ticketing.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_order_page_turns_paid_by_itself_after_the_bank_webhook(live_server, page, event, settings, mailoutbox):
    settings.SITE_URL = live_server.url
    settings.SEPAY_WEBHOOK_API_KEY = "sepay-key"
    settings.VIETQR_BANK = {"bin": "970436", "account": "0011004239876", "account_name": "", "bank_name": "VCB"}
    make_business_type(event, seats=10)
    page.goto(f"{live_server.url}/e/{event.slug}/tickets/?passes=1")
    page.fill("#id_name", "Phạm Minh Tuấn")
    page.fill("#id_email", "tuan.pham@saoviet.vn")
    page.fill("#id_organization", "Công ty Cổ phần Truyền thông Số Sao Việt")
    page.check("#id_attendees_consent")
    page.fill("#id_passes-0-attendee_name", "Nguyễn Thu Hà")
    page.fill("#id_passes-0-attendee_email", "ha@saoviet.vn")
    page.click("button:has-text('Đặt mua')")
    page.wait_for_selector("#placed-heading")
    page.goto(link_in_mail(mailoutbox, to="tuan.pham@saoviet.vn", pattern=r"https?://\S+/orders/\S+"))
    page.click("#confirm-order")
    page.click("#choose-transfer")
    page.wait_for_selector("#transfer-automatic")
    check_page(page, "order-waiting-for-transfer")
    order = Order.objects.get()

    # The buyer's bank turned the reference into lower case with a space: it still matches.
    body = {
        "id": 1,
        "transferType": "in",
        "transferAmount": order.total,
        "referenceCode": "FT27330000000001",
        "content": f"MBVCB.1.{order.code[:3].lower()} {order.code[3:].lower()}.CT tu CONG TY SAO VIET",
        "transactionDate": "2027-11-26 09:30:12",
        "accountNumber": "0011004239876",
    }
    webhook = urllib.request.Request(
        f"{live_server.url}/bank/sepay/webhook/",
        data=json.dumps(body).encode(),
        headers={"Authorization": "Apikey sepay-key", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(webhook, timeout=30) as answer:
        assert json.loads(answer.read()) == {"success": True, "outcome": "paid"}

    page.wait_for_selector("text=Đã thanh toán. Mỗi người tham dự", timeout=15_000)  # no click, no reload by hand
    assert not page.is_visible("img.vietqr")
    check_page(page, "order-paid-by-itself")
