"""Badges: issuing, reissuing, checking codes, the cached PDF and bulk print jobs."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from events import collation
from events.common.jobs import enqueue
from events.models import Event

from .. import codes, pdf, selectors
from ..enums import PrintJobStatus
from ..errors import BadgeCodeInvalid, NothingToPrint, NoValidTicket, TicketTypeOfAnotherEvent
from ..models import Badge, EventKey, PrintJob

# Badges per PDF chunk of a print job: big enough that WeasyPrint's per-document
# cost is spread thin, small enough to keep a worker's memory low (README "Benchmark").
PRINT_CHUNK_SIZE = 125
# Badges rendered between two progress updates of a print job (six A4 sheets of four), so the
# organizer sees the count move badge by badge groups, not once per 125-badge chunk. Measured on this
# 2-core machine (120 badges): one document 1.5-1.9 s, five of 24 1.6-2.0 s, fifteen of 8 1.9-2.5 s,
# thirty of 4 2.9-4.4 s: 24 costs nothing; smaller steps slow the printing down.
# A multiple of pdf.PER_SHEET, so that joining the steps leaves every A4 sheet but the last full.
PRINT_PROGRESS_STEP = 24


def event_key(event):
    """The event's signing key, created on first use.

    Two first uses racing meet the one-key-per-event constraint; the loser
    reads the winner's key, so no badge is ever signed with a discarded key.
    """
    key = EventKey.objects.filter(event=event).first()
    if key is not None:
        return key
    encrypted, public = codes.new_key_pair()
    try:
        with transaction.atomic():
            return EventKey.objects.create(
                event=event, key_id=codes.key_id(public), public_key=public, private_key_encrypted=encrypted
            )
    except IntegrityError:
        return EventKey.objects.get(event=event)


def _signed(participant, version):
    """The badge fields for a signed code of this version: code and its QR image."""
    key = event_key(participant.event)
    code = codes.sign_code(
        key.private_key_encrypted, event_id=participant.event_id, participant_id=participant.pk, version=version
    )
    return {"code": code, "qr_png": pdf.qr_png(code)}


def issue_badge(participant):
    """The participant's badge, issued (signed and e-mailed) if they have none yet.

    Idempotent: calling it again returns the existing badge. Raises
    NoValidTicket unless the participant holds a valid ticket. Concurrent
    first calls meet the one-badge-per-participant constraint, so exactly one
    badge is signed and one e-mail is sent (after the commit).
    """
    if not selectors.holds_valid_ticket(participant):
        raise NoValidTicket()
    badge = Badge.objects.filter(participant=participant).first()
    if badge is not None:
        return badge
    try:
        with transaction.atomic():
            badge = Badge.objects.create(participant=participant, version=1, **_signed(participant, 1))
            enqueue("ticketing.tasks.send_badge_email", badge.pk)
    except IntegrityError:
        return Badge.objects.get(participant=participant)
    return badge


def sign_badges_in_bulk(participants):
    """Sign and store a first badge (code and QR image) for each of these participants in one insert.

    For benchmarks and load tests that need a thousand badges in seconds: unlike
    issue_badge it neither checks that each holds a valid ticket nor e-mails
    anyone, so it is never the way to give a real attendee a badge. The
    participants must have none yet (one badge per participant). Returns the badges.
    """
    return Badge.objects.bulk_create(Badge(participant=p, version=1, **_signed(p, 1)) for p in participants)


def participant_for_badge_code(code):
    """The holder of a valid, current badge code, or None: the signing kiosk's badge resolver."""
    try:
        return check_badge_code(code).participant
    except BadgeCodeInvalid:
        return None


def issue_badges(participants):
    """Issue badges for those of these participants who hold a valid ticket and have none; returns how many."""
    issued = 0
    for participant in selectors.with_valid_ticket(participants).filter(badge__isnull=True).select_related("event"):
        issue_badge(participant)
        issued += 1
    return issued


def reissue_badge(badge):
    """Replace a badge (lost, or a name fixed): bump its version, which revokes every older code.

    The bump is conditional on the version read, so two reissues at once
    cannot both sign the same new version. The new badge is e-mailed.
    """
    participant = badge.participant
    if not selectors.holds_valid_ticket(participant):
        raise NoValidTicket()
    new_version = badge.version + 1
    with transaction.atomic():
        changed = Badge.objects.filter(pk=badge.pk, version=badge.version).update(
            version=new_version, reissued_at=timezone.now(), printed_at=None, **_signed(participant, new_version)
        )
        if changed:
            enqueue("ticketing.tasks.send_badge_email", badge.pk)
    badge.refresh_from_db()
    return badge


def check_badge_code(code):
    """The current badge a scanned code stands for, or BadgeCodeInvalid saying why not.

    In order: the format, the event's key, the signature, the badge, its
    version (older versions are revoked), and the holder's ticket.
    """
    try:
        claim = codes.read_claim(code)
    except codes.CodeError as error:
        raise BadgeCodeInvalid(error.reason)
    key = EventKey.objects.filter(event_id=claim.event_id).first()
    if key is None:
        raise BadgeCodeInvalid("unknown_event")
    try:
        codes.verify_code(bytes(key.public_key), code)
    except codes.CodeError as error:
        raise BadgeCodeInvalid(error.reason)
    badge = (
        Badge.objects.select_related("participant__event")
        .filter(participant_id=claim.participant_id, participant__event_id=claim.event_id)
        .first()
    )
    if badge is None:
        raise BadgeCodeInvalid("unknown_badge")
    if claim.version != badge.version:
        raise BadgeCodeInvalid("revoked")
    if not selectors.holds_valid_ticket(badge.participant):
        raise BadgeCodeInvalid("no_valid_ticket")
    return badge


# --- The single badge PDF, cached on disk -------------------------------------


def _cache_dir(event_id):
    return Path(settings.MEDIA_ROOT) / "badges" / str(event_id)


def badge_pdf_path(badge):
    """The path of this badge's PDF, rendered on first use and whenever anything printed changes.

    The file name carries the participant, the badge version and a fingerprint
    of every printed field, so a reissue or a name fix renders a new file; the
    old ones are removed. Written to a temporary name and renamed, so a reader
    never sees half a file.
    """
    printed = selectors.badge_print(badge)
    folder = _cache_dir(badge.participant.event_id)
    prefix = f"{badge.participant_id}-"
    path = folder / f"{prefix}v{badge.version}-{printed.fingerprint()}.pdf"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    # A name of its own per writer: two requests rendering the same badge at once must not share one
    # (tests/concurrency/test_badges.py fails with a per-process name).
    temporary = path.with_suffix(f".{secrets.token_hex(8)}.tmp")
    try:
        temporary.write_bytes(pdf.render_badges([printed]))
    except OSError:  # a full disk: leave no half-written file behind (the request answers 503)
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, path)
    for old in folder.glob(f"{prefix}v*.pdf"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


def forget_badge_files(participant):
    """Delete the files that print this participant's badge: the cached PDFs, and every print job
    PDF holding it (the job says so; print it again). For erasure: the files carry the name.

    The rows change inside the caller's transaction; the files go once it commits.
    """
    doomed = list(_cache_dir(participant.event_id).glob(f"{participant.pk}-v*.pdf"))
    jobs = [
        job
        for job in PrintJob.objects.filter(event_id=participant.event_id).exclude(file="")
        if participant.pk in job.participant_ids
    ]
    for job in jobs:
        doomed.append(Path(job.file.path))
        job.file = ""
        job.error = gettext("The PDF was deleted: a participant in it had their personal data erased. Print again.")
        job.save(update_fields=["file", "error"])

    def delete_files():
        for path in doomed:
            path.unlink(missing_ok=True)

    transaction.on_commit(delete_files)
    return len(jobs)


def badges_pdf(badges, *, layout):
    """One PDF of these badges (for a reprint), marking them printed."""
    content = pdf.render_badges([selectors.badge_print(badge) for badge in badges], layout=layout)
    mark_printed(badges)
    return content


def mark_printed(badges, *, printed=True):
    """Record that these badges were printed (or clear it, to print them again with the next job)."""
    return Badge.objects.filter(pk__in=[badge.pk for badge in badges]).update(
        printed_at=timezone.now() if printed else None
    )


# --- Bulk print jobs -----------------------------------------------------------


def check_print_filter(*, event, category="", ticket_type=None, only_unprinted=True, registered_since=None):
    """Refuse a print filter that cannot make a job: a pass of another event, or no badge at all to print.

    An empty job used to finish "done" with one blank A4 page. The admin form calls this to show the
    error beside the filter; create_print_job calls it again, so no other caller can skip it.
    """
    if ticket_type is not None and ticket_type.event_id != event.pk:
        raise TicketTypeOfAnotherEvent()
    matching = selectors.participants_to_print(
        event=event,
        category=category,
        ticket_type=ticket_type,
        only_unprinted=only_unprinted,
        registered_since=registered_since,
    )
    if not matching.exists():
        raise NothingToPrint()


def create_print_job(*, event, category="", ticket_type=None, only_unprinted=True, registered_since=None, layout, by):
    """Queue a bulk print of the badges matching a filter; the PDF is built in the background."""
    check_print_filter(
        event=event,
        category=category,
        ticket_type=ticket_type,
        only_unprinted=only_unprinted,
        registered_since=registered_since,
    )
    job = PrintJob.objects.create(
        event=event,
        category=category,
        ticket_type=ticket_type,
        only_unprinted=only_unprinted,
        registered_since=registered_since,
        layout=layout,
        created_by=by,
    )
    enqueue("ticketing.tasks.start_print_job", job.pk)
    return job


def start_print_job(job):
    """Fix the job's list of participants, issue missing badges, and fan the rendering out in chunks.

    Each chunk is its own background job, so the job workers (one per CPU core)
    render chunks in parallel; the last chunk to finish merges the file.
    """
    participants = selectors.participants_to_print(
        event=job.event,
        category=job.category,
        ticket_type=job.ticket_type,
        only_unprinted=job.only_unprinted,
        registered_since=job.registered_since,
    )
    issue_badges(participants)
    # Print order: category, then the Vietnamese name order the sorting table at the door expects.
    rows = participants.values_list("pk", "category", "full_name")
    ids = [row[0] for row in sorted(rows, key=lambda row: (row[1], collation.person_key(row[2])))]
    chunks = max(1, -(-len(ids) // PRINT_CHUNK_SIZE))
    with transaction.atomic():
        PrintJob.objects.filter(pk=job.pk).update(
            status=PrintJobStatus.RUNNING, participant_ids=ids, total=len(ids), chunks_total=chunks
        )
        for index in range(chunks):
            enqueue("ticketing.tasks.render_print_chunk", job.pk, index)


def _chunk_path(job, index):
    return Path(settings.MEDIA_ROOT) / "print-jobs" / f"job-{job.pk}" / f"part-{index:04d}.pdf"


def render_print_chunk(job, index):
    """Render one chunk of a print job to its part file and count it; the last chunk merges the job.

    The chunk is drawn PRINT_PROGRESS_STEP badges at a time: after each step the job's `done` grows
    by the badges drawn (one conditional UPDATE, committed at once, so the admin's page sees it while
    the other chunks render in parallel); the steps are then joined into the chunk's part file.
    """
    ids = job.participant_ids[index * PRINT_CHUNK_SIZE : (index + 1) * PRINT_CHUNK_SIZE]
    badges = selectors.badges_in_order(ids)
    path = _chunk_path(job, index)
    path.parent.mkdir(parents=True, exist_ok=True)
    steps = [badges[start : start + PRINT_PROGRESS_STEP] for start in range(0, len(badges), PRINT_PROGRESS_STEP)]
    pieces = []
    for number, step in enumerate(steps or [[]]):
        piece = path.with_name(f"{path.stem}-{number:03d}.pdf")
        piece.write_bytes(pdf.render_badges([selectors.badge_print(badge) for badge in step], layout=job.layout))
        pieces.append(piece)
        PrintJob.objects.filter(pk=job.pk).update(done=F("done") + len(step))
    pdf.merge_pdfs(pieces, path)
    for piece in pieces:
        piece.unlink(missing_ok=True)
    with transaction.atomic():
        # The row lock makes exactly one chunk see itself as the last one.
        locked = PrintJob.objects.select_for_update().get(pk=job.pk)
        locked.chunks_done = F("chunks_done") + 1
        locked.save(update_fields=["chunks_done"])
        locked.refresh_from_db(fields=["done", "chunks_done"])
        last = locked.chunks_done == locked.chunks_total
    if last:
        finish_print_job(locked)


def finish_print_job(job):
    """Merge the chunk files into the job's PDF, mark its badges printed, and tidy up."""
    folder = Path(settings.MEDIA_ROOT) / "print-jobs" / f"job-{job.pk}"
    parts = [_chunk_path(job, index) for index in range(job.chunks_total)]
    merged = folder / "merged.pdf"
    pdf.merge_pdfs(parts, merged)
    with open(merged, "rb") as content:
        job.file.save(f"badges-{job.event.slug}-{job.pk}.pdf", File(content), save=False)
    for path in [*parts, merged]:
        path.unlink(missing_ok=True)
    folder.rmdir()
    with transaction.atomic():
        Badge.objects.filter(participant_id__in=job.participant_ids).update(printed_at=timezone.now())
        PrintJob.objects.filter(pk=job.pk).update(
            status=PrintJobStatus.DONE, file=job.file.name, finished_at=timezone.now()
        )


def fail_print_job(job, message):
    PrintJob.objects.filter(pk=job.pk).update(status=PrintJobStatus.FAILED, error=message, finished_at=timezone.now())


def public_keys(event: Event):
    """The event's badge public keys, for scanners (created on first use)."""
    return [event_key(event)]


def issue_badge_if_valid(participant):
    """The approval hook: issue the badge unless the participant no longer holds a valid ticket."""
    if selectors.holds_valid_ticket(participant):
        issue_badge(participant)
