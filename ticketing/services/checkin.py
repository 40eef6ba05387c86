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
        ScanResult.PRINTED: _("Badge printed. Not admitted here: the holder goes in at a door."),
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
        erased = self.participant is not None and self.participant.anonymized_at is not None
        if self.result == ScanResult.REVOKED and erased:
            # Erasure voids the badge (ticketing.privacy.erase); "replaced by a newer one" would send
            # door staff looking for a badge that does not exist.
            return str(_("This badge is void: its holder's registration was erased. Do not admit."))
        if self.result == ScanResult.REVOKED and not getattr(self.participant, "ticket_valid", True):
            # An old badge of a pass handed to someone else (services.handover), or of a cancelled pass:
            # there is no newer badge of this person to look for.
            return str(_("This badge is void: its pass was handed to someone else or cancelled. Do not admit."))
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
        " c.checked_in_at, c.gate, p.anonymized_at"
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
    (
        pk,
        event_id,
        full_name,
        category,
        organization,
        title,
        status,
        slug,
        start,
        end,
        version,
        valid,
        at,
        gate,
        erased,
    ) = row
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
        anonymized_at=_from_db(Participant._meta.get_field("anonymized_at"), erased),
    )
    participant.badge_version = version
    participant.ticket_valid = bool(valid)
    participant.admitted_at = _from_db(CheckIn._meta.get_field("checked_in_at"), at)
    participant.admitted_gate = gate
    return participant


@dataclass(frozen=True)
class Door:
    """Where and by whom a holder is admitted: the gate's event, the gate, the door's session, device and staff.

    `event_slug` None: the gate takes whichever event the badge names (a door of
    one event never needs to say so). `session_id` WHOLE_EVENT is the main door;
    another value is an agenda session's door (a roundtable's room).
    """

    gate: str
    by: object
    event_slug: str | None = None
    session_id: int = WHOLE_EVENT
    device: object = None


@dataclass(frozen=True)
class Guards:
    """What stops two doors admitting one person twice, or a session door letting in more than its seats.

    `unique_insert`: the admission INSERT yields to the partial unique
    constraint (ON CONFLICT DO NOTHING) instead of failing. `session_lock`: on
    PostgreSQL an advisory lock per session serialises the walk-in count and
    insert. Production never changes them; the control tests in
    tests/concurrency replace GUARDS (this module's one seam) to show each race is real.
    """

    unique_insert: bool = True
    session_lock: bool = True


GUARDS = Guards()


def _insert_admission(participant, *, door, now, by_reservation=False):
    """INSERT the admission unless an active one exists; the new row's id, or None if another gate won.

    ON CONFLICT DO NOTHING (PostgreSQL and SQLite >= 3.35) lets the unique
    constraint decide in the same statement: no failed statement, no savepoint,
    no aborted transaction.
    """
    table = CheckIn._meta.db_table
    at = connection.ops.adapt_datetimefield_value(now)
    sql = (
        f"INSERT INTO {table}"
        " (event_id, participant_id, session_id, gate, checked_in_at, checked_in_by_id, by_reservation)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    if GUARDS.unique_insert:
        sql += " ON CONFLICT DO NOTHING"
    sql += " RETURNING id"
    params = [participant.event_id, participant.pk, door.session_id, door.gate, at, door.by.pk, by_reservation]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def _insert_walk_in(participant, *, door, seats, now):
    """INSERT a walk-in admission only while fewer than `seats` walk-ins are inside; the id, or None.

    The count and the insert are one statement (INSERT … SELECT … WHERE count <
    seats). SQLite runs one writer at a time, so that statement is atomic there;
    PostgreSQL's READ COMMITTED lets two such statements count the same rows, so
    a transaction-scoped advisory lock on the session serialises them first.
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
    session_id = door.session_id
    params = [participant.event_id, participant.pk, session_id, door.gate, at, door.by.pk, False, session_id, seats]
    # No savepoint: inside a scan's transaction the lock simply lasts until that commits.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if GUARDS.session_lock and connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SESSION_DOOR_LOCK, session_id])
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def _insert_at_door(participant, *, door, now):
    """Admit at the main door, or at a session's door by reservation or on a free walk-in seat.

    Returns (check-in id or None, whether the door was full). Raises NotFound
    for a session that does not exist (or is cancelled) in the holder's event.
    """
    if door.session_id == WHOLE_EVENT:
        return _insert_admission(participant, door=door, now=now), False
    session = extensions.session_door(door.session_id, participant.pk)
    if session is None or session.event_id != participant.event_id:
        raise NotFound("session_not_found", _("No such session in this event."))
    if session.reserved or session.walk_in_seats is None:
        return _insert_admission(participant, door=door, now=now, by_reservation=session.reserved), False
    check_in_id = _insert_walk_in(participant, door=door, seats=session.walk_in_seats, now=now)
    return check_in_id, check_in_id is None


def admit(holder, *, door, at):
    """THE admission rule: admit a found holder at a door at a time, exactly once; always a ScanOutcome.

    Every way into a door comes here: a badge scan (after its signature and
    version checks, `judge_badge`), an admission by name, a device's offline
    scans at their original time, and the badge desk. Checked in order:
    1. the gate's event (`wrong_event`) and 2. an approved participant with a valid ticket
       (`not_allowed`): `holder_refusal`, which a print-only badge desk asks alone;
    3. the check-in window at `at` (`not_open`);
    4. an admission already standing at this door, as read with the holder (`already_checked_in`);
    5. ONE conditional INSERT (the unique constraint, or the walk-in seat count at a session
       door) decides between gates racing: `admitted`, `already_checked_in` or `no_seat`.
    Runs inside the caller's transaction and writes no log row (callers log with `log_scan`).
    NotFound for a session door that does not exist in the holder's event.
    """
    refused = holder_refusal(holder, door=door)
    if refused is not None:
        return refused
    found = ScanOutcome(ScanResult.INVALID, participant=holder)
    if not (window(holder.event)[0] <= at < window(holder.event)[1]):
        found.result = ScanResult.NOT_OPEN
    elif holder.admitted_at is not None:
        found.result = ScanResult.ALREADY_CHECKED_IN
        found.checked_in_at, found.gate = holder.admitted_at, holder.admitted_gate
    else:
        check_in_id, full = _insert_at_door(holder, door=door, now=at)
        if check_in_id is not None:
            found.result = ScanResult.ADMITTED
            found.checked_in_at, found.gate, found.check_in_id = at, door.gate, check_in_id
            return found
        first = CheckIn.objects.filter(participant=holder, session_id=door.session_id, undone_at__isnull=True).first()
        if first is None and full:
            found.result = ScanResult.NO_SEAT
            return found
        found.result = ScanResult.ALREADY_CHECKED_IN
        found.checked_in_at, found.gate = first.checked_in_at, first.gate
    return found


def holder_refusal(holder, *, door):
    """Steps 1 and 2 of `admit`: the refusing ScanOutcome (`wrong_event`, `not_allowed`), or None.

    Whether this holder may hold a badge at this door at all. A print-only badge desk asks only
    this (it admits no one, so the window and earlier admissions do not matter there).
    """
    if door.event_slug and holder.event.slug != door.event_slug:
        return ScanOutcome(ScanResult.WRONG_EVENT, participant=holder)
    if not holder.ticket_valid:
        return ScanOutcome(ScanResult.NOT_ALLOWED, participant=holder)
    return None


def badge_refusal(claim, holder, *, door):
    """The scan's own checks, in front of `admit`: the refusing ScanOutcome, or None for a genuine, current badge.

    `claim` is the verified claim (None: unreadable or forged), `holder` the
    claimed participant as `badge_holder` read it (None: no such badge).
    A badge of another event is `wrong_event` before its version is compared.
    """
    if claim is None or holder is None:
        return ScanOutcome(ScanResult.INVALID)
    if door.event_slug and holder.event.slug != door.event_slug:
        return ScanOutcome(ScanResult.WRONG_EVENT, participant=holder)
    if claim.version != holder.badge_version:
        return ScanOutcome(ScanResult.REVOKED, participant=holder)
    return None


def judge_badge(claim, holder, *, door, at):
    """A scanned badge's verdict: `badge_refusal`, then the admission rule (`admit`)."""
    return badge_refusal(claim, holder, door=door) or admit(holder, door=door, at=at)


def scan(*, code, gate, session_id=None, by, device=None, event_slug=None, now=None):
    """Judge one scanned code at a gate and admit its holder at most once. Always returns a ScanOutcome.

    Reads the holder before the transaction, then `judge_badge` and the log row commit together.
    """
    now = now or timezone.now()
    code = (code or "").strip()
    door = Door(gate=gate, by=by, event_slug=event_slug, session_id=session_id or WHOLE_EVENT, device=device)
    claim = verified_claim(code)
    holder = badge_holder(claim, door.session_id) if claim else None  # read before taking the write lock
    # The admission and its log row commit together: one commit, so one disk flush, per scan.
    with transaction.atomic():
        outcome = judge_badge(claim, holder, door=door, at=now)
        log_door(door, at=now, code=code, result=outcome.result, claim=claim)
    return outcome


def log_door(door, *, at, code, result, claim, offline=False):
    """The log row of one event at a door; `claim` names who the code or the name search pointed at."""
    return log_scan(
        at=at,
        by=door.by,
        device=door.device,
        gate=door.gate,
        session_id=door.session_id,
        code=code,
        result=result,
        event_id=claim.event_id if claim else None,
        participant_id=claim.participant_id if claim else None,
        offline=offline,
    )


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


def badge_holder(claim, session_id):
    """The holder of the claimed badge, with their admission at that door, or None (no such participant or badge)."""
    participant = _holder(claim, session_id)
    if participant is None or participant.badge_version is None:
        return None
    return participant


def named_holder(event_id, participant_id, session_id):
    """The participant by id within the event, loaded as `_holder` loads a badge's holder; None if not one of its.

    For admissions by name (live, or synced from a device's offline name search): no badge is needed.
    """
    claim = codes.BadgeClaim(event_id=event_id, participant_id=participant_id, version=None)
    return _holder(claim, session_id)


def admit_by_name(*, participant_id, event_slug, gate, by, session_id=None, device=None, now=None):
    """Admit a participant whom door staff found by name (no badge at hand), at most once.

    `admit` without the badge's checks (there is no code). Logged in ScanLog
    with an empty code. NotFound when the participant is not one of the event's.
    """
    now = now or timezone.now()
    door = Door(gate=gate, by=by, event_slug=event_slug, session_id=session_id or WHOLE_EVENT, device=device)
    event_id = Event.objects.filter(slug=event_slug).values_list("pk", flat=True).first()
    participant = named_holder(event_id, participant_id, door.session_id) if event_id else None
    if participant is None:
        raise NotFound("participant_not_found", _("No such participant at this event."))
    with transaction.atomic():
        outcome = admit(participant, door=door, at=now)
        named = codes.BadgeClaim(event_id=event_id, participant_id=participant.pk, version=None)
        log_door(door, at=now, code="", result=outcome.result, claim=named)
    return outcome


def undo(*, check_in_id, by, device=None):
    """A door supervisor voids a mistaken admission: flagged and logged, never deleted."""
    if not permissions.is_door_supervisor(by):
        raise PermissionDenied("forbidden", _("Only a door supervisor can undo an admission."))
    now = timezone.now()
    check_in = CheckIn.objects.filter(pk=check_in_id).first()
    if check_in is None:
        raise NotFound("check_in_not_found", _("No such admission."))
    if not permissions.token_covers_event(device, check_in.event_id):
        # A device of one event must not void another event's admissions (issue #16).
        raise PermissionDenied("device_other_event", _("This scanner device is registered for another event."))
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
            action="ticketing.check_in.undone",
            actor=by,
            obj=check_in,
            participant=check_in.participant_id,
            gate=check_in.gate,
            device=getattr(device, "pk", None),
        )
    return check_in


def undo_admissions_before_window(event, days):
    """The event moved (events.services.move_event): admissions made before its new doors open are undone.

    They were for the old dates; left standing, the holder's first scan at the new dates
    would answer `already_checked_in` (the door rehearsal moves to each new day this way).
    One conditional UPDATE (undone by nobody: the move did it) and one audit entry with the count.
    """
    opens, _closes = window(event)
    undone = CheckIn.objects.filter(event=event, undone_at__isnull=True, checked_in_at__lt=opens).update(
        undone_at=timezone.now()
    )
    if undone:
        audit.record(action="ticketing.check_in.undone_by_move", obj=event, event=event, count=undone, days=days)
    return undone
