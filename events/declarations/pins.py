"""The signing PIN: how a participant proves at the signing kiosk that it is them, not the staff member.

The kiosk knows who is in front of it from the scanned badge, but a badge can be held by anyone and a
staff member alone must not be able to sign for someone who is not there. So the kiosk also asks for
six digits that only the participant has: shown on their personal page and in the e-mail with their
badge, never in the admin.

The PIN is derived, not stored: HMAC-SHA256 of the participant's secret token under `SECRET_KEY`
(Django's `salted_hmac`), reduced to six digits. It changes whenever the token does (erasure gives a
new one). After `MAX_FAILURES` wrong tries within `LOCK_SECONDS` the kiosk refuses that participant,
even with the right PIN, so the million PINs cannot be tried at a kiosk; signing online still works.
"""

import hashlib

from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from ..errors import DomainError

SALT = "events.declarations.signing-pin"
MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def signing_pin(participant):
    """The participant's six-digit signing PIN."""
    digest = salted_hmac(SALT, participant.token, algorithm="sha256").digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def _failures_key(participant):
    # Keyed on the token, not the id: a new token (erasure) starts afresh, and ids are reused by tests.
    return "signing-pin-failures:" + hashlib.sha256(participant.token.encode()).hexdigest()[:32]


def check_signing_pin(participant, typed):
    """Raise unless `typed` is the participant's PIN and they are not locked out; a miss counts."""
    key = _failures_key(participant)
    if (cache.get(key) or 0) >= MAX_FAILURES:
        raise DomainError(
            "pin_locked",
            _("Too many wrong PINs for this badge. Sign on your personal page, or try again in 15 minutes."),
            field="pin",
        )
    if constant_time_compare((typed or "").strip(), signing_pin(participant)):
        cache.delete(key)
        return
    if not cache.add(key, 1, LOCK_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, LOCK_SECONDS)
    raise DomainError(
        "pin_wrong",
        _("This PIN is not right. It is on your personal page and in the e-mail with your badge."),
        field="pin",
    )
