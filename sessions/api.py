"""Agenda API: the published agenda (public), the draft and publishing (organizers), own seats (attendees).

Each operation parses, checks who is asking, calls one service and shapes the
answer; domain errors become JSON in conference.api, conflicts answer 409 with
the list of conflicts.
"""

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from events import permissions
from events import selectors as event_selectors
from events.api import STAFF_AUTH, RegistrationTokenAuth, require
from events.schemas import ErrorOut

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
WRITE_SCOPE = "agenda:write"


@router.get("/events/{slug}/agenda", response={200: AgendaOut, 404: ErrorOut}, auth=None, summary="Published agenda")
def published_agenda(request, slug: str):
    return selectors.published_agenda(event_selectors.public_event(slug))


@router.get(
    "/events/{slug}/agenda/versions",
    response={200: list[PublicationOut], 404: ErrorOut},
    auth=None,
    summary="Published versions and their changelogs",
)
def versions(request, slug: str):
    event = event_selectors.public_event(slug)
    return selectors.publications(event)


@router.get(
    "/events/{slug}/agenda/draft",
    response={200: DraftOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF_AUTH,
    summary="The working draft with live conflicts (organizers)",
)
def draft(request, slug: str):
    require(request, permissions.is_organizer, WRITE_SCOPE)
    return selectors.builder_data(event_selectors.event_for_staff(slug))


@router.post(
    "/events/{slug}/agenda/sessions",
    response={201: DraftSessionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictsOut},
    auth=STAFF_AUTH,
    summary="Add a session to the draft (organizers)",
)
def create_session(request, slug: str, payload: SessionIn):
    require(request, permissions.is_organizer, WRITE_SCOPE)
    event = event_selectors.event_for_staff(slug)
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
def update_session(request, session_id: int, payload: SessionPatch):
    require(request, permissions.is_organizer, WRITE_SCOPE)
    session = get_object_or_404(Session, pk=session_id, cancelled_at__isnull=True)
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
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF_AUTH,
    summary="Take a session off the draft (organizers)",
)
def remove_session(request, session_id: int):
    require(request, permissions.is_organizer, WRITE_SCOPE)
    session = get_object_or_404(Session.objects.select_related("event"), pk=session_id, cancelled_at__isnull=True)
    services.remove_session(session=session, by=request.user)
    return Status(204, None)


@router.post(
    "/events/{slug}/agenda/publications",
    response={201: PublicationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=STAFF_AUTH,
    summary="Publish the draft as the next version (organizers)",
)
def publish(request, slug: str):
    require(request, permissions.is_organizer, WRITE_SCOPE)
    event = event_selectors.event_for_staff(slug)
    return Status(201, services.publish_agenda(event=event, by=request.user))


@router.post(
    "/agenda/sessions/{session_id}/reservation",
    response={200: ReservationOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    auth=RegistrationTokenAuth(),
    summary="Reserve a seat, or a waitlist place when full (X-Registration-Token)",
)
def reserve(request, session_id: int):
    session = get_object_or_404(Session.objects.select_related("event"), pk=session_id)
    reservation = services.reserve_seat(session=session, participant=request.auth)
    return {"session_id": session.pk, "status": reservation.status}


@router.delete(
    "/agenda/sessions/{session_id}/reservation",
    response={200: ReservationOut, 401: ErrorOut, 404: ErrorOut},
    auth=RegistrationTokenAuth(),
    summary="Give a seat or waitlist place back (X-Registration-Token)",
)
def cancel_reservation(request, session_id: int):
    session = get_object_or_404(Session, pk=session_id)
    services.cancel_reservation(session=session, participant=request.auth)
    return {"session_id": session.pk, "status": None}


@router.get(
    "/agenda/sessions/{session_id}/reservation",
    response={200: ReservationOut, 401: ErrorOut, 404: ErrorOut},
    auth=RegistrationTokenAuth(),
    summary="My reservation for a session (X-Registration-Token)",
)
def my_reservation(request, session_id: int):
    reservation = Reservation.objects.filter(session_id=session_id, participant=request.auth).first()
    return {"session_id": session_id, "status": reservation.status if reservation else None}


def _conflicts(error):
    return {"code": error.code, "message": str(error.message), "conflicts": error.conflicts}


def _reload(session):
    return selectors.draft_sessions(session.event_id).get(pk=session.pk)
