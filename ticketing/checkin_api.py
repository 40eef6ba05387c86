"""The door's API: scans, admission by name, the supervisor's undo, arrivals, the offline lists and sync, and
the badge desk (print on arrival). Every operation needs door staff (scope checkin:scan, or the one named)
for the event asked about; a paired device acts only for its own event.
"""

import base64

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router

from events import permissions
from events import selectors as event_selectors
from events.common.api import STAFF_AUTH, require
from events.enums import ConsentPurpose, Language
from events.errors import NotFound
from events.models import Event, normalize_text
from events.schemas import ErrorOut, RowId, ValidationErrorOut

from . import selectors
from .models.checkin import WHOLE_EVENT
from .schemas import (
    AdmitIn,
    ArrivalsOut,
    DeskAdmitIn,
    DeskOut,
    DeskScanIn,
    DoorSearchOut,
    OfflineDataOut,
    ScanIn,
    ScanOut,
    SyncIn,
    SyncOut,
    UndoOut,
    WalkInIn,
)
from .services import checkin, desk, devices, offline

router = Router(tags=["ticketing"])


def _door(request, requested_event):
    """Check that the caller may scan; (its device token or None, the event slug it works for)."""
    require(request, permissions.SCAN)
    device = getattr(request, "api_token", None)
    return device, devices.device_event_slug(device, requested_event)


def _scan_out(outcome, session_id=None):
    participant = outcome.participant
    return {
        "result": outcome.result,
        "message": outcome.message,
        "participant": None
        if participant is None
        else {
            "name": participant.full_name,
            "category": participant.category,
            "organization": participant.organization,
            "title": participant.title,
        },
        "checked_in_at": outcome.checked_in_at,
        "gate": outcome.gate,
        "check_in_id": outcome.check_in_id,
        "seats_left": selectors.session_seats_left(session_id) if session_id else None,
    }


@router.post(
    "/checkin/scan",
    operation_id="scan_badge",
    response={200: ScanOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=STAFF_AUTH,
    summary="Judge a scanned badge code at a gate and admit its holder once (door staff, scope checkin:scan)",
)
def checkin_scan(request, payload: ScanIn):
    """Judges a scanned badge code at a gate: admitted (the first time only, even under concurrent scans),
    already checked in, revoked, wrong event, no valid ticket or invalid. Needs door staff with scope
    checkin:scan; a device token acts for its own event only.
    """
    device, event_slug = _door(request, payload.event)
    outcome = checkin.scan(
        code=payload.code,
        gate=payload.gate,
        session_id=payload.session,
        event_slug=event_slug,
        by=request.user,
        device=device,
    )
    return _scan_out(outcome, session_id=payload.session)


@router.get(
    "/checkin/arrivals",
    operation_id="list_arrivals",
    response={200: ArrivalsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF_AUTH,
    summary=(
        "Live arrivals of an event: counts, arrivals per 5 minutes, last scans "
        "(organizers and door supervisors, scope checkin:read)"
    ),
    url_name="checkin_arrivals",
)
def checkin_arrivals(request, event: str):
    """Live arrivals of an event: counts inside, arrivals per 5 minutes and the latest scans, in the event's time
    zone. Needs scope checkin:read for that event.
    """
    require(request, permissions.READ_ARRIVALS)
    event = devices.device_event_slug(getattr(request, "api_token", None), event)
    return selectors.arrivals(event_selectors.event_for_staff(event))


@router.post(
    "/checkin/{check_in_id}/undo",
    operation_id="undo_check_in",
    response={200: UndoOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=STAFF_AUTH,
    summary="Undo a mistaken admission (door supervisors, scope checkin:undo)",
)
def checkin_undo(request, check_in_id: RowId):
    """Undoes a mistaken admission so the badge can be scanned again; the undo is audit-logged with its reason.
    Needs a door supervisor (scope checkin:undo) of that event.
    """
    require(request, permissions.UNDO_SCAN)
    check_in = checkin.undo(check_in_id=check_in_id, by=request.user, device=getattr(request, "api_token", None))
    return {"check_in_id": check_in.pk, "undone_at": check_in.undone_at}


@router.post(
    "/checkin/admit",
    operation_id="admit_participant",
    response={200: ScanOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=STAFF_AUTH,
    summary="Admit a participant found by name search, once (door staff, scope checkin:scan); answers like a scan",
)
def checkin_admit(request, payload: AdmitIn):
    """Admits a participant found by name search, once, and answers exactly like a scan. Needs door staff with
    scope checkin:scan for that event.
    """
    device, event_slug = _door(request, payload.event)
    outcome = checkin.admit_by_name(
        participant_id=payload.participant,
        event_slug=event_slug,
        gate=payload.gate,
        session_id=payload.session,
        by=request.user,
        device=device,
    )
    return _scan_out(outcome, session_id=payload.session)


@router.get(
    "/checkin/search",
    operation_id="search_participants",
    response={200: list[DoorSearchOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=STAFF_AUTH,
    summary="Find an event's participants by name or organization, accents ignored (door staff, scope checkin:scan)",
)
def checkin_search(request, event: str, q: str = Query(..., min_length=1, max_length=100)):
    """Finds an event's participants by name or organization, ignoring accents ("Cuong" finds "Cường"), for
    admission at the door. Needs scope checkin:scan for that event.
    """
    _device, event_slug = _door(request, event)
    found = Event.objects.filter(slug=event_slug).first()
    if found is None:
        raise NotFound("event_not_found", _("No such event."))
    return selectors.door_search(found, q)


@router.get(
    "/checkin/offline-data",
    operation_id="download_offline_data",
    response={200: OfflineDataOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=STAFF_AUTH,
    summary="What a door device keeps to check badges offline: keys, badge versions, names, admissions "
    "(door staff, scope checkin:scan)",
)
def checkin_offline_data(request, response: HttpResponse, event: str = Query(..., max_length=50)):
    """What a door device stores to keep admitting when the network fails: the signing keys, each badge's current
    version, names and the admissions so far. Needs scope checkin:scan for that event.
    """
    _device, event_slug = _door(request, event)
    data = offline.offline_data(event_selectors.event_for_staff(event_slug))
    response["Cache-Control"] = "private, no-store"  # every badge holder's name: for the device's own store only
    keys = [{**key, "public_key": base64.b64encode(key["public_key"]).decode()} for key in data["keys"]]
    return {**data, "keys": keys}


@router.post(
    "/checkin/sync",
    operation_id="sync_offline_scans",
    response={200: SyncOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=STAFF_AUTH,
    summary="Send a device's offline scans in order; each is applied once at its original time "
    "(door staff, scope checkin:scan)",
)
def checkin_sync(request, payload: SyncIn):
    """Sends a device's offline scans in the order they happened; each is applied once at its original time,
    duplicates and conflicts are reported per scan, and one bad scan never blocks the rest. Needs scope
    checkin:scan for that event.
    """
    device, event_slug = _door(request, payload.event)
    scans = [
        offline.DeviceScan(
            client_id=scan.client_id,
            code=scan.code or "",
            participant_id=scan.participant,
            gate=scan.gate,
            scanned_at=scan.scanned_at,
            session_id=scan.session or WHOLE_EVENT,
            offline_result=scan.offline_result,
            printed=scan.printed,
        )
        for scan in payload.scans
    ]
    outcomes = offline.sync_scans(
        event_slug=event_slug,
        device_id=payload.device_id,
        scans=scans,
        by=request.user,
        device=device,
    )
    return {"results": outcomes}


# --- The badge desk: print on arrival ---------------------------------------------------------

DESK_RESPONSES = {
    200: DeskOut,
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}


def _desk_out(desk):
    before = desk.printed_before
    return {
        **_scan_out(desk.scan),
        "printed": desk.printed is not None,
        "print_id": desk.printed.pk if desk.printed else None,
        "reprint_needs_reason": desk.reprint_needs_reason,
        "printed_before_at": before.printed_at if before else None,
        "printed_before_gate": before.gate if before else None,
    }


def _desk_door(request, payload):
    device, event_slug = _door(request, payload.event)
    return checkin.Door(gate=payload.gate, by=request.user, event_slug=event_slug, device=device)


@router.post(
    "/checkin/desk/scan",
    operation_id="print_badge_on_arrival",
    response=DESK_RESPONSES,
    auth=STAFF_AUTH,
    summary="At a badge desk: judge a scanned badge, admit its holder (or only print) and print the badge once "
    "(door staff, scope checkin:scan)",
)
def desk_scan(request, payload: DeskScanIn):
    """Judges a badge scanned at a badge desk like a door scan, admits its holder (mode "admit") or not
    (mode "print"), and sends the badge to the desk's printer. A badge printed before is printed again only
    with a `reason` (answered with reprint_needs_reason otherwise). Needs scope checkin:scan for that event.
    """
    door = _desk_door(request, payload)
    return _desk_out(desk.desk_scan(payload.code, door=door, mode=payload.mode, reason=payload.reason))


@router.post(
    "/checkin/desk/admit",
    operation_id="print_badge_by_name",
    response=DESK_RESPONSES,
    auth=STAFF_AUTH,
    summary="At a badge desk: admit a person found by name (or only print) and print their badge "
    "(door staff, scope checkin:scan)",
)
def desk_admit(request, payload: DeskAdmitIn):
    """Admits a person found by name at a badge desk (mode "admit") or not (mode "print") and prints their
    badge, issuing it first if they hold a valid ticket and no badge yet. Needs scope checkin:scan.
    """
    door = _desk_door(request, payload)
    return _desk_out(desk.desk_by_name(payload.participant, door=door, mode=payload.mode, reason=payload.reason))


@router.post(
    "/checkin/desk/walk-in",
    operation_id="register_walk_in",
    response=DESK_RESPONSES,
    auth=STAFF_AUTH,
    summary="At a badge desk: register a person who arrives unregistered, approve, admit and print "
    "(desk staff with scope participants:decide)",
)
def desk_walk_in(request, payload: WalkInIn):
    """Registers a walk-in as an approved participant, admits them (mode "admit") and prints their badge.
    Needs door staff who may approve applications (scopes checkin:scan and participants:decide).
    """
    require(request, permissions.DECIDE_APPLICATIONS)
    door = _desk_door(request, payload)
    language = translation.get_language() or ""
    fields = {
        "full_name": normalize_text(payload.full_name),
        "email": payload.email.strip().lower(),
        "organization": normalize_text(payload.organization),
        "title": normalize_text(payload.title),
        # The consent texts were shown in the desk page's language: the record names that language.
        "language": language[:2] if language[:2] in Language.values else Language.VI,
    }
    consents = [ConsentPurpose.PARTICIPATION] if payload.consent_participation else []
    consents += [ConsentPurpose.UPDATES] if payload.consent_updates else []
    outcome = desk.desk_walk_in(
        fields=fields, category=payload.category, consents=consents, door=door, mode=payload.mode
    )
    return _desk_out(outcome)
