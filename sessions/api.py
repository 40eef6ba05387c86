"""Agenda API: the published agenda (public), the draft and publishing (organizers), own seats (attendees).

Each operation parses, checks who is asking, calls one service and shapes the
answer; domain errors become JSON in conference.api, conflicts answer 409 with
the list of conflicts.
"""

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from events import permissions
from events import selectors as event_selectors
from events.common.api import STAFF_AUTH, RegistrationTokenAuth, require, require_event
from events.schemas import ErrorOut, RowId

from . import selectors, services
from .errors import ConflictsFound
from .models import Reservation, Session
from .schemas import (
    AgendaOut,
    ConflictsOut,
    DraftOut,
    DraftSessionOut,
    PublicationOut,
    ReservationOut,
    SessionIn,
    SessionPatch,
)

router = Router(tags=["agenda"])


@router.get(
    "/events/{slug}/agenda",
    operation_id="read_published_agenda",
    response={200: AgendaOut, 404: ErrorOut},
    auth=None,
    summary="Published agenda",
)
def published_agenda(request, slug: str):
    """The latest published agenda of an event: days, rooms, sessions with their speakers and moderators, times
    in the event's time zone. No login needed.
    """
    return selectors.published_agenda(event_selectors.public_event(slug))


@router.get(
    "/events/{slug}/agenda/versions",
    operation_id="list_agenda_versions",
    response={200: list[PublicationOut], 404: ErrorOut},
    auth=None,
    summary="Published versions and their changelogs",
)
def versions(request, slug: str):
    """Every published version of the agenda with its changelog (what moved, what was added or dropped), newest
    first.
    """
    event = event_selectors.public_event(slug)
    return selectors.publications(event)


@router.get(
    "/events/{slug}/agenda/draft",
    operation_id="read_agenda_draft",
    response={200: DraftOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF_AUTH,
    summary="The working draft with live conflicts (organizers)",
)
def draft(request, slug: str):
    """The organizers' working draft of the agenda with the conflicts it has now (a room or a speaker twice at
    once). Needs an organizer of that event (scope agenda:write).
    """
    require(request, permissions.WRITE_AGENDA)
    event = event_selectors.event_for_staff(slug)
    require_event(request, event)
    require_event(request, event)
    return selectors.builder_data(event)


@router.post(
    "/events/{slug}/agenda/sessions",
    response={201: DraftSessionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictsOut},
    auth=STAFF_AUTH,
    summary="Add a session to the draft (organizers)",
)
def create_session(request, slug: str, payload: SessionIn):
    """Adds a session to the draft agenda; answers the session with any conflicts it creates. Needs an organizer
    of that event.
    """
    require(request, permissions.WRITE_AGENDA)
    event = event_selectors.event_for_staff(slug)
    require_event(request, event)
    changes = payload.dict(exclude={"people", "override"})
    people = [(person.participant_id, person.role) for person in payload.people]
    try:
        session = services.create_session(
            event=event, changes=changes, people=people, by=request.user, override=payload.override
        )
    except ConflictsFound as error:
        return Status(409, _conflicts(error))
    return Status(201, _reload(session))


@router.patch(
    "/agenda/sessions/{session_id}",
    response={200: DraftSessionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictsOut},
    auth=STAFF_AUTH,
    summary="Move, resize or edit a draft session (organizers)",
)
def update_session(request, session_id: RowId, payload: SessionPatch):
    """Moves, resizes or edits a draft session; only the fields sent change. Needs an organizer of the session's
    event.
    """
    require(request, permissions.WRITE_AGENDA)
    session = get_object_or_404(Session, pk=session_id, cancelled_at__isnull=True)
    require_event(request, session.event_id)
    changes = payload.dict(exclude={"people", "override"}, exclude_unset=True)
    people = None if payload.people is None else [(p.participant_id, p.role) for p in payload.people]
    try:
        session = services.update_session(
            session=session, changes=changes, people=people, by=request.user, override=payload.override
        )
    except ConflictsFound as error:
        return Status(409, _conflicts(error))
    return Status(200, _reload(session))


@router.delete(
    "/agenda/sessions/{session_id}",
    operation_id="delete_session",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF_AUTH,
    summary="Take a session off the draft (organizers)",
)
def remove_session(request, session_id: RowId):
    """Takes a session off the draft agenda; published versions keep it until the next publication. Needs an
    organizer of the session's event.
    """
    require(request, permissions.WRITE_AGENDA)
    session = get_object_or_404(Session.objects.select_related("event"), pk=session_id, cancelled_at__isnull=True)
    require_event(request, session.event_id)
    services.remove_session(session=session, by=request.user)
    return Status(204, None)


@router.post(
    "/events/{slug}/agenda/publications",
    operation_id="publish_agenda",
    response={201: PublicationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=STAFF_AUTH,
    summary="Publish the draft as the next version (organizers)",
)
def publish(request, slug: str):
    """Publishes the draft as the next agenda version with its changelog; attendees with a reservation are told
    of changes. Needs an organizer of that event.
    """
    require(request, permissions.WRITE_AGENDA)
    event = event_selectors.event_for_staff(slug)
    require_event(request, event)
    return Status(201, services.publish_agenda(event=event, by=request.user))


@router.post(
    "/agenda/sessions/{session_id}/reservation",
    operation_id="reserve_seat",
    response={200: ReservationOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    auth=RegistrationTokenAuth(),
    summary="Reserve a seat, or a waitlist place when full (X-Registration-Token)",
)
def reserve(request, session_id: RowId):
    """Reserves a seat in a session for the token's holder, or a place on its waiting list when full; reserving
    twice answers the existing reservation.
    """
    session = get_object_or_404(Session.objects.select_related("event"), pk=session_id)
    reservation = services.reserve_seat(session=session, participant=request.auth)
    return _reservation_out(session.pk, reservation)


@router.delete(
    "/agenda/sessions/{session_id}/reservation",
    response={200: ReservationOut, 401: ErrorOut, 404: ErrorOut},
    auth=RegistrationTokenAuth(),
    summary="Give a seat or waitlist place back (X-Registration-Token)",
)
def cancel_reservation(request, session_id: RowId):
    """Gives a seat or waiting-list place back; the next person on the waiting list is offered the seat."""
    session = get_object_or_404(Session, pk=session_id)
    services.cancel_reservation(session=session, participant=request.auth)
    return {"session_id": session.pk, "status": None}


@router.get(
    "/agenda/sessions/{session_id}/reservation",
    operation_id="read_my_reservation",
    response={200: ReservationOut, 401: ErrorOut, 404: ErrorOut},
    auth=RegistrationTokenAuth(),
    summary="My reservation for a session (X-Registration-Token)",
)
def my_reservation(request, session_id: RowId):
    """The token holder's reservation for a session: reserved, waiting (with position) or none."""
    reservation = Reservation.objects.filter(session_id=session_id, participant=request.auth).first()
    return _reservation_out(session_id, reservation)


def _reservation_out(session_id, reservation):
    if reservation is None:
        return {"session_id": session_id, "status": None}
    position = selectors.waitlist_positions(reservation.participant).get(session_id)
    return {"session_id": session_id, "status": reservation.status, "waitlist_position": position}


def _conflicts(error):
    return {"code": error.code, "message": str(error.message), "conflicts": error.conflicts}


def _reload(session):
    return selectors.draft_sessions(session.event_id).get(pk=session.pk)
