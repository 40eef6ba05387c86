"""A business buys two passes in Chromium and sees the VietQR code for the exact total."""

import io

import pytest
import zxingcpp
from PIL import Image

from tests.browser.support import link_in_mail
from tests.ticketing.factories import make_business_type
from ticketing import vietqr
from ticketing.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_buys_two_passes_and_gets_a_scannable_vietqr(live_server, page, event, settings, mailoutbox):
    settings.SITE_URL = live_server.url
    settings.VIETQR_BANK = {"bin": "970436", "account": "0011004239876", "account_name": "", "bank_name": "VCB"}
    make_business_type(event, seats=10)
    page.goto(f"{live_server.url}/e/{event.slug}/tickets/?passes=2")
    page.fill("#id_name", "Phạm Minh Tuấn")
    page.fill("#id_email", "tuan.pham@saoviet.vn")
    page.fill("#id_organization", "Công ty Cổ phần Truyền thông Số Sao Việt")
    page.check("#id_attendees_consent")
    for index, (name, email) in enumerate([("Nguyễn Thu Hà", "ha@saoviet.vn"), ("Trần Quang Long", "long@saoviet.vn")]):
        page.fill(f"#id_passes-{index}-attendee_name", name)
        page.fill(f"#id_passes-{index}-attendee_email", email)
    page.click("button:has-text('Đặt mua')")
    # The order holds nothing until the buyer proves the address: confirm from the e-mail.
    page.wait_for_selector("#placed-heading")
    page.goto(link_in_mail(mailoutbox, to="tuan.pham@saoviet.vn", pattern=r"https?://\S+/orders/\S+"))
    page.click("#confirm-order")
    page.click("#choose-transfer")
    page.wait_for_selector("img.vietqr")
    order = Order.objects.get()
    assert page.text_content("[data-total]").strip() == "3.000.000 ₫"
    assert page.is_visible("[data-card-unavailable]")
    image = Image.open(io.BytesIO(page.locator("img.vietqr").screenshot()))
    [code] = zxingcpp.read_barcodes(image)
    fields = vietqr.parse(code.text)
    assert (fields["54"], fields["62"]["08"]) == ("3000000", order.code)
