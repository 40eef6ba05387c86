"""The badge desk: each person's badge printed on arrival, beside the admission; reprints with a reason; walk-ins.

A desk is a gate of kind "badge desk" on the scanner page, so a `checkin.Door`.
Per desk (`DeskMode`) the first scan of a person admits them and prints their
badge (`admit`), or only prints it (`print`: people go in at a door later).
"Printed" is recorded apart from "admitted": a `DeskPrint` row per print, and
the badge's `printed_at` as bulk printing sets it. A badge version printed
before is printed again only with a reason (a lost or damaged badge), which is
audit-logged (`ticketing.badge.reprinted`).

The PDF goes to the desk's CUPS printer from the server (`ticketing.printing`,
a background job after the commit), not from the browser: headless Chromium
never prints (window.print() is a no-op there), and on this machine even a
headed Chromium 156 with --kiosk-printing under Xvfb did not reach CUPS, so
browser printing could not be tested for real. The server prints the same
WeasyPrint PDF the organizers print in bulk, and the desk page does not wait
for the printer. Offline the desk's browser prints instead (static/checkin/badge.js)
and the sync records that print (`record_print`, printer `BROWSER`).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import audit
from events.common.jobs import enqueue
from events.errors import NotFound
from events.models import Event, Participant
from events.services import register_walk_in

from .. import codes
from ..enums import DeskMode, DeskPrintState, ScanResult
from ..models import Badge, DeskPrint
from ..models.checkin import WHOLE_EVENT
from ..printing import PrinterError, desk_printer, send_pdf
from . import badges, checkin, issuing

# Verdicts after which the person has a right to their badge in hand.
PRINTABLE = (ScanResult.ADMITTED, ScanResult.ALREADY_CHECKED_IN, ScanResult.PRINTED)
REASON_LENGTH = 200
# The printer of a badge the desk's browser printed itself, offline (static/checkin/badge.js; synced by
# ticketing.services.offline): no CUPS queue, the station's default printer.
BROWSER = "browser"


@dataclass
class DeskOutcome:
    """A desk's answer: the door verdict, the print made (or None), and an earlier print that needs a reason."""

    scan: checkin.ScanOutcome
    printed: DeskPrint | None = None
    printed_before: DeskPrint | None = None

    @property
    def reprint_needs_reason(self):
        return self.printed is None and self.printed_before is not None


def _desk_door(door):
    # The badge desk is the event's front door: a session's door has no badges to print.
    return checkin.Door(gate=door.gate, by=door.by, event_slug=door.event_slug, device=door.device)


def desk_scan(code, *, door, mode, reason="", now=None):
    """A badge scanned at a desk: checked as at a door, admitted (per `mode`), its badge printed once.

    Steps, in one transaction: 1. the badge's signature and version
    (`checkin.badge_refusal`); 2. `checkin.admit` when the desk admits, else the
    ticket check alone (`print` verdict); 3. `_print`: a badge version printed
    before needs a reason, else nothing is printed and the desk asks; the
    DeskPrint row, the badge's printed_at and, for a reprint, the audit entry;
    4. the scan log row. After the commit the printer job (`print_desk_badge`).
    """
    now = now or timezone.now()
    door, code = _desk_door(door), (code or "").strip()
    claim = checkin.verified_claim(code)
    holder = checkin.badge_holder(claim, WHOLE_EVENT) if claim else None
    with transaction.atomic():
        outcome = checkin.badge_refusal(claim, holder, door=door) or _admit_or_check(holder, door, mode, now)
        desk = _print(outcome, door=door, reason=reason, now=now)
        checkin.log_door(door, at=now, code=code, result=outcome.result, claim=claim)
    return desk


def desk_by_name(participant_id, *, door, mode, reason="", now=None):
    """A person found by name at a desk: admitted (per `mode`) and their badge printed, issued first if need be.

    As `desk_scan` without the badge's checks. NotFound when the participant is
    not one of the event's; NoValidTicket when they hold no valid ticket and no badge.
    """
    now = now or timezone.now()
    door = _desk_door(door)
    event = Event.objects.filter(slug=door.event_slug).first()
    holder = checkin.named_holder(event.pk, participant_id, WHOLE_EVENT) if event else None
    if holder is None:
        raise NotFound("participant_not_found", _("No such participant at this event."))
    with transaction.atomic():
        if holder.badge_version is None and holder.ticket_valid:
            holder.badge_version = badges.issue_badge(Participant.objects.get(pk=holder.pk)).version
        outcome = _admit_or_check(holder, door, mode, now)
        desk = _print(outcome, door=door, reason=reason, now=now)
        named = codes.BadgeClaim(event_id=event.pk, participant_id=holder.pk, version=None)
        checkin.log_door(door, at=now, code="", result=outcome.result, claim=named)
    return desk


def desk_walk_in(*, fields, category, consents, door, mode):
    """Register a walk-in at a desk, give them their pass, then admit and print as `desk_by_name`.

    Steps: the event; the pass their category gets (`issuing.walk_in_pass_type`: none when the
    event sells no passes, else its free pass, else `walk_in_needs_pass` before anything is saved);
    then in ONE transaction `events.services.register_walk_in` (organizers' permission, consent per
    purpose, approved, audit-logged), the pass (a full quota rolls the walk-in back: SoldOut), and
    `desk_by_name` (badge issued, admitted per `mode`, printed, logged). Nothing is half-saved: a
    person registered at the desk either leaves with a badge or was never registered.
    """
    event = Event.objects.filter(slug=door.event_slug).first()
    if event is None:
        raise NotFound("event_not_found", _("No such event."))
    pass_type = issuing.walk_in_pass_type(event, category)
    with transaction.atomic():
        participant = register_walk_in(event=event, category=category, fields=fields, consents=consents, by=door.by)
        if pass_type is not None:
            issuing.issue_walk_in_pass(participant, pass_type)
        return desk_by_name(participant.pk, door=door, mode=mode)


def _admit_or_check(holder, door, mode, now):
    if mode == DeskMode.ADMIT_AND_PRINT:
        return checkin.admit(holder, door=door, at=now)
    # Only printing: the rule's own first checks (`holder_refusal`), never a copy of them.
    return checkin.holder_refusal(holder, door=door) or checkin.ScanOutcome(ScanResult.PRINTED, participant=holder)


def _print(outcome, *, door, reason, now):
    """Record the print a verdict allows (a reprint only with a reason) and queue it after the commit."""
    holder = outcome.participant
    if outcome.result not in PRINTABLE or holder.badge_version is None:
        return DeskOutcome(outcome)
    reason = (reason or "").strip()[:REASON_LENGTH]
    before = earlier_print(holder.pk, holder.badge_version)
    if before is not None and not reason:
        return DeskOutcome(outcome, printed_before=before)
    printed = record_print(holder, badge_version=holder.badge_version, door=door, at=now, reason=reason, before=before)
    enqueue("ticketing.tasks.print_desk_badge", printed.pk)
    return DeskOutcome(outcome, printed=printed, printed_before=before)


def record_print(holder, *, badge_version, door, at, reason="", before=None, printer=None):
    """Record one badge print at a desk: the DeskPrint row, the badge's printed_at, and for a reprint the audit entry.

    `holder`: the participant (pk, event_id). `before`: the earlier print of this
    version, if any (its `reason` is then kept and the reprint audit-logged).
    `printer` None: the desk's CUPS printer, the row queued for the print job;
    else the print was already made elsewhere (`BROWSER`: the desk's browser,
    offline) and the row is recorded as printed. Runs in the caller's transaction.
    """
    printed = DeskPrint.objects.create(
        participant_id=holder.pk,
        badge_version=badge_version,
        gate=door.gate,
        printer=desk_printer(door.gate) if printer is None else printer,
        reason=reason if before else "",
        printed_at=at,
        printed_by=door.by,
        device=door.device,
        state=DeskPrintState.QUEUED if printer is None else DeskPrintState.SENT,
    )
    # The badge is marked printed only while the printed version is still its current one.
    Badge.objects.filter(participant_id=holder.pk, version=badge_version).update(printed_at=at)
    if before is not None:
        audit.record(
            action="ticketing.badge.reprinted",
            actor=door.by,
            obj=printed,
            event=Event(pk=holder.event_id),
            participant=holder.pk,
            reason=printed.reason,
            gate=door.gate,
        )
    return printed


def earlier_print(participant_id, badge_version):
    """The latest DeskPrint of this badge version, or None."""
    return (
        DeskPrint.objects.filter(participant_id=participant_id, badge_version=badge_version)
        .order_by("-printed_at")
        .first()
    )


def send_desk_print(desk_print):
    """Render the badge's PDF (cached) and hand it to the desk's CUPS printer; the row says how it went.

    Run by the background job after the print's commit. A badge reissued or
    erased meanwhile is not printed (its code is void).
    """
    badge = Badge.objects.select_related("participant__event").filter(participant_id=desk_print.participant_id).first()
    if badge is None or badge.version != desk_print.badge_version or not badge.code:
        desk_print.state, desk_print.printer_answer = DeskPrintState.FAILED, "badge replaced before printing"
    else:
        try:
            title = f"badge-{badge.participant_id}-v{badge.version}-{desk_print.pk}"
            answer = send_pdf(badges.badge_pdf_path(badge), printer=desk_print.printer, title=title)
            desk_print.state, desk_print.printer_answer = DeskPrintState.SENT, answer
        except PrinterError as error:
            desk_print.state, desk_print.printer_answer = DeskPrintState.FAILED, str(error)[:300]
    desk_print.save(update_fields=["state", "printer_answer"])
    return desk_print
