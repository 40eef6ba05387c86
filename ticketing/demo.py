"""Demo tickets for `manage.py seed_demo` (registered in apps.py through events.extensions.demo_seeder)."""

from datetime import timedelta

from django.utils import timezone

from events.enums import Category, ParticipantStatus
from events.models import Participant

from .enums import DiscountKind
from .models import Quota, TicketType, Voucher
from .services.issuing import issue_free_pass


def seed_tickets(event):
    # The hall caps every ticket type of the event (whole_event).
    Quota.objects.create(event=event, name="Hội trường chính", size=1200, whole_event=True)
    business = Quota.objects.create(event=event, name="Doanh nghiệp", size=300)
    guests = Quota.objects.create(event=event, name="Khách mời", size=600)
    free_types = [
        ("Thẻ KOL/KOC", "KOL/KOC pass", [Category.KOL]),
        ("Thẻ đại biểu cơ quan quản lý", "Regulator pass", [Category.REGULATOR]),
        ("Thẻ nền tảng số", "Platform pass", [Category.PLATFORM]),
    ]
    for name_vi, name_en, categories in free_types:
        ticket_type = TicketType.objects.create(
            event=event, name_vi=name_vi, name_en=name_en, categories=categories, price=0
        )
        ticket_type.quotas.add(guests)
    paid = TicketType.objects.create(
        event=event,
        name_vi="Thẻ doanh nghiệp",
        name_en="Business pass",
        categories=[Category.BUSINESS],
        price=1_500_000,
        sale_end=timezone.now() + timedelta(days=180),
    )
    paid.quotas.add(business)
    voucher = Voucher.objects.create(
        event=event, code="HIEPHOI2027", kind=DiscountKind.PERCENT, value=20, max_usages=50
    )
    voucher.ticket_types.add(paid)
    for participant in Participant.objects.filter(event=event, status=ParticipantStatus.APPROVED).exclude(
        category=Category.BUSINESS
    ):
        issue_free_pass(participant)
