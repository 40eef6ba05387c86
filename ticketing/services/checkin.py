"""Door check-in: verify a scanned badge code, admit its holder exactly once, log every scan.

Order of work in `scan`, cheapest first: the code's format and Ed25519 signature
are checked against the event's public key held in process memory (a forged or
unreadable code costs no lookup; only its log row is written), then ONE query
reads the holder, the badge version, the ticket's validity and any earlier
admission; then ONE conditional INSERT admits (guarded by the partial unique
constraint, so two gates racing get exactly one row); then the log row. A first
scan is three queries once the event's key is cached.

Which event a gate belongs to: the request may name it (`event`, the event's
slug); when it does, a valid badge of another event answers `wrong_event`.

The check-in window: from CHECKIN_OPENS_HOURS_BEFORE hours before the event's
first day (00:00 local time) to CHECKIN_CLOSES_HOURS_AFTER hours after its last
day ends (24:00 local time).
"""

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import audit, extensions, permissions
from events.enums import ParticipantStatus
from events.errors import Conflict, NotFound, PermissionDenied
from events.models import Event, Participant

from .. import codes
from ..enums import OrderStatus, ScanResult
from ..models import Badge, CheckIn, EventKey, Order, OrderPosition, ScanLog, TicketType
from ..models.checkin import WHOLE_EVENT

# event id -> (raw Ed25519 public key, when cached). An event's key never changes
# once created, but an event id can be reused after a deletion (SQLite), so an
# entry is dropped when an EventKey is saved or deleted in this process
# (ticketing.apps) and re-read after PUBLIC_KEY_TTL seconds in any case.
_PUBLIC_KEYS = {}
PUBLIC_KEY_TTL = 300

# First key of PostgreSQL's two-key advisory lock taken per session door (the second is the session id).
SESSION_DOOR_LOCK = 51001


def forget_public_keys(**kwargs):
    """Empty the key cache (connected to EventKey's post_save and post_delete)."""
    _PUBLIC_KEYS.clear()


def _messages():
    return {
        ScanResult.ADMITTED: _("Welcome! Admitted."),
        ScanResult.ALREADY_CHECKED_IN: _("Already checked in."),
        ScanResult.INVALID: _("Invalid badge: unreadable, forged or damaged."),
        ScanResult.REVOKED: _("This badge was replaced by a newer one."),
        ScanResult.WRONG_EVENT: _("This badge is for another event."),
        ScanResult.NOT_ALLOWED: _("No valid ticket: send the holder to the help desk."),
        ScanResult.NOT_OPEN: _("Check-in is not open now."),
        ScanResult.NO_SEAT: _("No seat: this session is full and the holder has no reservation."),
        ScanResult.UNDONE: _("Admission undone."),
    }


@dataclass
class ScanOutcome:
    """The answer to one scan; `participant` and the first admission are set when the badge was found."""

    result: str
    participant: Participant | None = None
    checked_in_at: datetime.datetime | None = None
    gate: str | None = None
    check_in_id: int | None = None

    @property
    def message(self):
        return str(_messages()[self.result])


def public_key(event_id):
    """The event's public key (bytes) from the in-process cache, or None for an event without a key."""
    cached = _PUBLIC_KEYS.get(event_id)
    if cached is not None and time.monotonic() - cached[1] < PUBLIC_KEY_TTL:
        return cached[0]
    stored = EventKey.objects.filter(event_id=event_id).values_list("public_key", flat=True).first()
    if stored is None:
        return None
    _PUBLIC_KEYS[event_id] = (bytes(stored), time.monotonic())
    return bytes(stored)


def verified_claim(code):
    """The claim of a genuinely signed code, or None. No query once the event's key is cached."""
    try:
        claim = codes.read_claim(code)
    except codes.CodeError:
        return None
    key = public_key(claim.event_id)
    if key is None:
        return None
    try:
        return codes.verify_code(key, code)
    except codes.CodeError:
        return None


def window(event):
    """(opens, closes): the aware datetimes between which the event's doors admit."""
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(event.start_date, datetime.time.min, tzinfo=tz)
    after_last = datetime.datetime.combine(event.end_date + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return (
        first - datetime.timedelta(hours=settings.CHECKIN_OPENS_HOURS_BEFORE),
        after_last + datetime.timedelta(hours=settings.CHECKIN_CLOSES_HOURS_AFTER),
    )


def _holder_sql():
    """The holder query, written out once per process from the models' table names.

    Hand-written because building and compiling the equivalent ORM queryset
    (select_related, two subqueries, the ticket-validity Exists) cost about
    2 ms per scan, two thirds of a first scan's time, while the database
    answers it in 0.06 ms. The ticket-validity expression is
    ticketing.selectors.valid_ticket_condition spelled in SQL;
    tests/ticketing/test_checkin.py::test_holder_query_agrees_with_valid_ticket_condition
    keeps the two in step.
    """
    participant, event = Participant._meta.db_table, Event._meta.db_table
    badge, check_in = Badge._meta.db_table, CheckIn._meta.db_table
    ticket_type, position, order = TicketType._meta.db_table, OrderPosition._meta.db_table, Order._meta.db_table
    return (
        "SELECT p.id, p.event_id, p.full_name, p.category, p.organization, p.title, p.status,"
        " e.slug, e.start_date, e.end_date, b.version,"
        f" CASE WHEN p.status = %s AND (NOT EXISTS (SELECT 1 FROM {ticket_type} t WHERE t.event_id = p.event_id)"
        f" OR EXISTS (SELECT 1 FROM {position} op INNER JOIN {order} o ON o.id = op.order_id"
        "  WHERE op.participant_id = p.id AND o.status = %s)) THEN 1 ELSE 0 END,"
        " c.checked_in_at, c.gate"
        f" FROM {participant} p INNER JOIN {event} e ON e.id = p.event_id"
        f" LEFT JOIN {badge} b ON b.participant_id = p.id"
        # The partial unique constraint leaves at most one active admission per door.
        f" LEFT JOIN {check_in} c ON c.participant_id = p.id AND c.session_id = %s AND c.undone_at IS NULL"
        " WHERE p.id = %s AND p.event_id = %s"
    )


_HOLDER_SQL = None


def _from_db(field, value):
    """A column value as the ORM would give it (SQLite hands back dates and times as text)."""
    if value is None:
        return None
    for converter in connection.ops.get_db_converters(field.get_col(field.model._meta.db_table)):
        value = converter(value, field, connection)
    return value


def _holder(claim, session_id):
    """The claimed participant with event, badge version, ticket validity and active admission: one query.

    Returns a Participant (not saved back; only the fields a scan shows are
    loaded) with `event`, `badge_version` (None without a badge),
    `ticket_valid`, `admitted_at` and `admitted_gate`; or None.
    """
    global _HOLDER_SQL
    if _HOLDER_SQL is None:
        _HOLDER_SQL = _holder_sql()
    params = [ParticipantStatus.APPROVED, OrderStatus.PAID, session_id, claim.participant_id, claim.event_id]
    with connection.cursor() as cursor:
        cursor.execute(_HOLDER_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    pk, event_id, full_name, category, organization, title, status, slug, start, end, version, valid, at, gate = row
    event = Event(
        pk=event_id,
        slug=slug,
        start_date=_from_db(Event._meta.get_field("start_date"), start),
        end_date=_from_db(Event._meta.get_field("end_date"), end),
    )
    participant = Participant(
        pk=pk,
        event=event,
        full_name=full_name,
        category=category,
        organization=organization,
        title=title,
        status=status,
    )
    participant.badge_version = version
    participant.ticket_valid = bool(valid)
    participant.admitted_at = _from_db(CheckIn._meta.get_field("checked_in_at"), at)
    participant.admitted_gate = gate
    return participant


def _admit(participant, *, session_id, gate, by, now, guarded=True, by_reservation=False):
    """INSERT the admission unless an active one exists; the new row's id, or None if another gate won.

    ON CONFLICT DO NOTHING (PostgreSQL and SQLite >= 3.35) lets the unique
    constraint decide in the same statement: no failed statement, no savepoint,
    no aborted transaction. `guarded=False` exists only for the test that shows
    the race is real without the guard.
    """
    table = CheckIn._meta.db_table
    at = connection.ops.adapt_datetimefield_value(now)
    sql = (
        f"INSERT INTO {table}"
        " (event_id, participant_id, session_id, gate, checked_in_at, checked_in_by_id, by_reservation)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    if guarded:
        sql += " ON CONFLICT DO NOTHING"
    sql += " RETURNING id"
    with connection.cursor() as cursor:
        cursor.execute(sql, [participant.event_id, participant.pk, session_id, gate, at, by.pk, by_reservation])
        row = cursor.fetchone()
    return row[0] if row else None


def _admit_walk_in(participant, *, session_id, seats, gate, by, now, serialise=True):
    """INSERT a walk-in admission only while fewer than `seats` walk-ins are inside; the id, or None.

    The count and the insert are one statement (INSERT … SELECT … WHERE count <
    seats). SQLite runs one writer at a time, so that statement is atomic there;
    PostgreSQL's READ COMMITTED lets two such statements count the same rows, so
    a transaction-scoped advisory lock on the session serialises them first.
    `serialise=False` exists only for the test that shows that race is real.
    """
    table = CheckIn._meta.db_table
    at = connection.ops.adapt_datetimefield_value(now)
    sql = (
        f"INSERT INTO {table}"
        " (event_id, participant_id, session_id, gate, checked_in_at, checked_in_by_id, by_reservation)"
        " SELECT %s, %s, %s, %s, %s, %s, %s"
        f" WHERE (SELECT COUNT(*) FROM {table} WHERE session_id = %s AND undone_at IS NULL AND NOT by_reservation) < %s"
        " ON CONFLICT DO NOTHING RETURNING id"
    )
    params = [participant.event_id, participant.pk, session_id, gate, at, by.pk, False, session_id, seats]
    # No savepoint: inside a scan's transaction the lock simply lasts until that commits.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if serialise and connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SESSION_DOOR_LOCK, session_id])
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def _admit_at_door(participant, *, session_id, gate, by, now, guarded):
    """Admit at the main door, or at a session's door by reservation or on a free walk-in seat.

    Returns (check-in id or None, whether the door was full). Raises NotFound
    for a session that does not exist (or is cancelled) in the holder's event.
    """
    if session_id == WHOLE_EVENT:
        return _admit(participant, session_id=session_id, gate=gate, by=by, now=now, guarded=guarded), False
    door = extensions.session_door(session_id, participant.pk)
    if door is None or door.event_id != participant.event_id:
        raise NotFound("session_not_found", _("No such session in this event."))
    if door.reserved or door.walk_in_seats is None:
        check_in_id = _admit(
            participant, session_id=session_id, gate=gate, by=by, now=now, by_reservation=door.reserved
        )
        return check_in_id, False
    check_in_id = _admit_walk_in(
        participant, session_id=session_id, seats=door.walk_in_seats, gate=gate, by=by, now=now
    )
    return check_in_id, check_in_id is None


def scan(*, code, gate, session_id=None, by, device=None, event_slug=None, now=None):
    """Judge one scanned code at a gate and admit its holder at most once. Always returns a ScanOutcome."""
    now = now or timezone.now()
    code = (code or "").strip()
    session_id = session_id or WHOLE_EVENT
    claim = verified_claim(code)
    holder = _badge_holder(claim, session_id) if claim else None  # read before taking the write lock
    # The admission and its log row commit together: one commit, so one disk flush, per scan.
    with transaction.atomic():
        if holder is None:
            outcome = ScanOutcome(ScanResult.INVALID)
        else:
            revoked = claim.version != holder.badge_version
            outcome = _decide(holder, revoked, gate, session_id, by, event_slug, now)
        log_scan(
            at=now,
            by=by,
            device=device,
            gate=gate,
            session_id=session_id,
            code=code,
            result=outcome.result,
            event_id=claim.event_id if claim else None,
            participant_id=claim.participant_id if claim else None,
        )
    return outcome


def log_scan(*, at, by, device, gate, session_id, code, result, event_id, participant_id, offline=False):
    """The scan log row every scan, admission by name, undo and synced offline scan leaves."""
    return ScanLog.objects.create(
        scanned_at=at,
        user=by,
        device=device,
        gate=gate,
        session_id=session_id,
        code=code[: ScanLog.CODE_LENGTH],
        result=result,
        event_id_claimed=event_id,
        participant_id_claimed=participant_id,
        offline=offline,
    )


def _badge_holder(claim, session_id):
    """The holder of the claimed badge, or None when there is no such participant or they have no badge."""
    participant = _holder(claim, session_id)
    if participant is None or participant.badge_version is None:
        return None
    return participant


def _judge(claim, code, gate, session_id, by, event_slug, now, guarded):
    """The verdict for a verified claim (admitting at most once), or None for a badge that does not exist."""
    participant = _badge_holder(claim, session_id)
    if participant is None:
        return None
    revoked = claim.version != participant.badge_version
    return _decide(participant, revoked, gate, session_id, by, event_slug, now, guarded)


def _decide(participant, revoked, gate, session_id, by, event_slug, now, guarded=True):
    """The verdict for a found holder, checked in order; admits (exactly once) when nothing forbids it."""
    found = ScanOutcome(ScanResult.INVALID, participant=participant)
    if event_slug and participant.event.slug != event_slug:
        found.result = ScanResult.WRONG_EVENT
    elif revoked:
        found.result = ScanResult.REVOKED
    elif not participant.ticket_valid:
        found.result = ScanResult.NOT_ALLOWED
    elif not (window(participant.event)[0] <= now < window(participant.event)[1]):
        found.result = ScanResult.NOT_OPEN
    elif participant.admitted_at is not None:
        found.result = ScanResult.ALREADY_CHECKED_IN
        found.checked_in_at, found.gate = participant.admitted_at, participant.admitted_gate
    else:
        check_in_id, full = _admit_at_door(
            participant, session_id=session_id, gate=gate, by=by, now=now, guarded=guarded
        )
        if check_in_id is not None:
            found.result = ScanResult.ADMITTED
            found.checked_in_at, found.gate, found.check_in_id = now, gate, check_in_id
        else:
            first = CheckIn.objects.filter(
                participant=participant, session_id=session_id, undone_at__isnull=True
            ).first()
            if first is None and full:
                found.result = ScanResult.NO_SEAT
                return found
            found.result = ScanResult.ALREADY_CHECKED_IN
            found.checked_in_at, found.gate = first.checked_in_at, first.gate
    return found


def named_holder(event_id, participant_id, session_id):
    """The participant by id within the event, loaded as `_holder` loads a badge's holder; None if not one of its.

    For admissions by name (live, or synced from a device's offline name search): no badge is needed.
    """
    claim = codes.BadgeClaim(event_id=event_id, participant_id=participant_id, version=None)
    return _holder(claim, session_id)


def admit_by_name(*, participant_id, event_slug, gate, by, session_id=None, device=None, now=None):
    """Admit a participant whom door staff found by name (no badge at hand), at most once.

    The same rules and the same guarded INSERT as a badge scan, except the badge
    version (there is no code to compare). Logged in ScanLog with an empty code.
    NotFound when the participant is not one of the event's.
    """
    now = now or timezone.now()
    session_id = session_id or WHOLE_EVENT
    event_id = Event.objects.filter(slug=event_slug).values_list("pk", flat=True).first()
    participant = named_holder(event_id, participant_id, session_id) if event_id else None
    if participant is None:
        raise NotFound("participant_not_found", _("No such participant at this event."))
    with transaction.atomic():
        outcome = _decide(participant, False, gate, session_id, by, event_slug, now)
        log_scan(
            at=now,
            by=by,
            device=device,
            gate=gate,
            session_id=session_id,
            code="",
            result=outcome.result,
            event_id=event_id,
            participant_id=participant.pk,
        )
    return outcome


def undo(*, check_in_id, by, device=None):
    """A door supervisor voids a mistaken admission: flagged and logged, never deleted."""
    if not permissions.is_door_supervisor(by):
        raise PermissionDenied("forbidden", _("Only a door supervisor can undo an admission."))
    now = timezone.now()
    check_in = CheckIn.objects.filter(pk=check_in_id).first()
    if check_in is None:
        raise NotFound("check_in_not_found", _("No such admission."))
    with transaction.atomic():  # the flag, its log row and the audit entry together or not at all
        updated = CheckIn.objects.filter(pk=check_in_id, undone_at__isnull=True).update(undone_at=now, undone_by=by)
        if not updated:
            raise Conflict("check_in_already_undone", _("This admission was already undone."))
        log_scan(
            at=now,
            by=by,
            device=device,
            gate=check_in.gate,
            session_id=check_in.session_id,
            code="",
            result=ScanResult.UNDONE,
            event_id=check_in.event_id,
            participant_id=check_in.participant_id,
        )
        check_in.undone_at, check_in.undone_by = now, by
        audit.record(
            action="check_in.undone",
            actor=by,
            obj=check_in,
            participant=check_in.participant_id,
            gate=check_in.gate,
            device=getattr(device, "pk", None),
        )
    return check_in
