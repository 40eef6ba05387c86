"""Demo tickets for `manage.py seed_demo` (registered in apps.py through events.extensions.demo_seeder).

For each demo event, in order: quotas, passes and a voucher; the free pass of every
approved guest; scanner devices for two gates. An event whose doors are open now (the
door rehearsal, held today) also gets what a door needs: a pass paid by bank transfer
for every approved business representative, a badge for everyone holding a valid pass
(each e-mailed, as in real life), and one badge as a PDF in DEMO_BADGE_DIR (README
"Door rehearsal"), to scan. The conference months ahead keeps its approved businesses
on their next step, ordering a pass, and sends no mail while seeding.
"""

import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.enums import Category, ParticipantStatus
from events.models import Participant
from events.permissions import ORGANIZER

from .enums import DiscountKind, PaymentProvider
from .models import Badge, Quota, TicketType, Voucher
from .services import badges, checkin, devices, issuing, orders, payments

GATES = ["Cổng A", "Cổng B"]


def seed_tickets(event):
    """The demo's ticket types, passes, badges and door devices for one event (see the module docstring)."""
    paid = _ticket_types(event)
    approved = Participant.objects.filter(event=event, status=ParticipantStatus.APPROVED).order_by("pk")
    for participant in approved.exclude(category=Category.BUSINESS):
        issuing.issue_free_pass(participant)
    organizer = get_user_model().objects.filter(groups__name=ORGANIZER, is_active=True).order_by("pk").first()
    if organizer is not None:
        for gate in GATES:
            devices.create_scanner_device(event=event, name=f"Máy quét {gate} (demo)", gate=gate, by=organizer)
    opens, closes = checkin.window(event)
    if opens <= timezone.now() < closes:
        for participant in approved.filter(category=Category.BUSINESS):
            _paid_pass(participant, paid)
        badges.issue_badges(approved)
        _demo_badge_file(event)


def _ticket_types(event):
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
    return paid


def _paid_pass(participant, ticket_type):
    """The representative ordered their own pass and the transfer arrived (the business path, issue #15)."""
    if issuing.holds_pass(participant):
        return
    buyer = {
        "name": participant.full_name,
        "email": participant.email,
        "organization": participant.organization,
        "tax_code": "",
        "language": participant.language,
    }
    wanted = orders.PassRequest(
        ticket_type_id=ticket_type.pk, attendee_name=participant.full_name, attendee_email=participant.email
    )
    order = orders.create_order(event=participant.event, buyer=buyer, passes=[wanted], buyer_participant=participant)
    payments.confirm_payment(
        order=order,
        provider=PaymentProvider.BANK_TRANSFER,
        amount=order.total,
        external_id=f"demo:{order.code}",
        note="Demo",
    )


def demo_badge_path(event):
    """Where seed_demo leaves one badge of `event` as a PDF to scan (run.sh prints the rehearsal's)."""
    return Path(settings.DEMO_BADGE_DIR) / f"the-{event.slug}.pdf"


def _demo_badge_file(event):
    badge = (
        Badge.objects.filter(participant__event=event, participant__category=Category.KOL)
        .select_related("participant__event")
        .order_by("participant_id")
        .first()
    )
    if badge is None:
        return
    target = demo_badge_path(event)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(badges.badge_pdf_path(badge), target)
