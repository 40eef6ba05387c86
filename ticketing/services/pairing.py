"""Pairing a phone as a scanner device without a password at the door (like pretix's device setup).

An organizer creates a pairing on the scanner devices page and shows its QR code
or its 8-character code; the phone opens the QR's address or types the code,
and becomes a scanner device for that event: a device account of its own (door
staff, no password) holding a device token bound to the event and limited to
scanning. The phone's session carries the token (ticketing.middleware), so
revoking the device on the same page stops the phone at its next request.

Codes: 8 characters from an alphabet without 0/O/1/I (32^8 ≈ 10^12), valid
PAIRING_MINUTES, used once (a conditional UPDATE, so two phones racing for one
code cannot both win), stored as SHA-256 only. Attempts are rate-limited by
URL name in conference.security.
"""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import audit, permissions
from events.errors import DomainError, PermissionDenied
from events.services import issue_api_token

from ..models import DevicePairing
from .devices import SCAN_SCOPE

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
PAIRING_MINUTES = 10


class PairingCodeInvalid(DomainError):
    pass


def normalize_code(code):
    """Upper case without spaces or dashes: what a person types from the screen ("abcd-2345")."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _digest(code):
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def create_pairing(*, event, name, gate="", by):
    """Make a one-time pairing code for a phone at `gate` of `event`; returns (pairing, code). Audit-logged.

    The code is returned once; only its SHA-256 is stored.
    """
    if not permissions.is_organizer(by):
        raise PermissionDenied("forbidden", _("Only organizers manage scanner devices."))
    code = "".join(secrets.choice(CODE_ALPHABET) for _index in range(CODE_LENGTH))
    pairing = DevicePairing.objects.create(
        event=event,
        name=name,
        gate=gate,
        code_sha256=_digest(code),
        created_by=by,
        expires_at=timezone.now() + timedelta(minutes=PAIRING_MINUTES),
    )
    audit.record(action="ticketing.device.pairing_created", actor=by, obj=pairing, name=name, gate=gate)
    return pairing, code


def redeem_pairing(*, code):
    """Use a pairing code once: make the device account and its token; returns the token (its user is the device).

    Steps, in one transaction: claim the code with a conditional UPDATE (unused and
    not expired, so it works once even under a race); create the device account in
    the door staff group with no usable password; issue a token bound to the event,
    limited to scanning; link it to the pairing; audit-log. A wrong, used or expired
    code raises PairingCodeInvalid, the same message for each so guessing learns nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = DevicePairing.objects.filter(
            code_sha256=_digest(code), used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if claimed != 1:
            raise PairingCodeInvalid(
                "pairing_code_invalid",
                _("This code is wrong, expired or already used. Ask an organizer for a new code."),
                field="code",
            )
        pairing = DevicePairing.objects.select_related("event", "created_by").get(code_sha256=_digest(code))
        device_user = _device_account(pairing)
        api_token, _secret = issue_api_token(
            user=device_user, name=pairing.name, scopes=[SCAN_SCOPE], by=pairing.created_by
        )
        api_token.event, api_token.gate = pairing.event, pairing.gate
        api_token.save(update_fields=["event", "gate"])
        DevicePairing.objects.filter(pk=pairing.pk).update(device=api_token)
        audit.record(action="ticketing.device.paired", obj=pairing, event=pairing.event, device=api_token.pk)
    return api_token


def _device_account(pairing):
    """A door-staff account for one phone: it signs in only by pairing (no usable password)."""
    user = get_user_model()(username=f"device-{pairing.pk}-{secrets.token_hex(3)}", first_name=pairing.name[:150])
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=permissions.DOOR_STAFF))
    return user
