"""Realistic test data for the ticketing app."""

from events.enums import Category
from ticketing.models import Quota, TicketType, Voucher
from ticketing.services.orders import PassRequest, confirm_order, create_order


def make_business_type(event, *, seats=10, price=1_500_000, **fields):
    quota = Quota.objects.create(event=event, name="Doanh nghiệp", size=seats)
    values = {"name_vi": "Thẻ doanh nghiệp", "name_en": "Business pass", "categories": [Category.BUSINESS]}
    ticket_type = TicketType.objects.create(event=event, price=price, **{**values, **fields})
    ticket_type.quotas.add(quota)
    return ticket_type


def make_free_type(event, category=Category.KOL, *, seats=10):
    quota = Quota.objects.create(event=event, name=f"Khách mời {category}", size=seats)
    ticket_type = TicketType.objects.create(
        event=event, name_vi=f"Thẻ {category}", name_en=f"{category} pass", categories=[category], price=0
    )
    ticket_type.quotas.add(quota)
    return ticket_type


def make_voucher(event, code="HIEPHOI20", *, kind="percent", value=20, max_usages=5, ticket_types=()):
    voucher = Voucher.objects.create(event=event, code=code, kind=kind, value=value, max_usages=max_usages)
    voucher.ticket_types.set(ticket_types)
    return voucher


BUYER = {
    "name": "Phạm Minh Tuấn",
    "email": "tuan.pham@saoviet.vn",
    "organization": "Công ty Cổ phần Truyền thông Số Sao Việt",
    "tax_code": "0101234567",
    "language": "vi",
}

ATTENDEES = [
    ("Nguyễn Thu Hà", "ha.nguyen@saoviet.vn"),
    ("Trần Quang Long", "long.tran@saoviet.vn"),
    ("Lê Ngọc Ánh", "anh.le@saoviet.vn"),
    ("Vũ Đức Thắng", "thang.vu@saoviet.vn"),
    ("Đỗ Khánh Linh", "linh.do@saoviet.vn"),
]


def passes(ticket_type, count=1, *, offset=0):
    return [
        PassRequest(ticket_type_id=ticket_type.pk, attendee_name=name, attendee_email=email)
        for name, email in ATTENDEES[offset : offset + count]
    ]


def order_for(event, buyer, passes, **kwargs):
    """An order as its buyer has it after opening the e-mailed link: placed, then confirmed (seats held)."""
    order = create_order(event=event, buyer=buyer, passes=passes, **kwargs)
    return confirm_order(order=order, now=kwargs.get("now"))


def place_order(event, ticket_type, count=1, **kwargs):
    """A confirmed order of `count` passes by the Sao Việt buyer, waiting for payment."""
    return order_for(event, dict(BUYER), passes(ticket_type, count), **kwargs)


def person_name(index, family="Khách"):
    """A name made of letters only (names may not hold digits): 0 → "Khách A", 27 → "Khách BB"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{family} {letters}"
