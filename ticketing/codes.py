"""Badge codes: the one home of signing and verifying what a badge's QR code holds.

A code is a short binary payload signed with the event's Ed25519 key, written in
Base45 (RFC 9285) so the QR code uses its compact alphanumeric mode:

    byte 0      format version (FORMAT_VERSION)
    bytes 1-4   event id        (unsigned, big-endian)
    bytes 5-8   participant id  (unsigned, big-endian)
    bytes 9-10  badge version   (unsigned, big-endian; a reissue bumps it)
    bytes 11-74 Ed25519 signature over bytes 0-10

75 bytes become 113 Base45 characters: a version 4 QR code at error correction
M (33 × 33 modules). `verify_code` needs only the public key, so a scanner can
check a badge offline; whether the version is still current (revocation) is a
database question, answered by ticketing.services.check_badge_code.

The private key is kept encrypted at rest with a key derived from SECRET_KEY
(HKDF-SHA256); it never leaves this module in clear except to sign.
"""

import base64
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

FORMAT_VERSION = 1
_PAYLOAD = struct.Struct(">BIIH")
SIGNATURE_LENGTH = 64
CODE_BYTES = _PAYLOAD.size + SIGNATURE_LENGTH
BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_BASE45_VALUES = {char: value for value, char in enumerate(BASE45_ALPHABET)}


class CodeError(Exception):
    """A code that does not verify; `reason` is a stable snake_case word."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class BadgeClaim:
    """What a verified code says."""

    event_id: int
    participant_id: int
    version: int


# --- Base45 (RFC 9285) -------------------------------------------------------


def b45encode(data: bytes) -> str:
    out = []
    for index in range(0, len(data) - 1, 2):
        value = data[index] * 256 + data[index + 1]
        value, c = divmod(value, 45)
        e, d = divmod(value, 45)
        out += [BASE45_ALPHABET[c], BASE45_ALPHABET[d], BASE45_ALPHABET[e]]
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += [BASE45_ALPHABET[c], BASE45_ALPHABET[d]]
    return "".join(out)


def b45decode(text: str) -> bytes:
    try:
        values = [_BASE45_VALUES[char] for char in text]
    except KeyError:
        raise CodeError("malformed")
    if len(values) % 3 == 1:
        raise CodeError("malformed")
    out = bytearray()
    for index in range(0, len(values), 3):
        chunk = values[index : index + 3]
        if len(chunk) == 3:
            value = chunk[0] + chunk[1] * 45 + chunk[2] * 45 * 45
            if value > 0xFFFF:
                raise CodeError("malformed")
            out += value.to_bytes(2, "big")
        else:
            value = chunk[0] + chunk[1] * 45
            if value > 0xFF:
                raise CodeError("malformed")
            out.append(value)
    return bytes(out)


# --- Keys --------------------------------------------------------------------


def _fernet():
    # A separate key for each purpose: HKDF with its own "info" label, so the
    # SECRET_KEY itself is never used directly as an encryption key.
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"ticketing.event-key.v1").derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def new_key_pair():
    """A fresh Ed25519 key pair: (encrypted private key as text, raw 32-byte public key)."""
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    raw_public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _fernet().encrypt(raw_private).decode(), raw_public


def key_id(public_key: bytes) -> str:
    """A short, stable name for a public key (first 8 hex digits of its SHA-256)."""
    return hashlib.sha256(public_key).hexdigest()[:8]


def _private_key(encrypted_private_key: str):
    try:
        raw = _fernet().decrypt(encrypted_private_key.encode())
    except InvalidToken:
        # Not a forged badge: the server's own key cannot be read (SECRET_KEY changed).
        raise RuntimeError("The event's badge key cannot be decrypted with this SECRET_KEY.")
    return Ed25519PrivateKey.from_private_bytes(raw)


# --- Codes -------------------------------------------------------------------


def sign_code(encrypted_private_key: str, *, event_id: int, participant_id: int, version: int) -> str:
    """The badge code for one participant's badge version, signed with the event's key."""
    payload = _PAYLOAD.pack(FORMAT_VERSION, event_id, participant_id, version)
    signature = _private_key(encrypted_private_key).sign(payload)
    return b45encode(payload + signature)


def read_claim(code: str) -> BadgeClaim:
    """What a code claims, WITHOUT checking the signature (to find which key to check it with)."""
    raw = b45decode(code.strip())
    if len(raw) != CODE_BYTES:
        raise CodeError("malformed")
    format_version, event_id, participant_id, version = _PAYLOAD.unpack(raw[: _PAYLOAD.size])
    if format_version != FORMAT_VERSION:
        raise CodeError("unknown_format")
    return BadgeClaim(event_id=event_id, participant_id=participant_id, version=version)


def verify_code(public_key: bytes, code: str) -> BadgeClaim:
    """The claim of a code signed by this public key's owner, or CodeError. Needs no database."""
    claim = read_claim(code)
    raw = b45decode(code.strip())
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(raw[_PAYLOAD.size :], raw[: _PAYLOAD.size])
    except InvalidSignature:
        raise CodeError("bad_signature")
    return claim
