"""Seats: taken and given back only through conditional UPDATEs, never read-modify-write.

Rule: every caller runs inside transaction.atomic(); quotas are updated in
ascending id order, after the order row and the voucher (the one lock order of
the app), so two transactions needing the same rows never deadlock on
PostgreSQL; a quota that lacks room raises SoldOut and the whole transaction
(voucher use, order, other quotas) rolls back.
"""

import functools
from collections import Counter

from django.db import OperationalError
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from events.contention import is_contention
from events.errors import Conflict

from ..errors import Busy, QuotaOfAnotherEvent, SoldOut
from ..models import Quota, Voucher


def seats_needed(ticket_types):
    """How many seats each quota must give for these passes (one ticket type per pass).

    Raises QuotaOfAnotherEvent for a ticket type attached to another event's quota: one order
    must never take a seat of an event it is not for (the admin refuses to save that, see
    TicketTypeAdminForm; this holds for rows saved before).
    """
    needed = Counter()
    event_wide = {}
    for ticket_type in ticket_types:
        if ticket_type.event_id not in event_wide:
            event_wide[ticket_type.event_id] = list(
                Quota.objects.filter(event_id=ticket_type.event_id, whole_event=True).values_list("pk", flat=True)
            )
        own = ticket_type.quotas.all()
        if any(quota.event_id != ticket_type.event_id for quota in own):
            raise QuotaOfAnotherEvent()
        quota_ids = {quota.pk for quota in own} | set(event_wide[ticket_type.event_id])
        for quota_id in quota_ids:
            needed[quota_id] += 1
    return needed


def take_seats(needed, *, sold_out_name=""):
    """Take seats from every quota or raise SoldOut; must run inside atomic()."""
    for quota_id in sorted(needed):
        count = needed[quota_id]
        # The WHERE makes the check and the increment one statement: two buyers
        # for the last seat cannot both pass (PostgreSQL re-checks the row after
        # the lock; SQLite runs one writer at a time).
        taken = Quota.objects.filter(pk=quota_id, taken__lte=F("size") - count).update(taken=F("taken") + count)
        if not taken:
            raise SoldOut(sold_out_name)


def release_seats(needed):
    """Give seats back (order expired, cancelled or refunded); must run inside atomic()."""
    for quota_id in sorted(needed):
        count = needed[quota_id]
        Quota.objects.filter(pk=quota_id, taken__gte=count).update(taken=F("taken") - count)


def order_seats(order):
    """The seats an order holds: its passes' ticket types counted per quota (see seats_needed)."""
    positions = order.positions.select_related("ticket_type").prefetch_related("ticket_type__quotas")
    return seats_needed([position.ticket_type for position in positions])


def release_order(order):
    """Give back what an order held, its voucher use then its seats, in the lock order; inside atomic().

    Returns the seats given back per quota (for the waiting list, services.waitlist.offer_freed_seats).
    """
    if order.voucher_id:
        Voucher.objects.filter(pk=order.voucher_id, times_used__gt=0).update(times_used=F("times_used") - 1)
    needed = order_seats(order)
    release_seats(needed)
    return needed


def retake_order(order):
    """Take an expired or cancelled order's voucher use and seats again (late payment); inside atomic().

    Raises Conflict when the voucher is used up and SoldOut when a quota is full.
    """
    if order.voucher_id:
        used = Voucher.objects.filter(pk=order.voucher_id, times_used__lt=F("max_usages")).update(
            times_used=F("times_used") + 1
        )
        if not used:
            raise Conflict("voucher_used_up", _("This voucher code has been used up."))
    take_seats(order_seats(order))


def busy_on_contention(func):
    """Turn lock contention into a 409 'busy, retry' instead of a 500."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except OperationalError as error:
            if is_contention(error):
                raise Busy()
            raise

    return wrapper
