"""Reads shared by pages, the admin and the API."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate

from events.enums import Category

from .enums import HOLDING_SEATS, OrderStatus
from .models import Order, OrderPosition, Quota, TicketType


def ticket_types_with_availability(event):
    """Active ticket types of an event, each with `.available`: the fewest seats left in any of its quotas."""
    ticket_types = list(TicketType.objects.filter(event=event, active=True).prefetch_related("quotas"))
    event_wide = list(Quota.objects.filter(event=event, whole_event=True))
    for ticket_type in ticket_types:
        limits = [quota.available for quota in [*ticket_type.quotas.all(), *event_wide]]
        ticket_type.available = min(limits) if limits else None
    return ticket_types


def order_by_token(token):
    return (
        Order.objects.select_related("event", "voucher")
        .prefetch_related("positions__ticket_type", "payments")
        .filter(token=token)
        .first()
    )


def orders_of(participant):
    """Orders this participant bought (linked or by the same e-mail) in their event, newest first."""
    return (
        Order.objects.filter(event_id=participant.event_id)
        .filter(Q(buyer=participant) | Q(buyer_email=participant.email))
        .prefetch_related("positions__ticket_type")
        .order_by("-created_at")
    )


def passes_of(participant):
    """The valid passes this participant holds (issued on approval or from a paid order)."""
    return OrderPosition.objects.filter(participant=participant, order__status=OrderStatus.PAID).select_related(
        "ticket_type", "order"
    )


def sales_by_category_and_day(event):
    """Valid (paid) passes and revenue per day of payment and holder category, for the organizers' report."""
    rows = (
        Order.objects.filter(event=event, status=OrderStatus.PAID)
        .annotate(day=TruncDate("paid_at"))
        .values("day", "positions__participant__category")
        .annotate(passes=Count("positions"), revenue=Sum("positions__price"))
        .order_by("day", "positions__participant__category")
    )
    return [
        {
            "day": row["day"],
            "category": _category_label(row["positions__participant__category"]),
            "passes": row["passes"],
            "revenue": row["revenue"] or 0,
        }
        for row in rows
    ]


def sales_by_category(event):
    """Valid (paid) passes and revenue per holder category."""
    totals = defaultdict(lambda: {"passes": 0, "revenue": 0})
    for row in sales_by_category_and_day(event):
        totals[row["category"]]["passes"] += row["passes"]
        totals[row["category"]]["revenue"] += row["revenue"]
    return dict(totals)


def _category_label(value):
    return str(Category(value).label) if value in Category.values else "—"


def holding_counts(event):
    return Order.objects.filter(event=event, status__in=HOLDING_SEATS).aggregate(
        pending=Count("pk", filter=Q(status=OrderStatus.PENDING)), paid=Count("pk", filter=Q(status=OrderStatus.PAID))
    )


def bank_account():
    """The organizers' account for VietQR transfers (settings.VIETQR_BANK), or None when not configured."""
    bank = getattr(settings, "VIETQR_BANK", None) or {}
    return bank if bank.get("bin") and bank.get("account") else None
