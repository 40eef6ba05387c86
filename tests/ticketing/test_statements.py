"""Bank statements in the layouts Vietnamese banks export, read and applied (ticketing.statements, services.transfers).

The files in statements/ were written for these tests after each bank's export
layout: account lines above the table, debit and credit columns, headers with
and without diacritics or bilingual, "1.500.000" and "1500000", day-first dates.
Each holds a debit naming an order with its exact total: it must never pay.
"""

import io
from pathlib import Path

import pytest

from events.errors import DomainError
from ticketing.enums import OrderStatus, PaymentState, TransferOutcome
from ticketing.models import BankTransfer, Payment
from ticketing.services.transfers import import_bank_statement, preview_bank_statement
from ticketing.statements import read_statement

from .factories import BUYER, make_business_type, order_for, passes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def vietnamese():
    """Outcome texts are asserted in Vietnamese, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("vi"):
        yield


FILES = Path(__file__).parent / "statements"
PAID, DEBIT, NEEDS_REFUND, UNKNOWN = "Đã thanh toán.", None, "Cần hoàn tiền.", "Không tìm thấy mã đơn hàng."


@pytest.fixture
def orders(event, business_type, other_event):
    return {
        "paid": order_for(event, dict(BUYER), passes(business_type, 1, offset=0)),
        "debit": order_for(event, dict(BUYER), passes(business_type, 1, offset=1)),
        "short": order_for(event, dict(BUYER), passes(business_type, 1, offset=2)),
        "other_event": order_for(other_event, dict(BUYER), passes(make_business_type(other_event), 1)),
    }


def statement_bytes(name, orders):
    code = orders["paid"].code
    return (
        (FILES / name)
        .read_text(encoding="utf-8")
        .format(
            paid=code,
            paid_spaced=f"{code[:3]} {code[3:6]} {code[6:]}",
            paid_dashed=f"{code[:3]}-{code[3:]}",
            paid_lower=code.lower(),
            debit=orders["debit"].code,
            short=orders["short"].code,
            other_event=orders["other_event"].code,
        )
        .encode()
    )


def xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def techcombank(orders):
    """Techcombank's bilingual headers, "1,500,000", the table under the account's details."""
    return xlsx(
        [
            ["NGÂN HÀNG TMCP KỸ THƯƠNG VIỆT NAM (TECHCOMBANK)"],
            ["SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT"],
            ["Số tài khoản/Account number:", "19036512345018"],
            [],
            [
                "Ngày giao dịch/Transaction Date",
                "Đối tác/Remitter",
                "NH Đối tác/Remitter Bank",
                "Diễn giải/Details",
                "Số bút toán/Transaction No",
                "Nợ/Debit",
                "Có/Credit",
                "Số dư/Balance",
            ],
            [
                "26/11/2027",
                "CONG TY ANH DUONG",
                "VCB",
                f"{orders['paid'].code} thanh toan",
                "FT2733000001",
                "",
                "1,500,000",
                "21,500,000",
            ],
            [
                "26/11/2027",
                "NGUYEN VAN A",
                "ACB",
                f"{orders['debit'].code}",
                "FT2733000002",
                "1,500,000",
                "",
                "20,000,000",
            ],
        ]
    )


def vietinbank(orders):
    """VietinBank: short "Nợ" / "Có" headers, numbers as Excel numbers, dates as Excel dates."""
    from datetime import datetime

    return xlsx(
        [
            ["NGÂN HÀNG TMCP CÔNG THƯƠNG VIỆT NAM"],
            ["LỊCH SỬ GIAO DỊCH"],
            ["STT", "Ngày giao dịch", "Diễn giải", "Nợ", "Có", "Số dư", "Số giao dịch"],
            [
                1,
                datetime(2027, 11, 26, 9, 30),
                f"CT DEN:733012 {orders['paid'].code}",
                None,
                1500000,
                21500000,
                "733012",
            ],
            [2, datetime(2027, 11, 26, 10, 15), f"CT DI {orders['debit'].code}", 1500000, None, 20000000, "733013"],
        ]
    )


def test_vietcombank_statement_credit_pays_debit_never_does(orders, organizer, event):
    results = import_bank_statement(event=event, data=statement_bytes("vietcombank.csv", orders), by=organizer)
    assert results == [
        (8, orders["paid"].code, PAID),
        (10, orders["short"].code, NEEDS_REFUND),
        (11, "", UNKNOWN),
    ]
    assert [order.refresh_from_db() or order.status for order in orders.values()] == [
        OrderStatus.PAID,
        OrderStatus.PENDING,
        OrderStatus.PENDING,
        OrderStatus.PENDING,
    ]
    assert Payment.objects.get(order=orders["short"]).state == PaymentState.NEEDS_REFUND


def test_vietcombank_preview_shows_the_columns_it_chose_and_writes_nothing(orders, event):
    statement, lines = preview_bank_statement(
        event=event, data=statement_bytes("vietcombank.csv", orders), filename="vcb.csv"
    )
    assert statement.header_line == 7
    assert statement.mapping == {
        "date": "Ngày giao dịch",
        "reference": "Số tham chiếu",
        "debit": "Số tiền ghi nợ",
        "credit": "Số tiền ghi có",
        "description": "Mô tả",
    }
    assert lines == [
        (8, orders["paid"].code, "Thanh toán đơn hàng."),
        (9, "", "Không phải tiền vào: bỏ qua."),
        (10, orders["short"].code, "Số tiền không khớp với tổng đơn hàng."),
        (11, "", UNKNOWN),
        (13, "", "Không phải dòng giao dịch: bỏ qua."),
    ]
    assert (BankTransfer.objects.count(), Payment.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        ("bidv.csv", [(5, "paid", PAID), (7, "", UNKNOWN)]),  # another event's order is not this event's
        ("mb.csv", [(2, "paid", PAID), (4, "short", NEEDS_REFUND)]),  # over-payment: refund, not paid
        ("acb_signed.csv", [(2, "paid", PAID)]),
        (techcombank, [(6, "paid", PAID)]),
        (vietinbank, [(4, "paid", PAID)]),
    ],
    ids=["bidv", "mb", "acb-signed-amount", "techcombank-xlsx", "vietinbank-xlsx"],
)
def test_bank_layouts_pay_credits_only(orders, organizer, event, layout, expected):
    if callable(layout):
        data, filename = layout(orders), "sao-ke.xlsx"
    else:
        data, filename = statement_bytes(layout, orders), layout
    results = import_bank_statement(event=event, data=data, by=organizer, filename=filename)
    assert results == [(line, orders[key].code if key else "", text) for line, key, text in expected]
    orders["paid"].refresh_from_db()
    orders["debit"].refresh_from_db()
    assert (orders["paid"].status, orders["debit"].status) == (OrderStatus.PAID, OrderStatus.PENDING)
    # The same statement again changes nothing.
    import_bank_statement(event=event, data=data, by=organizer, filename=filename)
    assert BankTransfer.objects.filter(outcome=TransferOutcome.PAID).count() == 1
    assert Payment.objects.filter(state=PaymentState.CONFIRMED).count() == 1


def test_statement_line_without_reference_is_still_imported_once(orders, organizer, event):
    data = f"Ngày,Nội dung,Số tiền ghi có\n26/11/2027,{orders['paid'].code},1.500.000\n".encode()
    assert import_bank_statement(event=event, data=data, by=organizer) == [(2, orders["paid"].code, PAID)]
    assert import_bank_statement(event=event, data=data, by=organizer) == [(2, orders["paid"].code, PAID)]
    assert Payment.objects.count() == 1


def test_unreadable_amount_is_reported_in_the_preview_and_never_applied(orders, organizer, event):
    data = f"Ngày;Nội dung;Số tiền ghi có\n26/11/2027;{orders['paid'].code};một triệu rưỡi\n".encode()
    _, lines = preview_bank_statement(event=event, data=data, filename="x.csv")
    assert lines == [(2, "", "Không đọc được số tiền.")]
    assert import_bank_statement(event=event, data=data, by=organizer) == []


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"\xff\xfe\x00binary", "x.csv", "statement_not_csv"),
        ("Ngày,Ghi chú\n1/1,abc\n".encode(), "x.csv", "statement_columns"),
        ("Ngày,Nội dung,Số dư\n1/1/2027,KOL,100\n".encode(), "x.csv", "statement_columns"),
        (b"a" * (2 * 1024 * 1024 + 1), "x.csv", "statement_too_large"),
        (b"PK\x03\x04 not really a workbook", "x.xlsx", "statement_not_csv"),
    ],
    ids=["binary", "no-columns", "balance-is-not-an-amount", "too-large", "fake-xlsx"],
)
def test_unusable_statement_is_refused_with_a_reason(data, filename, code):
    with pytest.raises(DomainError) as error:
        read_statement(data, filename=filename)
    assert error.value.code == code
