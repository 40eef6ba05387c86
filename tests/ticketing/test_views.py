import subprocess

import pytest
from django.urls import reverse

from events.enums import ParticipantStatus
from events.links import remember_participant
from tests.events.factories import make_participant, open_personal_link
from ticketing.enums import OrderStatus
from ticketing.models import Badge, Order, Quota
from ticketing.services.payments import mark_transfer_received

from .conftest import decoded_codes, pdf_pages
from .factories import make_business_type, order_for, place_order

pytestmark = pytest.mark.django_db


def open_personal_page(client, participant):
    open_personal_link(client, participant)
    return client.get(reverse("events:personal_page", args=[participant.event.slug]))


def test_personal_page_of_an_approved_participant_shows_the_badge(client, approved):
    page = open_personal_page(client, approved).content.decode()

    badge = Badge.objects.get(participant=approved)
    assert reverse("ticketing:badge_download", args=[approved.event.slug]) in page
    assert badge.code in page


def test_personal_page_with_a_badge_promises_no_badge_to_come(client, approved):
    page = open_personal_page(client, approved).content.decode()

    # The status card once said "Thẻ đại biểu sẽ có tại đây." right above the badge itself.
    assert "sẽ có tại đây" not in page
    assert 'data-step="download_badge"' in page
    assert page.index('data-step="download_badge"') < page.index('class="card badge-panel"')


def test_personal_page_of_a_pending_participant_shows_no_badge(client, event):
    pending = make_participant(event, status=ParticipantStatus.PENDING)

    page = open_personal_page(client, pending).content.decode()

    assert reverse("ticketing:badge_download", args=[event.slug]) not in page
    assert Badge.objects.count() == 0


def test_badge_download_gives_own_badge(client, approved, tmp_path):
    open_personal_page(client, approved)

    response = client.get(reverse("ticketing:badge_download", args=[approved.event.slug]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    (page,) = pdf_pages(b"".join(response.streaming_content), tmp_path)
    assert decoded_codes(page) == [Badge.objects.get(participant=approved).code]


def test_badge_download_without_a_magic_link_session_is_404(client, approved):
    assert client.get(reverse("ticketing:badge_download", args=[approved.event.slug])).status_code == 404


def test_badge_download_of_a_pending_participant_is_404(client, event):
    pending = make_participant(event, status=ParticipantStatus.PENDING)
    open_personal_page(client, pending)

    assert client.get(reverse("ticketing:badge_download", args=[event.slug])).status_code == 404


def test_badge_download_in_an_event_with_ticket_types_without_a_pass_is_404(client, approved):
    make_business_type(approved.event)
    page = open_personal_page(client, approved).content.decode()

    assert client.get(reverse("ticketing:badge_download", args=[approved.event.slug])).status_code == 404
    assert reverse("ticketing:badge_download", args=[approved.event.slug]) not in page
    assert Badge.objects.count() == 0


def test_badge_download_of_a_paid_pass_holder_gives_their_badge(client, event, business_type, organizer, tmp_path):
    order = place_order(event, business_type)
    mark_transfer_received(order=order, by=organizer)
    holder = order.positions.get().participant
    open_personal_page(client, holder)

    response = client.get(reverse("ticketing:badge_download", args=[event.slug]))

    assert response.status_code == 200
    (page,) = pdf_pages(b"".join(response.streaming_content), tmp_path)
    assert decoded_codes(page) == [Badge.objects.get(participant=holder).code]


def test_badge_download_serves_the_sessions_own_participant_only(client, event, approved):
    other = make_participant(event, full_name="Phạm Đức Mạnh", status=ParticipantStatus.APPROVED)
    open_personal_page(client, other)

    client.get(reverse("ticketing:badge_download", args=[event.slug]))

    assert list(Badge.objects.values_list("participant_id", flat=True)) == [other.pk]


def test_personal_page_shows_a_qr_that_decodes_to_the_badge_code(client, approved):
    import base64
    import io
    import re

    from PIL import Image

    page = open_personal_page(client, approved).content.decode()

    png = base64.b64decode(re.search(r'class="badge-qr" src="data:image/png;base64,([^"]+)"', page).group(1))
    image = Image.open(io.BytesIO(png))
    assert image.size == (45, 45)  # one pixel per module: 37 modules (version 5) and a 4-module quiet zone
    image = image.convert("L").resize((360, 360), Image.NEAREST)  # as the page scales it, crisp
    assert decoded_codes(image) == [Badge.objects.get(participant=approved).code]


pytestmark = pytest.mark.django_db


def buy_data(ticket_type, **overrides):
    data = {
        "name": "Phạm Minh Tuấn",
        "email": "tuan.pham@saoviet.vn",
        "organization": "Công ty Cổ phần Truyền thông Số Sao Việt",
        "tax_code": "0101234567",
        "voucher": "",
        "attendees_consent": "on",
        "passes-TOTAL_FORMS": "2",
        "passes-INITIAL_FORMS": "0",
        "passes-0-ticket_type": str(ticket_type.pk),
        "passes-0-attendee_name": "Nguyễn Thu Hà",
        "passes-0-attendee_email": "ha.nguyen@saoviet.vn",
        "passes-1-ticket_type": str(ticket_type.pk),
        "passes-1-attendee_name": "Trần Quang Long",
        "passes-1-attendee_email": "long.tran@saoviet.vn",
        "price": "1",  # tampered: ignored
    }
    data.update(overrides)
    return data


def test_buy_page_lists_passes_with_prices_and_seats(client, event, business_type):
    response = client.get(reverse("ticketing:buy", args=[event.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thẻ doanh nghiệp" in html
    assert "1.500.000 ₫" in html


def test_buy_page_without_a_personal_link_asks_to_confirm_by_email(
    client, event, business_type, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ticketing:buy", args=[event.slug]), buy_data(business_type))
    order = Order.objects.get()
    assert (response.status_code, response.url) == (302, reverse("ticketing:order_placed", args=[event.slug]))
    page = client.get(response.url).content.decode()
    assert "tuan.pham@saoviet.vn" in page and order.token not in page
    assert (order.status, order.total, order.positions.count()) == ("unconfirmed", 3_000_000, 2)
    assert Quota.objects.get().taken == 0
    [mail] = mailoutbox
    assert mail.to == ["tuan.pham@saoviet.vn"] and f"/orders/{order.token}/" in mail.body


def test_the_emailed_order_link_confirms_the_order_and_holds_its_seats(client, event, business_type):
    client.post(reverse("ticketing:buy", args=[event.slug]), buy_data(business_type))
    order = Order.objects.get()
    page = client.get(reverse("ticketing:order", args=[order.token])).content.decode()
    response = client.post(reverse("ticketing:confirm", args=[order.token]))
    order.refresh_from_db()
    assert 'id="confirm-order"' in page
    assert (response.status_code, order.status, Quota.objects.get().taken) == (302, "pending", 2)


def test_buy_page_signed_in_orders_as_the_participant_and_opens_the_order(client, event, business_type):
    buyer = make_participant(event, category="business", status="approved", email="tuan.pham@saoviet.vn")
    open_personal_link(client, buyer)
    data = buy_data(business_type, email="ke.gian@example.vn")  # the e-mail field is not theirs to change
    response = client.post(reverse("ticketing:buy", args=[event.slug]), data)
    order = Order.objects.get()
    assert response.url == reverse("ticketing:order", args=[order.token])
    assert (order.status, order.buyer, order.buyer_email) == ("pending", buyer, "tuan.pham@saoviet.vn")


def test_confirming_a_sold_out_order_shows_the_reason(client, event):
    ticket_type = make_business_type(event, seats=1)
    client.post(reverse("ticketing:buy", args=[event.slug]), buy_data(ticket_type))
    order = Order.objects.get()
    response = client.post(reverse("ticketing:confirm", args=[order.token]), follow=True)
    assert "Hết chỗ: không còn đủ chỗ cho “Thẻ doanh nghiệp”." in response.content.decode()
    assert Order.objects.get().status == "unconfirmed"


def test_order_page_shows_the_vietqr_code_once_bank_transfer_is_chosen(client, event, business_type, bank_settings):
    order = place_order(event, business_type)
    before = client.get(reverse("ticketing:order", args=[order.token])).content.decode()
    html = client.post(reverse("ticketing:choose_transfer", args=[order.token]), follow=True).content.decode()
    assert 'class="vietqr"' not in before and 'id="choose-transfer"' in before
    assert 'class="vietqr" src="data:image/png;base64,' in html
    assert order.code in html
    assert "data-card-unavailable" in html
    assert "Stripe" in html


def test_order_page_with_the_demo_account_says_not_to_pay_it(client, event, business_type, bank_settings):
    bank_settings["demo"] = True  # what `bash run.sh start` sets without VIETQR_BANK_BIN
    order = place_order(event, business_type)

    before = client.get(reverse("ticketing:order", args=[order.token])).content.decode()
    html = client.post(reverse("ticketing:choose_transfer", args=[order.token]), follow=True).content.decode()

    notice = "Tài khoản demo: tài khoản ngân hàng này được tạo ra để dùng thử trang web. Đừng chuyển tiền thật."
    assert notice in before and notice in html
    assert 'class="vietqr" src="data:image/png;base64,' in html


def test_order_page_with_a_real_account_has_no_demo_notice(client, event, business_type, bank_settings):
    order = place_order(event, business_type)
    html = client.post(reverse("ticketing:choose_transfer", args=[order.token]), follow=True).content.decode()
    assert "data-demo-bank" not in html


def test_order_page_without_a_bank_account_says_transfer_is_unavailable(client, event, business_type):
    order = place_order(event, business_type)
    html = client.get(reverse("ticketing:order", args=[order.token])).content.decode()
    assert 'class="vietqr"' not in html
    assert 'class="notice"' in html


def test_order_page_with_stripe_configured_offers_card_payment(client, event, business_type, fake_stripe):
    order = place_order(event, business_type)
    html = client.get(reverse("ticketing:order", args=[order.token])).content.decode()
    assert reverse("ticketing:pay_by_card", args=[order.token]) in html
    response = client.post(reverse("ticketing:pay_by_card", args=[order.token]))
    assert (response.status_code, response.url) == (302, "https://checkout.stripe.test/pay/cs_test_1")


def test_order_page_with_an_unknown_token_is_404(client):
    assert client.get(reverse("ticketing:order", args=["khong-co"])).status_code == 404


def test_cancel_from_the_order_page_frees_the_seats(client, event, business_type):
    order = place_order(event, business_type)
    client.post(reverse("ticketing:cancel", args=[order.token]))
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert Quota.objects.get().taken == 0


def test_receipt_download_for_a_paid_order(client, event, business_type, organizer, tmp_path):
    order = place_order(event, business_type)
    unpaid = client.get(reverse("ticketing:receipt", args=[order.token]))
    mark_transfer_received(order=order, by=organizer)
    response = client.get(reverse("ticketing:receipt", args=[order.token]))
    assert unpaid.status_code == 404
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "r.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "1.500.000 ₫" in text


def test_personal_page_lists_the_buyers_orders_with_the_receipt(client, event, business_type, organizer):
    buyer = make_participant(event, category="business", email="tuan.pham@saoviet.vn")
    order = place_order(event, business_type, buyer_participant=buyer)
    mark_transfer_received(order=order, by=organizer)
    session = client.session
    request = type("R", (), {"session": session})()
    remember_participant(request, buyer)
    session.save()
    client.cookies["sessionid"] = session.session_key
    html = client.get(reverse("events:personal_page", args=[event.slug])).content.decode()
    assert f'data-order="{order.code}"' in html
    assert reverse("ticketing:receipt", args=[order.token]) in html


def test_admin_sales_page_shows_availability_per_quota(organizer_client, event, business_type):
    place_order(event, business_type, 3)
    response = organizer_client.get(reverse("admin:ticketing_sales") + f"?event={event.pk}")
    assert response.status_code == 200
    quota = Quota.objects.get()
    assert f'<tr data-quota="{quota.pk}"><td>Doanh nghiệp</td><td>10</td><td>3</td><td>7</td></tr>' in (
        response.content.decode()
    )


def test_admin_bank_statement_preview_then_apply_marks_the_order_paid(organizer_client, event, business_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = place_order(event, business_type)
    csv = (
        "Mã giao dịch,Số tiền ghi nợ,Số tiền ghi có,Nội dung\n"
        f"FT8,1.500.000,,{order.code}\nFT9,,1.500.000,{order.code}\n"
    )
    url = reverse("admin:ticketing_bank_statement")
    preview = organizer_client.post(
        url, {"event": event.pk, "statement": SimpleUploadedFile("saoke.csv", csv.encode(), content_type="text/csv")}
    )
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "<td>Ghi có (tiền vào)</td><td>Số tiền ghi có</td>" in page
    assert "<td>Ghi nợ (tiền ra, không bao giờ là thanh toán)</td><td>Số tiền ghi nợ</td>" in page
    assert f"<td>3</td><td>{order.code}</td><td>Thanh toán đơn hàng.</td>" in page
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING  # a preview changes nothing

    applied = organizer_client.post(url, {"event": event.pk, "apply": "1"})
    assert f"<td>3</td><td>{order.code}</td><td>Đã thanh toán.</td>" in applied.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    again = organizer_client.post(url, {"event": event.pk, "apply": "1"})
    assert "Hãy tải sao kê lên lại: không có bản xem trước nào để áp dụng." in again.content.decode()


def test_admin_bank_statement_apply_from_another_session_finds_nothing(
    organizer_client, organizer, event, business_type
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    order = place_order(event, business_type)
    csv = f"Mã giao dịch,Số tiền ghi có,Nội dung\nFT9,1500000,{order.code}\n".encode()
    url = reverse("admin:ticketing_bank_statement")
    organizer_client.post(url, {"event": event.pk, "statement": SimpleUploadedFile("saoke.csv", csv)})
    other = Client()
    other.force_login(organizer)
    assert "không có bản xem trước" in other.post(url, {"event": event.pk, "apply": "1"}).content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


def test_admin_bank_statement_refuses_other_file_types(organizer_client, event, business_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = organizer_client.post(
        reverse("admin:ticketing_bank_statement"),
        {"event": event.pk, "statement": SimpleUploadedFile("saoke.pdf", b"%PDF-1.4", content_type="application/pdf")},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_admin_ticketing_pages_refuse_door_staff(client, door_staff):
    door_staff.is_staff = True
    door_staff.save()
    client.force_login(door_staff)
    assert client.get(reverse("admin:ticketing_sales")).status_code == 403


def test_admin_mark_transfer_action_pays_the_order(organizer_client, event, business_type):
    order = place_order(event, business_type)
    response = organizer_client.post(
        reverse("admin:ticketing_order_changelist"),
        {"action": "mark_transfer_received", "_selected_action": [order.pk]},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


@pytest.mark.parametrize("count", [1, 3])
def test_admin_order_list_query_count_does_not_grow(organizer_client, event, django_assert_max_num_queries, count):
    from .factories import BUYER, passes

    ticket_type = make_business_type(event, seats=10)
    for index in range(count):
        order_for(event, dict(BUYER), passes(ticket_type, 1, offset=index))
    with django_assert_max_num_queries(
        16
    ):  # session, user, groups, counts, facets (the deadline filter too): same for 1 or 3
        response = organizer_client.get(reverse("admin:ticketing_order_changelist"))
    assert response.status_code == 200
    assert response.content.decode().count('class="field-code"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_personal_page_panel_query_count_does_not_grow(client, event, django_assert_max_num_queries, count):
    from .factories import BUYER, passes

    buyer = make_participant(event, category="business", email=BUYER["email"])
    ticket_type = make_business_type(event, seats=10)
    for index in range(count):
        order_for(event, dict(BUYER), passes(ticket_type, 1, offset=index), buyer_participant=buyer)
    session = client.session
    remember_participant(type("R", (), {"session": session})(), buyer)
    session.save()
    client.cookies["sessionid"] = session.session_key
    with django_assert_max_num_queries(12):
        html = client.get(reverse("events:personal_page", args=[event.slug])).content.decode()
    assert html.count("data-order=") == count


def test_admin_sales_page_sums_paid_passes_by_category_and_day(organizer_client, event, business_type, organizer):
    from django.utils import timezone

    paid = place_order(event, business_type, 2)
    mark_transfer_received(order=paid, by=organizer)

    from .factories import BUYER, passes

    order_for(event, dict(BUYER), passes(business_type, 1, offset=2))  # pending: not sold
    html = organizer_client.get(reverse("admin:ticketing_sales") + f"?event={event.pk}").content.decode()
    today = timezone.localdate()
    expected = (
        f'<tr data-day="{today:%Y-%m-%d}"><td>{today:%d/%m/%Y}</td><td>Doanh nghiệp</td>'
        "<td>2</td><td>3.000.000 ₫</td></tr>"
    )
    assert expected in html


def test_personal_page_of_an_attendee_shows_their_pass_but_not_the_buyers_order(
    client, event, business_type, organizer
):
    order = place_order(event, business_type)
    mark_transfer_received(order=order, by=organizer)
    attendee = order.positions.get().participant
    session = client.session
    remember_participant(type("R", (), {"session": session})(), attendee)
    session.save()
    client.cookies["sessionid"] = session.session_key
    html = client.get(reverse("events:personal_page", args=[event.slug])).content.decode()
    assert "Thẻ của bạn: Thẻ doanh nghiệp" in html
    assert order.token not in html
