"""Reads shared by the agenda's pages, API and exports."""

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _

from events import collation
from events.enums import ParticipantStatus
from events.errors import NotFound
from events.extensions import SessionDoor
from events.models import Participant, localized

from . import conflicts
from .agenda import Agenda
from .enums import ReservationStatus, SessionFormat
from .models import Bookmark, Publication, Reservation, Room, Session, SessionPerson, Track


def draft_sessions(event):
    """The organizers' working sessions with room, track and people: a fixed number of queries."""
    people = SessionPerson.objects.select_related("participant").order_by("position", "pk")
    return (
        Session.objects.filter(event=event)
        .select_related("room", "track")
        .prefetch_related(Prefetch("people", queryset=people))
        .order_by("starts_at", "pk")
    )


def overlapping_slots(session):
    """Slots of the other live sessions of the event that overlap `session` in time."""
    others = draft_sessions(session.event_id).filter(
        cancelled_at__isnull=True, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at
    )
    if session.pk:
        others = others.exclude(pk=session.pk)
    return [conflicts.slot_of(other) for other in others]


def builder_data(event):
    """Everything the builder page draws: rooms, tracks, live sessions with people and their conflicts."""
    sessions = list(draft_sessions(event).filter(cancelled_at__isnull=True))
    slots = {session.pk: conflicts.slot_of(session) for session in sessions}
    found = conflicts.agenda_clashes(list(slots.values()), event=event)
    latest = latest_publication(event)
    return {
        "event": {"slug": event.slug, "start_date": event.start_date, "end_date": event.end_date},
        "published_version": latest.number if latest else None,
        "rooms": list(Room.objects.filter(event=event)),
        "tracks": list(Track.objects.filter(event=event)),
        "sessions": [
            {"session": session, "conflicts": [clash.as_dict() for clash in found[session.pk]]} for session in sessions
        ],
    }


def latest_publication(event):
    return Publication.objects.filter(event=event).order_by("-number").first()


def publications(event):
    """Published versions, newest first, without their (large) snapshots."""
    return list(Publication.objects.filter(event=event).defer("snapshot").order_by("-number"))


def published_agenda(event):
    """The latest published Agenda of the event, or NotFound while nothing is published."""
    publication = latest_publication(event)
    if publication is None:
        raise NotFound("agenda_not_published", _("The agenda has not been published yet."))
    return Agenda.from_publication(publication)


def is_published(session):
    publication = latest_publication(session.event)
    return publication is not None and any(s["id"] == session.pk for s in publication.snapshot["sessions"])


def seats(event):
    """{session id: (capacity, seats taken)} of seat-limited sessions: one query."""
    rows = Session.objects.filter(event=event, capacity__isnull=False).values_list("pk", "capacity", "seats_taken")
    return {pk: (capacity, taken) for pk, capacity, taken in rows}


def personal_choices(participant):
    """({session id}, {session id: reservation status}) of one participant."""
    bookmarks = set(Bookmark.objects.filter(participant=participant).values_list("session_id", flat=True))
    reservations = dict(Reservation.objects.filter(participant=participant).values_list("session_id", "status"))
    return bookmarks, reservations


def waitlist_positions(participant):
    """{session id: place on its waitlist, 1 = next to get a seat} for the sessions the participant waits for.

    Places follow the promotion order of services.cancel_reservation (created_at, then pk): one query.
    """
    waiting = Reservation.objects.filter(status=ReservationStatus.WAITLISTED)
    mine = waiting.filter(participant=participant).values("session_id")
    positions, places = {}, {}
    for session_id, participant_id in (
        waiting.filter(session_id__in=mine)
        .order_by("session_id", "created_at", "pk")
        .values_list("session_id", "participant_id")
    ):
        places[session_id] = places.get(session_id, 0) + 1
        if participant_id == participant.pk:
            positions[session_id] = places[session_id]
    return positions


def personal_agenda(agenda, participant):
    """The participant's chosen sessions in time order, each with the chosen sessions it clashes with."""
    bookmarks, reservations = personal_choices(participant)
    positions = waitlist_positions(participant)
    chosen = [s for s in agenda.sessions if s.id in bookmarks or s.id in reservations]
    entries = []
    for session in chosen:
        clashes = [other for other in chosen if other.id != session.id and session.overlaps(other)]
        entries.append(
            {
                "session": session,
                "bookmarked": session.id in bookmarks,
                "reservation": reservations.get(session.id),
                "waitlist_position": positions.get(session.id),
                "clashes": clashes,
            }
        )
    return entries


def calendar_sessions(agenda, participant):
    """The sessions a participant's calendar shows: bookmarked or holding a confirmed seat."""
    bookmarks, reservations = personal_choices(participant)
    confirmed = {pk for pk, status in reservations.items() if status == ReservationStatus.CONFIRMED}
    return [s for s in agenda.sessions if s.id in bookmarks or s.id in confirmed]


def speaker_choices(event):
    """[{id, name, status}] of the event's participants who are not rejected, for the builder's people picker."""
    rows = (
        Participant.objects.filter(event=event)
        .exclude(status=ParticipantStatus.REJECTED)
        .order_by("pk")
        .values("id", "full_name", "organization", "status")
    )
    rows = collation.sort_people(rows, name=lambda row: row["full_name"])
    return [
        {
            "id": r["id"],
            "name": r["full_name"] + (f" ({r['organization']})" if r["organization"] else ""),
            "status": r["status"],
        }
        for r in rows
    ]


def session_door(session_id, participant_id):
    """What a session's check-in door needs for one participant (events.extensions.SessionDoor): one query.

    A cancelled or unknown session has no door (None). A session that takes
    reservations keeps its confirmed seats for their holders; the rest of the
    room is for walk-ins. A session without reservations offers the whole room.
    """

    reserved = Reservation.objects.filter(
        session=OuterRef("pk"), participant_id=participant_id, status=ReservationStatus.CONFIRMED
    )
    row = (
        Session.objects.filter(pk=session_id, cancelled_at__isnull=True)
        .annotate(reserved=Exists(reserved))
        .values("event_id", "reserved", "seats_taken", "room__capacity")
        .first()
    )
    if row is None:
        return None
    return SessionDoor(
        event_id=row["event_id"],
        reserved=row["reserved"],
        walk_in_seats=max(row["room__capacity"] - row["seats_taken"], 0),
    )


def session_doors(event):
    """The event's sessions (not cancelled) a door scanner can keep, roundtables first, then by start (one query)."""
    from events.extensions import SessionDoorChoice  # as in session_door above

    sessions = (
        Session.objects.filter(event=event, cancelled_at__isnull=True)
        .select_related("room")
        .order_by("starts_at", "pk")
    )
    roundtables_first = sorted(sessions, key=lambda session: session.format != SessionFormat.ROUNDTABLE)
    return [
        SessionDoorChoice(
            session_id=session.pk,
            title=localized(session, "title"),
            starts_at=session.starts_at,
            room=localized(session.room, "name"),
        )
        for session in roundtables_first
    ]
