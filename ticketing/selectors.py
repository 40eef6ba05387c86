"""Reads shared by pages, the admin, the API and jobs."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate, TruncMinute
from django.utils import timezone, translation

from events import collation, extensions
from events.enums import Category, ParticipantStatus
from events.models import Participant

from .enums import HOLDING_SEATS, OrderStatus, ScanResult
from .models import Badge, CheckIn, CheckInConflict, Order, OrderPosition, Quota, ScanLog, TicketType
from .models.checkin import WHOLE_EVENT


def holds_valid_ticket(participant):
    """Whether this participant may have a badge that verifies.

    The participant must be approved (vetted, or invited with a code). When
    their event sells or issues tickets (it has any ticket type), they must
    also hold a pass naming them in a paid order: a refunded or cancelled
    order takes the badge's validity with it. Events without ticket types
    admit every approved participant.
    """
    if participant.status != ParticipantStatus.APPROVED:
        return False
    if not TicketType.objects.filter(event_id=participant.event_id).exists():
        return True
    return OrderPosition.objects.filter(participant=participant, order__status=OrderStatus.PAID).exists()


def event_sells_tickets(event):
    """Whether the event issues or sells passes (any ticket type): then a badge needs one."""
    return TicketType.objects.filter(event_id=event.pk).exists()


def with_valid_ticket(participants):
    """The queryset twin of holds_valid_ticket: change the two together (one query, no N+1)."""
    return participants.filter(valid_ticket_condition())


def valid_ticket_condition():
    """The SQL condition behind with_valid_ticket, for filtering or annotating a Participant queryset."""
    event_sells_tickets = Exists(TicketType.objects.filter(event_id=OuterRef("event_id")))
    holds_paid_pass = Exists(
        OrderPosition.objects.filter(participant_id=OuterRef("pk"), order__status=OrderStatus.PAID)
    )
    return Q(status=ParticipantStatus.APPROVED) & (~event_sells_tickets | holds_paid_pass)


def _size(text, limits):
    """A font size class for a printed string, from its length: longer strings print smaller."""
    for size, limit in limits:
        if limit is None or len(text) <= limit:
            return size
    return limits[-1][0]


@dataclass(frozen=True)
class BadgePrint:
    """Everything printed on one badge, computed here so the template only places it."""

    full_name: str
    title: str
    organization: str
    category: str
    label_vi: str
    label_en: str
    event_name: str
    event_when: str
    code: str
    qr_png: bytes = b""  # derived from code; empty means "draw it now"

    @property
    def name_size(self):
        # Read across a queue: as large as the person box allows. DejaVu Sans Bold on an 80 mm line
        # fits about 12 letters at 28 pt, 14 at 24 pt, 17 at 19 pt, 22 at 15 pt; longer names wrap,
        # and three lines of any step still leave the title and organization above the QR code.
        return _size(self.full_name, [("xxl", 12), ("xl", 20), ("l", 30), ("m", 45), ("s", None)])

    @property
    def title_size(self):
        return _size(self.title, [("", 60), ("s", None)])

    @property
    def organization_size(self):
        return _size(self.organization, [("", 50), ("m", 100), ("s", None)])

    def fingerprint(self):
        """Changes whenever anything printed changes: the key of the cached PDF."""
        printed = "\x1f".join(
            [self.full_name, self.title, self.organization, self.category, self.event_name, self.event_when, self.code]
        )
        return hashlib.sha256(printed.encode()).hexdigest()[:16]


def _labels(category):
    with translation.override("vi"):
        label_vi = str(Category(category).label)
    with translation.override("en"):
        label_en = str(Category(category).label)
    # "KOL / KOC" is the same in both languages: print it once.
    return label_vi, "" if label_en.casefold() == label_vi.casefold() else label_en


def _event_when(event):
    start, end = event.start_date.strftime("%d/%m/%Y"), event.end_date.strftime("%d/%m/%Y")
    dates = start if start == end else f"{start} – {end}"
    return f"{dates} · {event.venue}" if event.venue else dates


def badge_print(badge):
    """What goes on this badge (its participant and event must be loaded or loadable)."""
    participant = badge.participant
    event = participant.event
    label_vi, label_en = _labels(participant.category)
    return BadgePrint(
        full_name=participant.full_name,
        title=participant.title,
        organization=participant.organization,
        category=participant.category,
        label_vi=label_vi,
        label_en=label_en,
        event_name=event.name_vi,
        event_when=_event_when(event),
        code=badge.code,
        qr_png=bytes(badge.qr_png or b""),
    )


def participants_to_print(*, event, category="", ticket_type=None, only_unprinted=True, registered_since=None):
    """Participants of a print filter who hold a valid ticket, in print order (category, name)."""
    queryset = with_valid_ticket(Participant.objects.filter(event=event))
    if category:
        queryset = queryset.filter(category=category)
    if ticket_type is not None:
        queryset = queryset.filter(
            Exists(
                OrderPosition.objects.filter(
                    participant_id=OuterRef("pk"), ticket_type=ticket_type, order__status=OrderStatus.PAID
                )
            )
        )
    if only_unprinted:
        queryset = queryset.exclude(badge__printed_at__isnull=False)
    if registered_since is not None:
        queryset = queryset.filter(created_at__gte=registered_since)
    return queryset.order_by("category", "full_name", "pk")


def badges_in_order(participant_ids):
    """The badges of these participants with what printing needs, in the given order."""
    badges = Badge.objects.filter(participant_id__in=participant_ids).select_related("participant__event")
    by_participant = {badge.participant_id: badge for badge in badges}
    return [by_participant[pk] for pk in participant_ids if pk in by_participant]


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
    """Orders this participant placed, newest first: tied to them, never found by e-mail alone.

    An order is theirs when they placed it signed in through their personal
    link, or when they hold one of its passes under the buyer's own address
    (services.issuing). Someone who merely registered with a buyer's e-mail
    sees nothing (issue #16).
    """
    return (
        Order.objects.filter(event_id=participant.event_id, buyer=participant)
        .prefetch_related("positions__ticket_type")
        .order_by("-created_at")
    )


def pass_ordered_for(participant):
    """Whether an order not yet paid names this participant's (proven) address on a pass.

    Only says that one exists: the order belongs to its buyer.
    """
    return OrderPosition.objects.filter(
        order__event_id=participant.event_id,
        order__status__in=(OrderStatus.UNCONFIRMED, OrderStatus.PENDING),
        attendee_email=participant.email,
    ).exists()


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


DOOR_SEARCH_LIMIT = 20


def door_search(event, query, *, limit=DOOR_SEARCH_LIMIT):
    """The event's participants whose name or organization matches `query`, accents and case ignored.

    For the door's name search (people without their badge). Two queries at any
    size: the names are folded in Python with events.collation (the database
    has no Vietnamese accent folding), then the matches are read with their
    ticket validity and active whole-event admission. Vietnamese name order.
    """

    rows = Participant.objects.filter(event=event).values_list("pk", "full_name", "organization")
    found = [row for row in rows if collation.matches(query, row[1], row[2])]
    found = collation.sort_people(found, name=lambda row: row[1])[:limit]
    active = CheckIn.objects.filter(participant_id=OuterRef("pk"), session_id=WHOLE_EVENT, undone_at__isnull=True)
    people = Participant.objects.filter(pk__in=[row[0] for row in found]).annotate(
        ticket_valid=ExpressionWrapper(valid_ticket_condition(), output_field=BooleanField()),
        admitted_at=Subquery(active.values("checked_in_at")[:1]),
        admitted_gate=Subquery(active.values("gate")[:1]),
    )
    return collation.sort_people(people, name=lambda person: person.full_name)


ARRIVAL_BUCKET_MINUTES = 5
RECENT_SCANS = 20


def arrivals(event):
    """Live arrivals for organizers: admitted counts, arrivals per 5 minutes and the last scans.

    A fixed number of queries whatever the crowd (each count is a GROUP BY in
    the database; the series is counted per minute there and folded into
    5-minute buckets here, which stays portable between SQLite and PostgreSQL).
    """
    inside = CheckIn.objects.filter(event=event, undone_at__isnull=True)
    main_door = inside.filter(session_id=WHOLE_EVENT)
    labels = dict(Category.choices)
    by_category = [
        {
            "category": row["participant__category"],
            "label": str(labels.get(row["participant__category"], "")),
            "count": row["n"],
        }
        for row in main_door.values("participant__category")
        .annotate(n=Count("id"))
        .order_by("-n", "participant__category")
    ]
    by_gate = [
        {"gate": row["gate"], "count": row["n"]}
        for row in main_door.values("gate").annotate(n=Count("id")).order_by("-n", "gate")
    ]
    by_session = [
        {"session": row["session_id"], "count": row["n"]}
        for row in inside.exclude(session_id=WHOLE_EVENT)
        .values("session_id")
        .annotate(n=Count("id"))
        .order_by("session_id")
    ]
    return {
        "admitted": sum(row["count"] for row in by_category),
        "by_category": by_category,
        "by_gate": by_gate,
        "by_session": by_session,
        "series": _arrival_series(main_door),
        "recent": _recent_scans(ScanLog.objects.filter(event_id_claimed=event.pk)),
        "conflicts": _conflicts(event),
    }


RECENT_CONFLICTS = 50


def _conflicts(event):
    """The latest badges admitted offline at two doors that no organizer has reviewed yet, newest first: one query."""
    rows = (
        CheckInConflict.objects.filter(event=event, reviewed_at__isnull=True)
        .select_related("participant")
        .order_by("-recorded_at", "-pk")[:RECENT_CONFLICTS]
    )
    return [
        {
            "participant": row.participant_id,
            "name": row.participant.full_name,
            "session": row.session_id,
            "first_gate": row.first_gate,
            "first_at": row.first_at,
            "second_gate": row.second_gate,
            "second_at": row.second_at,
            "second_device": row.second_device,
        }
        for row in rows
    ]


def _arrival_series(admissions):
    """[{"start": aware datetime, "count"}] per 5 minutes, in time order, from per-minute DB counts."""
    buckets = defaultdict(int)
    per_minute = admissions.annotate(minute=TruncMinute("checked_in_at")).values("minute").annotate(n=Count("id"))
    for row in per_minute.order_by():
        minute = timezone.localtime(row["minute"])
        start = minute.replace(minute=minute.minute - minute.minute % ARRIVAL_BUCKET_MINUTES)
        buckets[start] += row["n"]
    return [{"start": start, "count": buckets[start]} for start in sorted(buckets)]


def _recent_scans(scans):
    """The last scans with the holder's name: two queries."""
    rows = list(
        scans.order_by("-scanned_at", "-pk").values(
            "scanned_at", "gate", "result", "session_id", "participant_id_claimed"
        )[:RECENT_SCANS]
    )
    ids = {row["participant_id_claimed"] for row in rows if row["participant_id_claimed"]}
    names = dict(Participant.objects.filter(pk__in=ids).values_list("pk", "full_name")) if ids else {}
    results = dict(ScanResult.choices)
    return [
        {
            "at": row["scanned_at"],
            "name": names.get(row["participant_id_claimed"], ""),
            "gate": row["gate"],
            "session": row["session_id"],
            "result": row["result"],
            "result_label": str(results.get(row["result"], row["result"])),
        }
        for row in rows
    ]


def offline_holders(event):
    """[participant id, current badge version, ticket valid, name, category, organization] per badge holder.

    One query. Everyone with a badge, valid ticket or not, so a device offline
    can tell "no valid ticket" from "unknown badge" as a live scan does.
    """
    rows = (
        Participant.objects.filter(event=event, badge__isnull=False)
        .annotate(ticket_valid=ExpressionWrapper(valid_ticket_condition(), output_field=BooleanField()))
        .order_by("pk")
        .values_list("pk", "badge__version", "ticket_valid", "full_name", "category", "organization")
    )
    return [(pk, version, bool(valid), name, category, org) for pk, version, valid, name, category, org in rows]


def offline_admissions(event):
    """[participant id, session (0 = main door), gate, admitted at] per admission standing (not undone): one query."""
    return list(
        CheckIn.objects.filter(event=event, undone_at__isnull=True)
        .order_by("checked_in_at", "pk")
        .values_list("participant_id", "session_id", "gate", "checked_in_at")
    )


def session_seats_left(session_id):
    """Walk-in seats still free at a session's door (its room's seats less confirmed reservations, less the
    walk-ins inside), or None for a session without a limit or that does not exist. Two queries."""
    # The session's seats belong to the agenda app, asked through events.extensions.
    door = extensions.session_door(session_id, 0)
    if door is None or door.walk_in_seats is None:
        return None
    inside = CheckIn.objects.filter(session_id=session_id, undone_at__isnull=True, by_reservation=False).count()
    return max(door.walk_in_seats - inside, 0)


def scanner_doors(event):
    """The doors a scanner page offers: the sessions it can keep, with their walk-in seats left (plain rows for
    the page's script; two queries per session, as a session's door is chosen once per device)."""
    return [
        {
            "id": door.session_id,
            "title": door.title,
            "room": door.room,
            "starts_at": door.starts_at.isoformat(),
            "seats_left": session_seats_left(door.session_id),
        }
        for door in extensions.session_doors(event)
    ]
