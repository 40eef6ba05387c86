"""Events API: public registration, owner status, and organizer vetting.

Each operation parses, checks who is asking, calls one service and shapes the
answer; domain errors become JSON in conference.api.
"""

import datetime
import hashlib

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from . import permissions, selectors, services
from .enums import Category, ParticipantStatus
from .errors import DomainError, PermissionDenied
from .forms import ChannelFormSet, RegistrationForm
from .models import ApiToken, Participant
from .schemas import (
    BulkDecisionIn,
    BulkDecisionOut,
    DecisionIn,
    ErrorOut,
    EventOut,
    ParticipantOut,
    RegistrationIn,
    RegistrationOut,
    RegistrationStatusOut,
    ValidationErrorOut,
)

router = Router(tags=["events"])

LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` for scripts and devices; the request acts as the token's user."""

    def authenticate(self, request, token):
        digest = hashlib.sha256(token.encode()).hexdigest()
        api_token = ApiToken.objects.select_related("user", "event").filter(key_sha256=digest, revoked_at__isnull=True).first()
        if api_token is None or not api_token.user.is_active:
            return None
        now = timezone.now()
        # "Last used" to the minute: a scanner device would otherwise write this row on every scan.
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class RegistrationTokenAuth(APIKeyHeader):
    """`X-Registration-Token`: the secret returned when registering; reads only that registration."""

    param_name = "X-Registration-Token"

    def authenticate(self, request, key):
        return Participant.objects.select_related("event").filter(token=key).first() if key else None


# Token first: ninja stops at a session auth whose CSRF check fails, so a bearer
# request without a CSRF cookie must be recognised before it gets there.
STAFF_AUTH = [TokenAuth(), SessionAuth()]


def require(request, predicate, scope):
    """Raise 403 unless the user passes the predicate and, for a token, holds the scope.

    The scope must be one of events.permissions.TOKEN_SCOPES, the single list.
    """
    if scope not in permissions.TOKEN_SCOPES:
        raise ValueError(f"Unknown scope {scope!r}: declare it in events.permissions.PERMISSIONS")
    token = getattr(request, "api_token", None)
    if not predicate(request.user) or (token is not None and scope not in token.scopes):
        raise PermissionDenied("forbidden", _("You are not allowed to do this."))


@router.get("/events", response=list[EventOut], auth=None, summary="Published events")
def list_events(request):
    return list(selectors.public_events())


@router.post(
    "/events/{slug}/registrations",
    response={201: RegistrationOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut},
    auth=None,
    summary="Register for an event",
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
    participant = services.register_participant(
        event=event,
        category=payload.category,
        fields=form.participant_fields(),
        channels=channels.channels() if channels else (),
        consents=form.consented_purposes(),
        invitation_code=form.cleaned_data.get("invitation_code", ""),
    )
    return Status(201, participant)


def _formset_data(channels):
    data = {"channels-TOTAL_FORMS": str(len(channels)), "channels-INITIAL_FORMS": "0"}
    for index, channel in enumerate(channels):
        for key, value in channel.dict().items():
            data[f"channels-{index}-{key}"] = value
    return data


class FormInvalid(Exception):
    """Field-level errors from the registration forms, answered as 422."""

    def __init__(self, errors):
        self.errors = errors


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
    response={200: RegistrationStatusOut, 401: ErrorOut},
    auth=RegistrationTokenAuth(),
    summary="My registration's status (X-Registration-Token)",
)
def registration_status(request):
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
    require(request, permissions.can_read_participants, "participants:read")
    event = selectors.event_for_staff(slug)
    return selectors.participants(event=event, category=category, status=status, search=search)


@router.post(
    "/participants/{participant_id}/decision",
    response={200: RegistrationStatusOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=STAFF_AUTH,
    summary="Approve, reject or waitlist an application (organizers)",
)
def decide(request, participant_id: int, payload: DecisionIn):
    require(request, permissions.can_decide_applications, "participants:decide")
    participant = get_object_or_404(Participant.objects.select_related("event"), pk=participant_id)
    return services.decide_application(
        participant=participant, decision=payload.decision, reason=payload.reason, by=request.user
    )


@router.post(
    "/events/{slug}/decisions",
    response={200: BulkDecisionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF_AUTH,
    summary="One decision for many applications (organizers)",
)
def decide_many(request, slug: str, payload: BulkDecisionIn):
    require(request, permissions.can_decide_applications, "participants:decide")
    event = selectors.event_for_staff(slug)
    participants = Participant.objects.filter(event=event, pk__in=payload.participant_ids).select_related("event")
    changed = services.decide_applications(
        participants=participants, decision=payload.decision, reason=payload.reason, by=request.user
    )
    return {"changed": changed}
