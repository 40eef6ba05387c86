import subprocess
from datetime import timedelta

import pytest
from django.core import mail

from events.enums import Category, ParticipantStatus
from events.errors import DomainError
from events.models import AuditEntry, Participant
from tests.events.factories import make_participant
from ticketing.enums import OrderStatus, PaymentProvider, PaymentState
from ticketing.models import Payment, Quota, Refund
from ticketing.selectors import holds_valid_ticket
from ticketing.services.orders import expire_orders
from ticketing.services.payments import confirm_payment, mark_transfer_received, refund_order
from ticketing.services.transfers import import_bank_statement

from .factories import make_business_type, order_for, passes, place_order

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_text(data, tmp_path):
    path = tmp_path / "receipt.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_transfer_received_pays_the_order_and_makes_each_attendee_a_participant(event, business_type, organizer):
    order = place_order(event, business_type, 2)
    mail.outbox.clear()
    payment = mark_transfer_received(order=order, by=organizer, reference="FT27123456")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert (payment.provider, payment.amount, payment.state) == (
        PaymentProvider.BANK_TRANSFER,
        3_000_000,
        PaymentState.CONFIRMED,
    )
    attendees = Participant.objects.filter(event=event).order_by("full_name")
    assert [(p.full_name, p.category, p.status) for p in attendees] == [
        ("Nguyễn Thu Hà", Category.BUSINESS, ParticipantStatus.APPROVED),
        ("Trần Quang Long", Category.BUSINESS, ParticipantStatus.APPROVED),
    ]
    assert sorted(order.positions.values_list("participant__email", flat=True)) == [
        "ha.nguyen@saoviet.vn",
        "long.tran@saoviet.vn",
    ]
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"ha.nguyen@saoviet.vn", "long.tran@saoviet.vn", "tuan.pham@saoviet.vn"}
    assert f"/e/{event.slug}/me/login/" in by_recipient["ha.nguyen@saoviet.vn"].body
    receipt = by_recipient["tuan.pham@saoviet.vn"]
    assert receipt.attachments[0][0] == f"bien-nhan-{order.code}.pdf"
    assert receipt.attachments[0][2] == "application/pdf"


def test_receipt_pdf_is_in_vietnamese_with_the_total(event, business_type, organizer, tmp_path):
    from ticketing.pdf import render_receipt

    order = place_order(event, business_type, 2)
    mark_transfer_received(order=order, by=organizer)
    order.refresh_from_db()
    text = pdf_text(render_receipt(order), tmp_path)
    assert "BIÊN NHẬN" in text
    assert order.code in text
    assert "Công ty Cổ phần Truyền thông Số Sao Việt" in text
    assert "Nguyễn Thu Hà" in text
    assert "3.000.000 ₫" in text


def test_same_transfer_twice_is_recorded_once(event, business_type, organizer):
    order = place_order(event, business_type)
    first = mark_transfer_received(order=order, by=organizer, reference="FT1")
    second = mark_transfer_received(order=order, by=organizer, reference="FT1")
    assert first.pk == second.pk
    assert Payment.objects.count() == 1
    assert Participant.objects.count() == 1


def test_second_payment_for_a_paid_order_is_flagged_for_refund(event, business_type, organizer):
    order = place_order(event, business_type)
    mark_transfer_received(order=order, by=organizer, reference="FT1")
    second = mark_transfer_received(order=order, by=organizer, reference="FT2")
    assert second.state == PaymentState.NEEDS_REFUND
    assert Participant.objects.count() == 1


def test_short_payment_does_not_pay_the_order(event, business_type):
    order = place_order(event, business_type)
    payment = confirm_payment(order=order, provider=PaymentProvider.BANK_TRANSFER, amount=1_000_000, external_id="x")
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert payment.state == PaymentState.NEEDS_REFUND


def test_payment_after_expiry_takes_the_seats_back_if_still_free(event, organizer):
    ticket_type = make_business_type(event, seats=1)
    order = place_order(event, ticket_type)
    expire_orders(now=order.expires_at)
    assert Quota.objects.get().taken == 0
    payment = mark_transfer_received(order=order, by=organizer)
    order.refresh_from_db()
    assert (order.status, payment.state) == (OrderStatus.PAID, PaymentState.CONFIRMED)
    assert Quota.objects.get().taken == 1


def test_payment_after_expiry_with_seats_gone_is_flagged_for_refund(event, organizer):
    ticket_type = make_business_type(event, seats=1)
    late = place_order(event, ticket_type)
    expire_orders(now=late.expires_at)

    from .factories import BUYER

    order_for(event, dict(BUYER), passes(ticket_type, 1, offset=1))
    payment = mark_transfer_received(order=late, by=organizer)
    late.refresh_from_db()
    assert late.status == OrderStatus.EXPIRED
    assert payment.state == PaymentState.NEEDS_REFUND
    assert Quota.objects.get().taken == 1
    assert Participant.objects.count() == 0


def test_refund_of_a_transfer_order_returns_its_seats(event, business_type, organizer):
    order = place_order(event, business_type, 2)
    mark_transfer_received(order=order, by=organizer)
    refund_order(order=order, by=organizer)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert Quota.objects.get().taken == 0
    assert Refund.objects.get().amount == 3_000_000
    with pytest.raises(DomainError) as error:
        refund_order(order=order, by=organizer)
    assert error.value.code == "not_paid"


STATEMENT = """Ngày giao dịch,Mã giao dịch,Số tiền ghi có,Nội dung
27/11/2027,FT001,"3.000.000",{code} thanh toan the hoi nghi
27/11/2027,FT002,1500000,chuyen tien khong ro
27/11/2027,FT003,"1,000,000",{other} sai so tien
"""


def test_bank_statement_marks_matching_orders_paid_and_reports_the_rest(event, business_type, organizer):
    paid = place_order(event, business_type, 2)

    from .factories import BUYER

    short = order_for(event, dict(BUYER), passes(business_type, 1, offset=2))
    data = STATEMENT.format(code=paid.code, other=short.code).encode()
    results = import_bank_statement(event=event, data=data, by=organizer)
    assert results == [
        (2, paid.code, "Đã thanh toán."),
        (3, "", "Không tìm thấy mã đơn hàng."),
        (4, short.code, "Cần hoàn tiền."),  # money that arrived is kept for a refund, the order stays unpaid
    ]
    paid.refresh_from_db()
    short.refresh_from_db()
    assert (paid.status, short.status) == (OrderStatus.PAID, OrderStatus.PENDING)
    # The same statement again changes nothing.
    import_bank_statement(event=event, data=data, by=organizer)
    assert sorted(Payment.objects.values_list("order__code", "state")) == sorted(
        [(paid.code, PaymentState.CONFIRMED), (short.code, PaymentState.NEEDS_REFUND)]
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xff\xfe\x00binary", "statement_not_csv"),
        ("Ngày,Ghi chú\n1/1,abc\n".encode(), "statement_columns"),
        (b"a" * (2 * 1024 * 1024 + 1), "statement_too_large"),
    ],
)
def test_bank_statement_that_is_not_a_usable_csv_is_refused(event, organizer, data, code):
    with pytest.raises(DomainError) as error:
        import_bank_statement(event=event, data=data, by=organizer)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("category", "status"),
    [
        (Category.KOL, ParticipantStatus.REJECTED),
        (Category.KOL, ParticipantStatus.WAITLISTED),
        (Category.KOL, ParticipantStatus.PENDING),
        (Category.BUSINESS, ParticipantStatus.PENDING),
    ],
)
def test_a_paid_pass_never_changes_an_applicants_category_or_decision(
    event, business_type, organizer, category, status
):
    applicant = make_participant(event, category=category, status=status, email="ha.nguyen@saoviet.vn")
    order = place_order(event, business_type)
    mark_transfer_received(order=order, by=organizer)
    applicant.refresh_from_db()
    assert (applicant.category, applicant.status, applicant.decided_by) == (category, status, None)
    assert order.positions.get().participant_id == applicant.pk
    assert not holds_valid_ticket(applicant)
    entry = AuditEntry.objects.get(action="events.application.pass_paid_while_undecided")
    assert (entry.object_id, entry.details) == (str(applicant.pk), {"order": order.code, "status": status})


def test_a_paid_pass_for_a_new_address_is_an_audited_approval(event, business_type, organizer):
    order = place_order(event, business_type)
    mark_transfer_received(order=order, by=organizer)
    holder = Participant.objects.get(email="ha.nguyen@saoviet.vn")
    entry = AuditEntry.objects.get(action="events.application.approved_by_payment")
    assert (holder.category, holder.status) == (Category.BUSINESS, ParticipantStatus.APPROVED)
    assert (entry.object_id, entry.actor, entry.details) == (str(holder.pk), None, {"order": order.code})


def test_an_approved_kol_named_on_a_business_pass_stays_a_kol(event, business_type, organizer):
    kol = make_participant(
        event, category=Category.KOL, status=ParticipantStatus.APPROVED, email="ha.nguyen@saoviet.vn"
    )
    order = place_order(event, business_type)
    mark_transfer_received(order=order, by=organizer)
    kol.refresh_from_db()
    assert (kol.category, kol.status) == (Category.KOL, ParticipantStatus.APPROVED)
    assert holds_valid_ticket(kol)


def test_expire_orders_does_not_touch_paid_orders(event, business_type, organizer):
    order = place_order(event, business_type)
    mark_transfer_received(order=order, by=organizer)
    assert expire_orders(now=order.expires_at + timedelta(days=1)) == 0
