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

from ..errors import Busy, SoldOut
from ..models import Quota


def seats_needed(ticket_types):
    """How many seats each quota must give for these passes (one ticket type per pass)."""
    needed = Counter()
    event_wide = {}
    for ticket_type in ticket_types:
        if ticket_type.event_id not in event_wide:
            event_wide[ticket_type.event_id] = list(
                Quota.objects.filter(event_id=ticket_type.event_id, whole_event=True).values_list("pk", flat=True)
            )
        quota_ids = {quota.pk for quota in ticket_type.quotas.all()} | set(event_wide[ticket_type.event_id])
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


def is_contention(error: OperationalError):
    """A lock we could not get in time (SQLite busy, PostgreSQL deadlock/lock timeout): answer 'busy'."""
    text = str(error).lower()
    return "locked" in text or "deadlock" in text or "lock timeout" in text or "could not serialize" in text


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
