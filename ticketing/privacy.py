"""What ticketing holds about a participant, for access and erasure (events.extensions hooks)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.extensions import erasure_blocker, personal_data_eraser, personal_data_section

from .enums import OrderStatus, PaymentProvider
from .models import Badge, CheckIn, Order, OrderPosition, Payment, WaitingListEntry
from .services import badges, waitlist


def _when(value):
    return timezone.localtime(value).isoformat() if value else None


def _orders(participant):
    return Order.objects.filter(Q(buyer=participant) | Q(positions__participant=participant)).distinct()


@personal_data_section(order=20)
def orders_section(participant):
    """Orders they placed in full; for a pass someone else bought, only that pass (issue #16: the
    buyer's name, address and tax code, and the other attendees, are not the attendee's data)."""
    rows = []
    for order in _orders(participant).prefetch_related("positions__ticket_type"):
        row = {
            "reference": order.code,
            "status": order.get_status_display(),
            "created_at": _when(order.created_at),
            "paid_at": _when(order.paid_at),
            "cancelled_at": _when(order.cancelled_at),
        }
        if order.buyer_id == participant.pk:
            row |= {
                "buyer_name": order.buyer_name,
                "buyer_email": order.buyer_email,
                "buyer_organization": order.buyer_organization,
                "buyer_tax_code": order.buyer_tax_code,
                "total_vnd": order.total,
                "passes": [f"{p.ticket_type} · {p.attendee_name}" for p in order.positions.all()],
            }
        else:
            row["passes"] = [str(p.ticket_type) for p in order.positions.all() if p.participant_id == participant.pk]
        rows.append(row)
    return ("orders", _("Orders"), rows)


@personal_data_section(order=21)
def payments_section(participant):
    """Payments of the orders they placed (a pass bought for them by a company is the company's payment)."""
    payments = Payment.objects.filter(order__buyer=participant).select_related("order")
    rows = [
        {
            "order": p.order.code,
            "method": p.get_provider_display(),
            "state": p.get_state_display(),
            "amount_vnd": p.amount,
            "received_at": _when(p.received_at),
        }
        for p in payments
    ]
    return ("payments", _("Payments"), rows)


@personal_data_section(order=22)
def badge_section(participant):
    badge = Badge.objects.filter(participant=participant).first()
    rows = []
    if badge is not None:
        rows.append(
            {
                "version": badge.version,
                "issued_at": _when(badge.issued_at),
                "reissued_at": _when(badge.reissued_at),
                "printed_at": _when(badge.printed_at),
            }
        )
    return ("badge", _("Badge"), rows)


@personal_data_section(order=23)
def checkins_section(participant):
    rows = [
        {
            "checked_in_at": _when(c.checked_in_at),
            "gate": c.gate,
            "agenda_session_id": c.session_id or None,
            "undone_at": _when(c.undone_at),
        }
        for c in CheckIn.objects.filter(participant=participant)
    ]
    return ("check_ins", _("Check-ins"), rows)


def _waiting_list_entries(participant):
    """Their places on the event's waiting list: joined signed in, or under the address they proved."""
    return WaitingListEntry.objects.filter(
        Q(participant=participant) | Q(email=participant.email), event_id=participant.event_id
    ).select_related("ticket_type")


@personal_data_section(order=24)
def waiting_list_section(participant):
    rows = [
        {
            "pass": str(entry.ticket_type),
            "name": entry.name,
            "email": entry.email,
            "organization": entry.organization,
            "status": entry.get_status_display(),
            "joined_at": _when(entry.created_at),
            "in_line_since": _when(entry.confirmed_at),
            "offer_valid_until": _when(entry.offer_expires_at),
        }
        for entry in _waiting_list_entries(participant)
    ]
    return ("waiting_list", _("Waiting list"), rows)


@erasure_blocker
def open_orders(participant):
    """Orders they placed with money involved keep invoice data under accounting law: an organizer decides.

    A free pass (issued on approval, or fully discounted) is no payment and holds nothing back.
    """
    placed = Order.objects.filter(buyer=participant)
    paid = Payment.objects.filter(order__in=placed, amount__gt=0).exclude(provider=PaymentProvider.FREE).exists()
    unpaid = placed.filter(status=OrderStatus.PENDING, total__gt=0).exists()
    if paid or unpaid:
        return [_("There are orders with payments; an organizer must check the accounting records first.")]
    return []


@personal_data_eraser
def erase(participant):
    """Void the badge (new version, no code or QR), delete the files printing it, blank the buyer's data
    on the orders they placed and their name on the passes they held (amounts stay), and take them off
    the waiting list."""
    badges.forget_badge_files(participant)
    for badge in Badge.objects.filter(participant=participant):
        badge.code = ""
        badge.qr_png = b""
        badge.version += 1
        badge.save(update_fields=["code", "qr_png", "version"])
    Order.objects.filter(buyer=participant).update(
        buyer_name="—", buyer_email=f"erased-{participant.pk}@invalid", buyer_organization="", buyer_tax_code=""
    )
    OrderPosition.objects.filter(participant=participant).update(
        attendee_name="—", attendee_email=f"erased-{participant.pk}@invalid", attendee_title=""
    )
    # By the link only: the address is already erased here. Entries are linked when the place is proven
    # (services.waitlist.confirm_place). Leaving blanks an entry and passes a held seat on to the next.
    for entry in WaitingListEntry.objects.filter(participant=participant):
        waitlist.leave_waiting_list(entry=entry)
    WaitingListEntry.objects.filter(participant=participant).update(
        name="—", email="", organization="", participant=None
    )
