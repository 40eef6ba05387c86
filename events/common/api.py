"""API auth for every router: who is asking, and may they do this for this event.

- `TokenAuth`: `Authorization: Bearer <token>`, scripts and scanner devices, acting as the token's user;
- `RegistrationTokenAuth`: `X-Registration-Token`, an attendee reading their own registration;
- `STAFF_AUTH`: what staff operations accept (a bearer token or the signed-in session);
- `require(request, permission)`: 403 unless the caller holds the permission (a token also needs it as a scope);
- `require_event(request, event)`: 403 when the caller's token is bound to another event;
- `FormInvalid`: field errors from a Django form, answered 422 by conference.api.

The permission names and the role table are in events.permissions; tests/test_access_matrix.py
checks every operation against them. The two auth classes read the rows that name a caller
(ApiToken, Participant): the only models this package knows.
"""

import datetime
import hashlib

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from .. import permissions
from ..errors import PermissionDenied
from ..models import ApiToken, Participant

LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` for scripts and devices; the request acts as the token's user."""

    def authenticate(self, request, token):
        digest = hashlib.sha256(token.encode()).hexdigest()
        api_token = (
            ApiToken.objects.select_related("user", "event").filter(key_sha256=digest, revoked_at__isnull=True).first()
        )
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


# The bearer token is tried FIRST: ninja's SessionAuth raises 403 on a failed CSRF check instead of
# passing to the next method, so a device's POST without a CSRF cookie must be recognised before it
# gets there. Pages and browser sessions still get their CSRF checks.
STAFF_AUTH = [TokenAuth(), SessionAuth()]


def require(request, permission):
    """Raise 403 unless the caller's roles grant `permission` and, for a token, its scopes include it.

    `permission` is one of the constants of events.permissions (an unknown name raises ValueError,
    so a typo fails loudly in the tests instead of denying everyone).
    """
    if not permissions.has_permission(request.user, permission, token=getattr(request, "api_token", None)):
        raise PermissionDenied("forbidden", _("You are not allowed to do this."))


def require_event(request, event):
    """Raise 403 when the request's token is bound to another event than `event` (an Event or its id).

    Call it in every operation as soon as the event of what is asked for is known: a token of one
    event must not read another event's participants, badges or signatures, nor change them.
    tests/test_access_matrix.py replays every token operation with another event's token.
    """
    if not permissions.token_covers_event(getattr(request, "api_token", None), getattr(event, "pk", event)):
        raise PermissionDenied("token_other_event", _("This token is registered for another event."))


class FormInvalid(Exception):
    """Field-level errors from a form, answered as 422 by conference.api."""

    def __init__(self, errors):
        self.errors = errors
