"""Events API: public registration, owner status, and organizer vetting.

Each operation parses, checks who is asking, calls one service and shapes the
answer; domain errors become JSON in conference.api.
"""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from . import links, permissions, selectors, services
from .common.api import STAFF_AUTH, FormInvalid, RegistrationTokenAuth, require, require_event
from .enums import Category, ParticipantStatus
from .errors import DomainError
from .forms import ChannelFormSet, RegistrationForm
from .models import Participant
from .schemas import (
    BulkDecisionIn,
    BulkDecisionOut,
    DecisionIn,
    ErrorOut,
    EventOut,
    LinkIn,
    ParticipantOut,
    RegistrationIn,
    RegistrationReceivedOut,
    RegistrationStatusOut,
    RegistrationTokenOut,
    RowId,
    ValidationErrorOut,
)

router = Router(tags=["events"])


@router.get("/events", response=list[EventOut], auth=None, summary="Published events")
def list_events(request):
    """Every published event with its dates, venue and time zone; no login needed."""
    return list(selectors.public_events())


@router.post(
    "/events/{slug}/registrations",
    operation_id="register_participant",
    response={202: RegistrationReceivedOut, 400: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=None,
    summary="Register for an event",
    description="Answers 202 alike for a new and an already registered address (nobody learns who "
    "registered). The personal link is e-mailed to the address; exchange it for a registration token "
    "with POST /events/{slug}/registration/token.",
)
def register(request: HttpRequest, slug: str, payload: RegistrationIn):
    event = selectors.public_event(slug)
    if payload.category not in Category.values:
        raise DomainError("unknown_category", _("Unknown participant category."), field="category")
    form = RegistrationForm(payload.dict(exclude={"channels", "category"}), category=payload.category)
    channels = None
    if payload.category == Category.KOL:
        channels = ChannelFormSet(_formset_data(payload.channels), prefix="channels")
    _raise_if_invalid(form, channels)
    services.register_participant(
        event=event,
        category=payload.category,
        fields=form.participant_fields(),
        channels=channels.channels() if channels else (),
        consents=form.consented_purposes(),
        invitation_code=form.cleaned_data.get("invitation_code", ""),
    )
    return Status(
        202,
        {
            "status": "received",
            "message": _("Registration received. Open the link we e-mailed to this address to continue."),
        },
    )


@router.post(
    "/events/{slug}/registration/token",
    operation_id="exchange_personal_link",
    response={200: RegistrationTokenOut, 400: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=None,
    summary="Exchange a personal link for a registration token",
    description="The personal link e-mailed to a participant (the whole address or its last part) proves "
    "the address is theirs; it is spent, as when opened in a browser.",
)
def exchange_link(request: HttpRequest, slug: str, payload: LinkIn):
    event = selectors.public_event(slug)
    signed = payload.link.rstrip("/").rsplit("/", 1)[-1]
    participant = links.spend_link(event, signed)
    return {"token": participant.token, "registration": participant}


def _formset_data(channels):
    data = {"channels-TOTAL_FORMS": str(len(channels)), "channels-INITIAL_FORMS": "0"}
    for index, channel in enumerate(channels):
        for key, value in channel.dict().items():
            data[f"channels-{index}-{key}"] = value
    return data


def _raise_if_invalid(form, channels):
    errors = {} if form.is_valid() else {field: [str(m) for m in msgs] for field, msgs in form.errors.items()}
    if channels is not None and not channels.is_valid():
        for index, channel_errors in enumerate(channels.errors):
            for field, msgs in channel_errors.items():
                errors[f"channels.{index}.{field}"] = [str(m) for m in msgs]
        if channels.non_form_errors():
            errors["channels"] = [str(m) for m in channels.non_form_errors()]
    if errors:
        raise FormInvalid(errors)


@router.get(
    "/registration",
    operation_id="read_my_registration",
    response={200: RegistrationStatusOut, 401: ErrorOut},
    auth=RegistrationTokenAuth(),
    summary="My registration's status (X-Registration-Token)",
)
def registration_status(request):
    """The registration the X-Registration-Token belongs to: category, review status and the next step. The token
    comes from exchanging a personal link (exchange_personal_link).
    """
    return request.auth


@router.get(
    "/events/{slug}/participants",
    response={200: list[ParticipantOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF_AUTH,
    summary="Participants (organizers)",
)
@paginate
def list_participants(
    request,
    slug: str,
    category: Category | None = None,
    status: ParticipantStatus | None = None,
    search: str | None = Query(None, max_length=200),
):
    """An event's participants with category, status and organization, filterable by status and category. Needs
    an organizer of that event (a token bound to another event answers 403).
    """
    require(request, permissions.READ_PARTICIPANTS)
    event = selectors.event_for_staff(slug)
    require_event(request, event)
    return selectors.participants(event=event, category=category, status=status, search=search)


@router.post(
    "/participants/{participant_id}/decision",
    operation_id="decide_application",
    response={200: RegistrationStatusOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=STAFF_AUTH,
    summary="Approve, reject or waitlist an application (organizers)",
)
def decide(request, participant_id: RowId, payload: DecisionIn):
    """Approve, reject or waitlist one application, with an optional reason that is e-mailed to the applicant and
    audit-logged. Needs an organizer of the participant's event.
    """
    require(request, permissions.DECIDE_APPLICATIONS)
    participant = get_object_or_404(Participant.objects.select_related("event"), pk=participant_id)
    require_event(request, participant.event_id)
    return services.decide_application(
        participant=participant, decision=payload.decision, reason=payload.reason, by=request.user
    )


@router.post(
    "/events/{slug}/decisions",
    operation_id="decide_applications",
    response={200: BulkDecisionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF_AUTH,
    summary="One decision for many applications (organizers)",
)
def decide_many(request, slug: str, payload: BulkDecisionIn):
    """The same decision and reason for many applications of one event at once; each is notified and audit-
    logged. Needs an organizer of that event.
    """
    require(request, permissions.DECIDE_APPLICATIONS)
    event = selectors.event_for_staff(slug)
    require_event(request, event)
    participants = Participant.objects.filter(event=event, pk__in=payload.participant_ids).select_related("event")
    changed = services.decide_applications(
        participants=participants, decision=payload.decision, reason=payload.reason, by=request.user
    )
    return {"changed": changed}
