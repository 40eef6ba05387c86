"""Offline door check-in: what a scanner device keeps to judge badges without network, and the later sync.

A door device downloads `offline_data` while online (the event's public keys,
every badge holder's current badge version and ticket validity, the names to
show, the admissions already made) and judges scans in the browser when the
network fails (static/checkin/offline.js). It queues every scan with the
verdict it showed and sends the queue, in order, to `sync_scans` when the
network returns.

The sync applies the same rule as a live scan (`checkin.judge_badge`, which
ends in `checkin.admit`) at the scan's ORIGINAL time. An admission by name from
the device's offline name search carries a participant id instead of a code
and goes to `checkin.admit` directly (no badge version to compare).
Each scan is claimed first by inserting its OfflineScan row, unique per
(device, client id): a resent batch meets the constraint and gets the stored
answers back, it is never applied twice. A scan the device admitted that the
server finds already admitted by someone else is a CheckInConflict, shown to
organizers.

At a badge desk the browser also prints the badge offline (static/checkin/badge.js)
and the scan says so (`printed`): the sync records that print
(`desk.record_print`, printer `desk.BROWSER`) in the scan's transaction, apart
from the admission, so a resent batch records it once too. A desk that only
prints sends the verdict `printed`: recorded, nobody admitted.
"""

import dataclasses
import datetime
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import audit, permissions
from events.errors import NotFound, PermissionDenied
from events.models import Event, Participant

from .. import selectors
from ..enums import ScanResult
from ..models import CheckIn, CheckInConflict, OfflineScan
from ..models.checkin import WHOLE_EVENT
from . import badges, checkin, desk


def offline_data(event):
    """Everything a door device needs to judge this event's badges offline, as compact rows.

    `as_of` is read before the rows, so an admission made while they are read
    is sent again on the next refresh rather than missed.
    """
    as_of = timezone.now()
    opens, closes = checkin.window(event)
    return {
        "event": event.slug,
        "event_id": event.pk,
        "as_of": as_of,
        "opens_at": opens,
        "closes_at": closes,
        "keys": [{"key_id": key.key_id, "public_key": bytes(key.public_key)} for key in badges.public_keys(event)],
        "participants": selectors.offline_holders(event),
        "admissions": selectors.offline_admissions(event),
    }


@dataclasses.dataclass(frozen=True)
class DeviceScan:
    """One scan as the device queued it: its own id, what was scanned where and when, and what it showed.

    A badge scan carries the scanned `code`; an admission by name (the device's offline name
    search) carries `participant_id` instead and an empty code.
    """

    client_id: uuid.UUID
    code: str
    gate: str
    scanned_at: datetime.datetime
    session_id: int = WHOLE_EVENT
    offline_result: str = ScanResult.ADMITTED
    participant_id: int | None = None
    printed: bool = False  # a badge desk's browser printed the scanned badge
    unreadable: bool = False  # the device sent a NUL in the code or gate: judged invalid, stored without it


# PostgreSQL text cannot hold U+0000; the scan is kept (with U+FFFD in its place) and judged invalid,
# so the device's queue drains past it instead of failing the whole batch.
NUL, REPLACEMENT = "\x00", "\ufffd"


def _readable(scan):
    if NUL not in scan.code and NUL not in scan.gate:
        return scan
    return dataclasses.replace(
        scan, code=scan.code.replace(NUL, REPLACEMENT), gate=scan.gate.replace(NUL, REPLACEMENT), unreadable=True
    )


@dataclasses.dataclass(frozen=True)
class SyncOutcome:
    """The server's answer to one synced scan, for the device to tell its door staff.

    `conflict`: the holder had already been admitted at another door (a CheckInConflict,
    `first_gate`/`first_at` say where and when). `overruled`: the device let the holder in but the
    rule, applied now at the scan's time, did not: a conflict, a full session door (`no_seat`), a
    badge replaced or a ticket no longer valid; door staff should find that person.
    """

    client_id: uuid.UUID
    result: str
    conflict: bool
    overruled: bool = False
    first_gate: str | None = None
    first_at: datetime.datetime | None = None


# An offline admission the server answers with one of these stands (already_checked_in: the same device
# or person twice, no conflict).
STANDING = (ScanResult.ADMITTED, ScanResult.ALREADY_CHECKED_IN)


def _answer(client_id, *, offline_result, result, conflict):
    """The SyncOutcome of a scan from what was stored for it; `conflict` is its CheckInConflict or None."""
    admitted_offline = offline_result == ScanResult.ADMITTED
    return SyncOutcome(
        client_id,
        result,
        conflict is not None,
        overruled=admitted_offline and (conflict is not None or result not in STANDING),
        first_gate=conflict.first_gate if conflict else None,
        first_at=conflict.first_at if conflict else None,
    )


def sync_scans(*, event_slug, device_id, scans, by, device=None, now=None):
    """Apply a device's offline scans in their order; one SyncOutcome per scan.

    Each scan is its own transaction (claim, admission, conflict, log and the
    claim's answer are saved together or not at all), so a batch cut short is
    simply sent again. NotFound for an unknown event, before anything is saved.
    """
    now = now or timezone.now()
    event = Event.objects.filter(slug=event_slug).first()
    if event is None:
        raise NotFound("event_not_found", _("No such event."))
    return [_apply(_readable(scan), event=event, device_id=device_id, by=by, device=device, now=now) for scan in scans]


def _apply(scan, *, event, device_id, by, device, now):
    # A device clock running fast must not date an admission in the future.
    at = min(scan.scanned_at, now)
    with transaction.atomic():
        try:
            with transaction.atomic():
                claimed = OfflineScan.objects.create(
                    event=event,
                    device_id=device_id,
                    client_id=scan.client_id,
                    scanned_at=at,
                    gate=scan.gate,
                    session_id=scan.session_id,
                    offline_result=scan.offline_result,
                    user=by,
                )
        except IntegrityError:
            # Sent before (a resent batch): the first answer stands, nothing is applied again.
            stored = OfflineScan.objects.get(device_id=device_id, client_id=scan.client_id)
            return _answer(
                scan.client_id,
                offline_result=stored.offline_result,
                result=stored.result,
                conflict=_stored_conflict(stored) if stored.conflict else None,
            )
        outcome, event_id, participant_id = _verdict(scan, event, at, by, device)
        conflict = _conflict(scan, outcome, claimed, device_id, by)
        if scan.printed:
            _record_browser_print(scan, event, at, by, device)
        log = checkin.log_scan(
            at=at,
            by=by,
            device=device,
            gate=scan.gate,
            session_id=scan.session_id,
            code=scan.code.strip(),
            result=outcome.result,
            event_id=event_id,
            participant_id=participant_id,
            offline=True,
        )
        OfflineScan.objects.filter(pk=claimed.pk).update(
            result=outcome.result, conflict=conflict is not None, check_in_id=outcome.check_in_id, scan_log=log
        )
    return _answer(scan.client_id, offline_result=scan.offline_result, result=outcome.result, conflict=conflict)


# The verdicts after which a desk's browser prints (static/checkin/offline.js): the others never printed.
PRINTED_AFTER = (ScanResult.ADMITTED, ScanResult.PRINTED)


def _record_browser_print(scan, event, at, by, device):
    """The badge a desk's browser printed offline: one DeskPrint of the scanned code's version, or none.

    Only a genuinely signed code of this event names whose badge was printed (the
    device printed the scanned code's QR); an unreadable, forged or foreign code,
    an admission by name (no code to print) or a verdict after which the device
    does not print records nothing. A version printed before is recorded as a
    reprint: the desk could not know of the earlier print, so the reason says so.
    """
    if scan.unreadable or scan.participant_id is not None or scan.offline_result not in PRINTED_AFTER:
        return None
    claim = checkin.verified_claim(scan.code)
    holder = Participant.objects.filter(pk=claim.participant_id, event=event).first() if claim else None
    if holder is None:
        return None
    before = desk.earlier_print(holder.pk, claim.version)
    door = checkin.Door(gate=scan.gate, by=by, event_slug=event.slug, device=device)
    reason = _("Printed offline: the desk did not know of the earlier print.") if before else ""
    return desk.record_print(
        holder, badge_version=claim.version, door=door, at=at, reason=reason, before=before, printer=desk.BROWSER
    )


def _stored_conflict(stored):
    """The CheckInConflict an earlier sync of this scan recorded (same device, scan time and door)."""
    return CheckInConflict.objects.filter(
        event_id=stored.event_id,
        second_device=stored.device_id,
        second_at=stored.scanned_at,
        session_id=stored.session_id,
    ).first()


def _verdict(scan, event, at, by, device):
    """(outcome, claimed event id, claimed participant id) for the log: by badge code, or by name."""
    if scan.unreadable:
        return checkin.ScanOutcome(ScanResult.INVALID), None, None
    door = checkin.Door(gate=scan.gate, by=by, event_slug=event.slug, session_id=scan.session_id, device=device)
    if scan.participant_id is None:
        claim = checkin.verified_claim(scan.code)
        outcome = _judge(scan, claim, door, at)
        return outcome, claim.event_id if claim else None, claim.participant_id if claim else None
    outcome = _judge_by_name(scan, event, door, at)
    # Only an id found in this event is logged: the arrivals page names the logged participants.
    return outcome, event.pk, outcome.participant.pk if outcome.participant else None


def _judge_by_name(scan, event, door, at):
    """The admission rule at the scan's time for a holder found by id within the event (no badge to check)."""
    holder = checkin.named_holder(event.pk, scan.participant_id, scan.session_id)
    if holder is None:
        # Another event's participant or no such id (a stale or tampered queue): answered, never a 500.
        return checkin.ScanOutcome(ScanResult.INVALID)
    if scan.offline_result != ScanResult.ADMITTED:
        return checkin.ScanOutcome(scan.offline_result, participant=holder)
    try:
        return checkin.admit(holder, door=door, at=at)
    except NotFound:
        # A session door that no longer exists, as for a badge scan: the rest of the batch goes on.
        return checkin.ScanOutcome(ScanResult.INVALID, participant=holder)


def _judge(scan, claim, door, at):
    """The server's verdict at the scan's time; a scan the device turned away is recorded, never admitted."""
    if scan.offline_result != ScanResult.ADMITTED:
        # Nobody went in on this scan: the device's verdict is what happened at the door.
        return checkin.ScanOutcome(scan.offline_result)
    holder = checkin.badge_holder(claim, scan.session_id) if claim else None
    try:
        return checkin.judge_badge(claim, holder, door=door, at=at)
    except NotFound:
        # A session door that no longer exists: the scan cannot stand, but the rest of the batch must.
        return checkin.ScanOutcome(ScanResult.INVALID)


def _conflict(scan, outcome, claimed, device_id, by):
    """Record a CheckInConflict when the device let the holder in although another door already had."""
    if outcome.result != ScanResult.ALREADY_CHECKED_IN:
        return None
    standing = CheckIn.objects.filter(
        participant=outcome.participant, session_id=scan.session_id, undone_at__isnull=True
    ).first()
    if standing is None:
        return None
    first_device = OfflineScan.objects.filter(check_in=standing).values_list("device_id", flat=True).first() or ""
    # The same device (or, for a live scan, the same person at the same gate) cannot have let them in twice.
    same_door = (standing.gate, standing.checked_in_by_id) == (scan.gate, by.pk)
    if first_device == device_id or (not first_device and same_door):
        return None
    conflict = CheckInConflict.objects.create(
        event_id=standing.event_id,
        participant_id=standing.participant_id,
        session_id=standing.session_id,
        check_in=standing,
        first_gate=standing.gate,
        first_at=standing.checked_in_at,
        first_device=first_device,
        second_gate=scan.gate,
        second_at=claimed.scanned_at,
        second_device=device_id,
        second_by=by,
    )
    audit.record(
        action="ticketing.check_in.conflict",
        actor=by,
        obj=conflict,
        participant=standing.participant_id,
        first_gate=standing.gate,
        second_gate=scan.gate,
        device=device_id,
    )
    return conflict


def mark_conflicts_reviewed(conflicts, *, by):
    """An organizer has looked into these conflicts: mark those not yet reviewed (audit-logged); how many.

    The conditional UPDATE per row means two organizers marking the same conflict
    record one review, by whoever came first.
    """
    if not permissions.is_organizer(by):
        raise PermissionDenied("forbidden", _("Only organizers review check-in conflicts."))
    now = timezone.now()
    marked = 0
    for conflict in conflicts.filter(reviewed_at__isnull=True):
        with transaction.atomic():
            if CheckInConflict.objects.filter(pk=conflict.pk, reviewed_at__isnull=True).update(
                reviewed_at=now, reviewed_by=by
            ):
                audit.record(action="ticketing.check_in.conflict_reviewed", actor=by, obj=conflict)
                marked += 1
    return marked
