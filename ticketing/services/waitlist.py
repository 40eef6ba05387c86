"""The waiting list for sold-out passes: joining, the line, offers of freed seats, lapsed offers.

Seats. An offer HOLDS one pass's seats: they stay counted in the quotas'
`taken`, so no other buyer can take them (take_seats' conditional UPDATE
answers sold out), and buying from the offer (orders.buy_offered_pass) gives
the hold back and takes the same seats again in one transaction. Seats freed by
an expired, cancelled or refunded order go to the first person in line whose
pass needs only those quotas, in the same transaction as the release
(offer_freed_seats), so the public never sees them first. Anything else (a
quota made larger, a pass drawing on other quotas too) is offered by the
minute's sweep (advance_waiting_lists).

Lock order (with quotas.py): order row, voucher, quotas, then entries. The
release path keeps it; an offer's lapse or withdrawal locks its own entry
first (nobody else locks an offered entry), then the quotas, then the next
entries. PostgreSQL deadlocks, if any, answer Busy like every contention.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import privacy
from events.common.jobs import enqueue
from events.enums import Category
from events.errors import Conflict, DomainError
from events.models import Participant, normalize_text

from ..enums import HOLDING_SEATS, IN_LINE, WaitingStatus
from ..errors import SoldOut
from ..models import OrderPosition, Quota, TicketType, WaitingListEntry
from . import quotas


def offer_window():
    """How long an offer holds its seat for the person it was made to."""
    return timedelta(minutes=getattr(settings, "TICKETING_WAITLIST_OFFER_MINUTES", 24 * 60))


def confirmation_window():
    """How long the e-mailed link confirming a place in line works."""
    return timedelta(minutes=getattr(settings, "TICKETING_CONFIRMATION_MINUTES", 24 * 60))


@dataclass
class Joiner:
    """Who joins the line: a name, an address, the company, the language of their e-mails."""

    name: str
    email: str
    organization: str = ""
    language: str = "vi"


def join_waiting_list(*, ticket_type, joiner, participant=None, now=None):
    """Put someone in line for a sold-out ticket type.

    Refused unless the type is a paid business pass on sale and sold out right
    now, and the person neither holds a pass of the event nor is in line for it
    already (also a partial unique constraint). With `participant` (signed in
    through their personal link: the address is proven and theirs) the place
    counts at once; otherwise the entry waits for its e-mailed confirmation link
    (send_waitlist_confirmation, after the commit). Returns the entry, or None (below).

    No enumeration: to someone who has not proved the address, an address that
    holds a pass or is in line already answers exactly as a new one would (None
    is returned, nothing is stored or sent), so a stranger cannot learn who
    holds a pass or waits for one. The refusals are said only to the proven owner.
    """
    now = now or timezone.now()
    email = (participant.email if participant else joiner.email).strip().lower()
    proven = participant is not None
    _check_on_sale_and_sold_out(ticket_type, now)
    try:
        _check_person(ticket_type, email)
    except Conflict:
        if proven:
            raise
        return None
    try:
        with transaction.atomic():
            entry = WaitingListEntry.objects.create(
                event_id=ticket_type.event_id,
                ticket_type=ticket_type,
                participant=participant,
                name=normalize_text(joiner.name),
                email=email,
                organization=normalize_text(joiner.organization),
                language=joiner.language or "vi",
                status=WaitingStatus.WAITING if proven else WaitingStatus.UNCONFIRMED,
                created_at=now,
                confirmed_at=now if proven else None,
            )
            if not proven:
                enqueue("ticketing.tasks.send_waitlist_confirmation", entry.pk)
    except IntegrityError:  # a join of the same address at the same moment
        if proven:
            raise _already_in_line()
        return None
    return entry


def _already_in_line():
    return Conflict("already_in_line", _("This e-mail address is already on the waiting list for this pass."))


def _check_on_sale_and_sold_out(ticket_type, now):
    event = ticket_type.event
    if not event.accepts_registrations:
        raise DomainError("sales_closed", _("Ticket sales for this event are closed."))
    if ticket_type.is_free or Category.BUSINESS not in ticket_type.categories or not ticket_type.on_sale(now):
        raise DomainError("unknown_ticket_type", _("This ticket type cannot be bought."), field="ticket_type")
    if available_seats(ticket_type) > 0:
        raise Conflict("not_sold_out", _("Passes of this type are still on sale: buy one instead."))


def _check_person(ticket_type, email):
    holding = OrderPosition.objects.filter(
        order__event_id=ticket_type.event_id, order__status__in=HOLDING_SEATS, attendee_email=email
    )
    if holding.exists():
        raise Conflict("attendee_has_pass", _("This address already holds a pass for the event."))
    if WaitingListEntry.objects.filter(ticket_type=ticket_type, email=email, status__in=IN_LINE).exists():
        raise _already_in_line()


def available_seats(ticket_type):
    """Seats a new order of this type could take now: the fewest left in any of its quotas."""
    ticket_type = TicketType.objects.prefetch_related("quotas").get(pk=ticket_type.pk)
    needed = quotas.seats_needed([ticket_type])
    if not needed:
        return 1
    return min(quota.available for quota in Quota.objects.filter(pk__in=needed))


def confirm_place(*, entry, now=None):
    """The person opened the e-mailed link: their place in line counts from now.

    A conditional UPDATE (two clicks confirm once). Raises DomainError when the
    link's window has passed. Seats free at this moment are offered by the next sweep.
    """
    now = now or timezone.now()
    entry = WaitingListEntry.objects.get(pk=entry.pk)
    if entry.status != WaitingStatus.UNCONFIRMED:
        return entry
    if entry.created_at + confirmation_window() < now:
        raise DomainError("confirmation_expired", _("This link was not opened in time. Please join again."))
    # The address is proven now: a participant of the event with it is this person (their data export
    # and erasure find the entry through this link).
    participant = Participant.objects.filter(event_id=entry.event_id, email=entry.email).first()
    WaitingListEntry.objects.filter(pk=entry.pk, status=WaitingStatus.UNCONFIRMED).update(
        status=WaitingStatus.WAITING, confirmed_at=now, participant=entry.participant or participant
    )
    entry.refresh_from_db()
    return entry


@quotas.busy_on_contention
def leave_waiting_list(*, entry, now=None):
    """Take someone off the list at their request: their name and address are blanked (consent withdrawn).

    In one transaction; an offer they held passes its seats to the next in line
    (or back on sale). Leaving twice is a no-op. Returns the entry.
    """
    now = now or timezone.now()
    with transaction.atomic():
        entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status not in IN_LINE:
            return entry
        was_offered = entry.status == WaitingStatus.OFFERED
        WaitingListEntry.objects.filter(pk=entry.pk).update(
            status=WaitingStatus.LEFT, ended_at=now, name="—", email="", organization="", participant=None
        )
        if was_offered:
            _pass_on(entry, now)
    entry.refresh_from_db()
    return entry


def _hold_of(entry):
    """The seats per quota one pass of the entry's ticket type takes (what its offer holds)."""
    ticket_type = TicketType.objects.prefetch_related("quotas").get(pk=entry.ticket_type_id)
    return quotas.seats_needed([ticket_type])


def _pass_on(entry, now):
    """An offer ended without a purchase: its seats go back, then to the next in line (inside atomic())."""
    hold = _hold_of(entry)
    quotas.release_seats(hold)
    offer_freed_seats(hold, event_id=entry.event_id, now=now)


def offer_freed_seats(freed, *, event_id, now=None):
    """Offer seats just given back (an order expired, cancelled or refunded) to the people in line.

    Must run inside the transaction that gave them back, right after
    quotas.release_seats: for each confirmed entry of the event in line order
    whose pass needs only quotas among `freed`, one pass's seats are taken
    again (a savepoint; a full quota skips the entry) and held for it; the offer
    is e-mailed after the commit. Only quotas this transaction already locked
    are touched (see the module's lock order). Returns the entries offered.
    """
    now = now or timezone.now()
    left = dict(freed)
    offered = []
    for entry in _line(Q(event_id=event_id)):
        hold = quotas.seats_needed([entry.ticket_type])
        if not hold or any(left.get(quota_id, 0) < count for quota_id, count in hold.items()):
            continue
        if _make_offer(entry, hold, now):
            offered.append(entry)
            for quota_id, count in hold.items():
                left[quota_id] -= count
    return offered


def _line(condition):
    """Confirmed entries waiting for an offer, first in line first."""
    return (
        WaitingListEntry.objects.filter(condition, status=WaitingStatus.WAITING)
        .select_related("ticket_type")
        .prefetch_related("ticket_type__quotas")
        .order_by("confirmed_at", "pk")
    )


def _make_offer(entry, hold, now):
    """Take one pass's seats for this entry and mark it offered, or change nothing (savepoint).

    A pass no longer on sale is not offered; an offer never outlives the sale of its pass.
    """
    ticket_type = entry.ticket_type
    if not ticket_type.on_sale(now):
        return False
    deadline = now + offer_window()
    if ticket_type.sale_end is not None:
        deadline = min(deadline, ticket_type.sale_end)
    try:
        with transaction.atomic():
            quotas.take_seats(hold)
            changed = WaitingListEntry.objects.filter(pk=entry.pk, status=WaitingStatus.WAITING).update(
                status=WaitingStatus.OFFERED, offered_at=now, offer_expires_at=deadline
            )
            if not changed:  # they left or were offered by a twin meanwhile: give the seats back
                raise SoldOut()
            enqueue("ticketing.tasks.send_waitlist_offer", entry.pk)
    except SoldOut:
        return False
    return True


def claim_offer(*, entry, now=None):
    """The offered person buys: end the offer and give its seats back for their order to take.

    Must run inside the purchase's transaction (orders.buy_offered_pass), so the
    seats cannot go to anyone else between the two steps. A conditional UPDATE
    (offered and not past its deadline): a double click or the lapse sweep at
    the same moment either wins cleanly or gets Conflict `offer_lapsed`.
    """
    now = now or timezone.now()
    claimed = WaitingListEntry.objects.filter(
        pk=entry.pk, status=WaitingStatus.OFFERED, offer_expires_at__gt=now
    ).update(status=WaitingStatus.BOUGHT, ended_at=now)
    if not claimed:
        raise Conflict("offer_lapsed", _("This offer is no longer open: its pass was given to the next person."))
    quotas.release_seats(_hold_of(entry))


@quotas.busy_on_contention
def expire_offers(*, now=None):
    """Lapse offers past their deadline, passing each one's seats to the next in line; lapse stale confirmations.

    Each offer in its own transaction with a conditional status change, so a
    purchase at the same moment wins or loses cleanly. The person whose offer
    lapsed is told by e-mail. Returns how many offers lapsed.
    """
    now = now or timezone.now()
    lapsed = 0
    for entry in WaitingListEntry.objects.filter(status=WaitingStatus.OFFERED, offer_expires_at__lte=now):
        with transaction.atomic():
            changed = WaitingListEntry.objects.filter(
                pk=entry.pk, status=WaitingStatus.OFFERED, offer_expires_at__lte=now
            ).update(status=WaitingStatus.LAPSED, ended_at=now)
            if changed:
                _pass_on(entry, now)
                enqueue("ticketing.tasks.send_waitlist_lapsed", entry.pk)
                lapsed += 1
    stale = WaitingListEntry.objects.filter(
        status=WaitingStatus.UNCONFIRMED, created_at__lte=now - confirmation_window()
    )
    stale.update(status=WaitingStatus.LAPSED, ended_at=now)
    return lapsed


@quotas.busy_on_contention
def offer_available_seats(*, now=None):
    """Offer seats that are free while people wait (a quota made larger, a freed seat of another quota).

    Walks the line in order; each offer is its own transaction taking its seats
    by the conditional UPDATE, so a buyer at the same moment gets the seat or
    the offer does, never both. A ticket type found full is skipped for the
    rest of the walk. Returns the entries offered.
    """
    now = now or timezone.now()
    full = set()
    offered = []
    for entry in _line(Q(event__isnull=False)):
        if entry.ticket_type_id in full:
            continue
        hold = quotas.seats_needed([entry.ticket_type])
        if hold and _make_offer(entry, hold, now):
            offered.append(entry)
        else:
            full.add(entry.ticket_type_id)
    return offered


def advance_waiting_lists(*, now=None):
    """The minute's sweep: lapse offers past their deadline (passing their seats on), then offer free seats,
    then forget the names and addresses kept for events past their retention period."""
    now = now or timezone.now()
    lapsed = expire_offers(now=now)
    offered = offer_available_seats(now=now)
    forget_expired_lists(today=timezone.localdate(now))
    return lapsed, len(offered)


def forget_expired_lists(*, today=None):
    """Blank the waiting lists of events past their retention period (Law 91/2025: kept no longer than needed).

    The participants of those events are anonymized by events' own retention job; people who only
    waited are not participants, so their entries are blanked here. Returns how many were blanked.
    """
    expired = [event.pk for event in privacy.expired_events(today)]
    entries = WaitingListEntry.objects.filter(event_id__in=expired).exclude(email="")
    return entries.update(name="—", email="", organization="", participant=None)


def place_in_line(entry):
    """1 for the first confirmed person waiting for this ticket type, and so on; None when not waiting."""
    if entry.status != WaitingStatus.WAITING:
        return None
    ahead = WaitingListEntry.objects.filter(
        Q(confirmed_at__lt=entry.confirmed_at) | Q(confirmed_at=entry.confirmed_at, pk__lt=entry.pk),
        ticket_type_id=entry.ticket_type_id,
        status=WaitingStatus.WAITING,
    )
    return ahead.count() + 1
