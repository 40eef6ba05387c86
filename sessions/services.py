"""Every write to the agenda: planning sessions, publishing versions, bookmarks and seat reservations."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.common.jobs import enqueue
from events.enums import ParticipantStatus
from events.models import Event, Participant, normalize_text

from . import conflicts, selectors
from .enums import NOTIFIED_CHANGES, PersonRole, ReservationStatus, SessionFormat, SessionLanguage
from .errors import AgendaError, ConflictsFound, NothingToPublish, NotReservable
from .models import Bookmark, ConflictOverride, Publication, Reservation, Room, Session, SessionPerson, Track
from .snapshot import build_snapshot, changelog

EDITABLE = (
    "title_vi",
    "title_en",
    "abstract_vi",
    "abstract_en",
    "format",
    "language",
    "room_id",
    "track_id",
    "starts_at",
    "ends_at",
    "capacity",
)


def move_sessions(event, days):
    """The event moved by `days` (events.services.move_event): its sessions move with it, on the same clock.

    Inside move_event's transaction: every session's start and end shift by whole
    days (one UPDATE), then an agenda that was published is published again, by the
    organizer of its last version, so attendees see the new days and those holding a
    seat are e-mailed (publish_agenda).
    """
    shift = timedelta(days=days)
    Session.objects.filter(event=event).update(starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift)
    last = Publication.objects.filter(event=event).order_by("-number").first()
    if last is not None:
        publish_agenda(event=event, by=last.published_by)


def create_session(*, event, changes, people=(), by, override=False):
    """Add a session to the event's draft agenda, checking every conflict rule.

    In one transaction that holds the event row (so two organizers cannot both
    take the same slot): validate, check conflicts, write the session and its
    people, and record the override when conflicts were saved anyway.
    Raises AgendaError (bad input) or ConflictsFound (409) without writing.
    """
    session = Session(event=event, title_vi="", starts_at=timezone.now(), ends_at=timezone.now())
    return _save(session, changes=changes, people=people, by=by, override=override)


def update_session(*, session, changes, people=None, by, override=False):
    """Change a draft session (move, resize, edit, people); same checks and transaction as create_session.

    `people=None` keeps the people as they are.
    """
    return _save(session, changes=changes, people=people, by=by, override=override)


def _save(session, *, changes, people, by, override):
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise AgendaError("unknown_field", _("This field cannot be changed."), field=sorted(unknown)[0])
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=session.event_id)
        if session.pk is not None:
            session = Session.objects.select_for_update().select_related("room").get(pk=session.pk)
        for name, value in changes.items():
            setattr(session, name, _clean_value(name, value))
        _validate(session, event)
        persons = _people(session, event, people)
        slot = conflicts.slot_of(session, persons)
        found = conflicts.clashes(slot, event=event, others=selectors.overlapping_slots(session))
        if found and not override:
            raise ConflictsFound([clash.as_dict() for clash in found])
        session.save()
        if people is not None:
            SessionPerson.objects.filter(session=session).delete()
            for person in persons:
                person.session = session
            SessionPerson.objects.bulk_create(persons)
        if found:
            ConflictOverride.objects.create(session=session, by=by, conflicts=[clash.as_dict() for clash in found])
    return session


def _clean_value(name, value):
    if name.startswith("title"):
        return normalize_text(value)
    if name in ("starts_at", "ends_at") and value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)  # a time without offset is the conference's local time
    return value


def _validate(session, event):
    if not session.title_vi:
        raise AgendaError("title_required", _("A Vietnamese title is required."), field="title_vi")
    if session.format not in SessionFormat.values:
        raise AgendaError("unknown_format", _("Unknown session format."), field="format")
    if session.language not in SessionLanguage.values:
        raise AgendaError("unknown_language", _("Unknown session language."), field="language")
    if session.starts_at is None or session.ends_at is None:
        raise AgendaError("time_required", _("A session needs a start and an end."), field="starts_at")
    if session.ends_at <= session.starts_at:
        raise AgendaError("ends_before_start", _("A session must end after it starts."), field="ends_at")
    room = Room.objects.filter(pk=session.room_id, event=event).first()
    if room is None:
        raise AgendaError("unknown_room", _("Choose a room of this event."), field="room_id")
    session.room = room
    if session.track_id is not None and not Track.objects.filter(pk=session.track_id, event=event).exists():
        raise AgendaError("unknown_track", _("Choose a track of this event."), field="track_id")
    if session.capacity is not None and session.capacity < session.seats_taken:
        message = _("%(taken)s seats are already reserved; the capacity cannot be lower.") % {
            "taken": session.seats_taken
        }
        raise AgendaError("capacity_below_reservations", message, field="capacity")


def _people(session, event, people):
    """Unsaved SessionPerson rows for `people` [(participant_id, role)], or the current ones."""
    if people is None:
        return list(session.people.select_related("participant")) if session.pk else []
    ids = [participant_id for participant_id, _role in people]
    if len(set(ids)) != len(ids):
        raise AgendaError("duplicate_person", _("A person is listed twice."), field="people")
    found = {p.pk: p for p in Participant.objects.filter(event=event, pk__in=ids)}
    rows = []
    for position, (participant_id, role) in enumerate(people):
        if participant_id not in found:
            raise AgendaError("unknown_person", _("Choose participants of this event."), field="people")
        if role not in PersonRole.values:
            raise AgendaError("unknown_role", _("Unknown role on a session."), field="people")
        rows.append(SessionPerson(participant=found[participant_id], role=role, position=position))
    return rows


def remove_session(*, session, by):
    """Take a session off the draft: a published one is marked cancelled (its seats and the mails
    to its people need the row), an unpublished one is deleted."""
    with transaction.atomic():
        if selectors.is_published(session):
            Session.objects.filter(pk=session.pk).update(cancelled_at=timezone.now())
        else:
            session.delete()


def publish_agenda(*, event, by):
    """Publish the draft as the next numbered version with its changelog.

    In one transaction holding the event row: snapshot the live sessions, diff
    against the previous version, store the Publication, then (after commit)
    e-mail the people on every moved, retimed or removed session and everyone
    holding a seat or a waitlist place in it.
    Raises NothingToPublish when the draft equals the last version.
    """
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        previous = Publication.objects.filter(event=event).order_by("-number").first()
        snapshot = build_snapshot(
            rooms=Room.objects.filter(event=event),
            tracks=Track.objects.filter(event=event),
            sessions=selectors.draft_sessions(event).filter(cancelled_at__isnull=True),
        )
        changes = changelog(previous.snapshot if previous else None, snapshot)
        if previous is not None and not changes and previous.snapshot == snapshot:
            raise NothingToPublish()
        publication = Publication.objects.create(
            event=event,
            number=(previous.number + 1) if previous else 1,
            published_by=by,
            snapshot=snapshot,
            changelog=changes,
        )
        _notify_changes(publication, previous)
    return publication


def _notify_changes(publication, previous):
    """Queue one mail per (session, person) for sessions moved, retimed or removed by this version."""
    changed = {entry["session_id"] for entry in publication.changelog if entry["kind"] in NOTIFIED_CHANGES}
    if not changed or previous is None:
        return
    recipients = set(Reservation.objects.filter(session_id__in=changed).values_list("session_id", "participant_id"))
    for snapshot in (previous.snapshot, publication.snapshot):
        recipients |= {
            (session["id"], person["id"])
            for session in snapshot["sessions"]
            if session["id"] in changed
            for person in session["people"]
        }
    for session_id, participant_id in sorted(recipients):
        enqueue("sessions.tasks.send_change_mail", participant_id, publication.pk, session_id)


def bookmark_session(*, session, participant):
    """Put a published session on the participant's own agenda (again is a no-op)."""
    _require_published(session, participant)
    Bookmark.objects.get_or_create(session=session, participant=participant)


def remove_bookmark(*, session, participant):
    Bookmark.objects.filter(session=session, participant=participant).delete()


def reserve_seat(*, session, participant):
    """Reserve a seat in a seat-limited session, or a waitlist place when it is full.

    The seat is taken with one conditional UPDATE (seats_taken < capacity) whose
    row count decides, so concurrent requests can never take more seats than
    exist, on SQLite and PostgreSQL alike; the reservation row is written in the
    same transaction. Reserving again returns the existing reservation.
    """
    _require_published(session, participant)
    if session.capacity is None:
        raise NotReservable("no_reservations", _("This session does not take seat reservations."))
    existing = Reservation.objects.filter(session=session, participant=participant).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            taken = Session.objects.filter(pk=session.pk, capacity__isnull=False, seats_taken__lt=F("capacity")).update(
                seats_taken=F("seats_taken") + 1
            )
            status = ReservationStatus.CONFIRMED if taken else ReservationStatus.WAITLISTED
            return Reservation.objects.create(session=session, participant=participant, status=status)
    except IntegrityError:
        # The same participant racing themselves: the unique constraint kept one, the seat was rolled back.
        return Reservation.objects.get(session=session, participant=participant)


def cancel_reservation(*, session, participant):
    """Give a seat (or waitlist place) back; a freed seat goes to the first person on the waitlist.

    One transaction: delete the reservation, then either promote the oldest
    waitlisted reservation (locked, so two cancellations never promote the same
    person) and e-mail them after commit, or free the seat.
    """
    with transaction.atomic():
        reservation = Reservation.objects.select_for_update().filter(session=session, participant=participant).first()
        if reservation is None:
            return None
        reservation.delete()
        if reservation.status != ReservationStatus.CONFIRMED:
            return None
        waiting = (
            Reservation.objects.select_for_update()
            # An erased person's place is not offered (their reservations go at erasure; older data may remain).
            .filter(session=session, status=ReservationStatus.WAITLISTED, participant__anonymized_at__isnull=True)
            .order_by("created_at", "pk")
            .first()
        )
        if waiting is None:
            Session.objects.filter(pk=session.pk, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)
            return None
        waiting.status = ReservationStatus.CONFIRMED
        waiting.promoted_at = timezone.now()
        waiting.save(update_fields=["status", "promoted_at"])
        enqueue("sessions.tasks.send_promotion_mail", waiting.pk)
        return waiting


def _require_published(session, participant):
    if session.event_id != participant.event_id or session.cancelled_at or not selectors.is_published(session):
        raise NotReservable("not_published", _("This session is not on the published agenda."))
    if participant.status != ParticipantStatus.APPROVED:
        raise NotReservable("not_approved", _("Only approved participants can build their own agenda."))
