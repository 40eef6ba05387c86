"""Scanner devices: bearer tokens with the `checkin:scan` scope that organizers hand to door hardware."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from events import audit, permissions
from events.errors import NotFound, PermissionDenied
from events.models import ApiToken
from events.services import issue_api_token

from ..models import DevicePairing

SCAN_SCOPE = permissions.SCAN  # a device holds this one scope


def _require_organizer(by):
    if not permissions.is_organizer(by):
        raise PermissionDenied("forbidden", _("Only organizers manage scanner devices."))


def scanner_devices(event):
    """The event's scanner device tokens, newest first, revoked ones included: one query.

    Scopes are a JSON list and SQLite has no JSON `contains`; the token table is
    small (a few per door), so the scope is checked here.
    """
    paired = DevicePairing.objects.filter(device=OuterRef("pk"))
    tokens = (
        ApiToken.objects.filter(event=event)
        .select_related("user")
        .annotate(paired=Exists(paired))
        .order_by("-created_at")
    )
    return [api_token for api_token in tokens if SCAN_SCOPE in (api_token.scopes or [])]


def gates(event):
    """The gates named on the event's scanner devices not revoked, sorted: the scanner's gate picker offers them."""
    return sorted({device.gate for device in scanner_devices(event) if device.gate and device.revoked_at is None})


def create_scanner_device(*, event, name, gate="", by):
    """Issue a device token for one event, acting as the organizer `by`, limited to scanning.

    Returns (token, secret): the secret is returned once and only its SHA-256 is stored.
    """
    _require_organizer(by)
    api_token, secret = issue_api_token(user=by, name=name, scopes=[SCAN_SCOPE])
    api_token.event, api_token.gate = event, gate
    api_token.save(update_fields=["event", "gate"])
    return api_token, secret


def revoke_scanner_device(*, event, token_id, by):
    """Stop a device token at once (the row stays for the scan log); revoking twice is a no-op.

    A paired phone's device account is deactivated too, so its session ends at its
    next request (Django signs inactive users out). Audit-logged once.
    """
    _require_organizer(by)
    api_token = ApiToken.objects.filter(pk=token_id, event=event).first()
    if api_token is None or SCAN_SCOPE not in (api_token.scopes or []):
        raise NotFound("device_not_found", _("No such scanner device."))
    revoked = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        if DevicePairing.objects.filter(device=api_token).exists():
            get_user_model().objects.filter(pk=api_token.user_id).update(is_active=False)
        audit.record(action="ticketing.device.revoked", actor=by, obj=api_token, event=event, name=api_token.name)
    return api_token


def device_event_slug(api_token, requested_slug):
    """The event a door request is for: a bound device's own event, or the one the request names.

    A device bound to one event cannot be pointed at another (PermissionDenied), so a
    lost device token scans, searches and admits for its own event only.
    """
    if api_token is None or api_token.event_id is None:
        return requested_slug
    if requested_slug and requested_slug != api_token.event.slug:
        raise PermissionDenied("device_other_event", _("This scanner device is registered for another event."))
    return api_token.event.slug
