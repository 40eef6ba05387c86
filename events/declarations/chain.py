"""The declaration chain: canonical texts, entry hashes and verification. The one home of the hashing.

Canonical text of a version (what its SHA-256 is taken over, and what
/declarations/<slug>/v<n>.txt serves byte for byte so anyone can run
`sha256sum` on it): both languages, because signers are shown both and commit
to both:

    <title_vi> LF LF <body_vi> LF LF ---- LF LF <title_en> LF LF <body_en> LF

each part NFC-normalized, line endings turned into LF, trailing spaces of every
line and blank lines at both ends removed, encoded as UTF-8.

Entry hash: SHA-256 of the UTF-8 JSON of the entry's content (keys sorted, no
spaces, non-ASCII kept, format tag "kol-declaration-chain/1"): previous entry
hash (64 zeros for the first), sequence, declaration id, version id and text
hash, action (and which entry a withdrawal withdraws), participant id, category,
role, signer commitment, public-list choice, method, kiosk, staff user id, time
(UTC, microseconds) and the salted digests of IP address and user agent.

The signer is hashed as a commitment, SHA-256(participant id, name and
organization as signed, per-entry random salt), never as the raw name: after retention the name, salt,
IP and user agent may be erased (blanked) while every hash still verifies. While
they are present, verification checks them against their digests, so editing
them is detected too.

What verification catches: an edited hashed field (entry hash mismatch), an
edited version text (text hash mismatch), an edited name/IP/user agent
(commitment or digest mismatch), a deleted entry (sequence gap or broken
previous-hash link), an inserted or re-ordered entry (broken link), a deleted
or added tail (the stored head and length disagree). Whoever can rewrite the
whole database can recompute everything; that is what the published head hash
is for: anyone who noted it can see whether the history behind it changed.
"""

import hashlib
import json
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC

from django.utils.translation import gettext_lazy as _

FORMAT = "kol-declaration-chain/1"
GENESIS = "0" * 64
LANGUAGE_SEPARATOR = "----"


def sha256_hex(data):
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode("utf-8")).hexdigest()


def _canonical_part(text):
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def canonical_text(*, title_vi, body_vi, title_en, body_en):
    """The exact text a version's hash is taken over (see the module docstring)."""
    parts = [title_vi, body_vi, LANGUAGE_SEPARATOR, title_en, body_en]
    return "\n\n".join(_canonical_part(part) for part in parts) + "\n"


def version_text(version):
    return canonical_text(
        title_vi=version.title_vi, body_vi=version.body_vi, title_en=version.title_en, body_en=version.body_en
    )


def version_digest(version):
    return sha256_hex(version_text(version))


def signer_commitment(*, participant_id, name, organization, salt):
    """Binds an entry to a person (name and organization as signed) without hashing them in the clear."""
    name, organization = (unicodedata.normalize("NFC", value or "") for value in (name, organization))
    return sha256_hex(f"{participant_id}\n{name}\n{organization}\n{salt}")


def _commitment_of(entry):
    return signer_commitment(
        participant_id=entry.participant_id,
        name=entry.display_name,
        organization=entry.display_organization,
        salt=entry.salt,
    )


def salted_digest(value, salt):
    return sha256_hex(f"{salt}\n{value or ''}")


def timestamp(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_content(entry):
    """The hashed content of an entry, as a dict of plain values."""
    return {
        "format": FORMAT,
        "previous": entry.previous_hash,
        "sequence": entry.sequence,
        "declaration": entry.declaration_id,
        "version": entry.version_id,
        "text_sha256": entry.text_sha256,
        "action": entry.action,
        "withdraws": entry.withdraws,
        "participant": entry.participant_id,
        "category": entry.category,
        "role": entry.role,
        "signer": entry.signer_commitment,
        "public": entry.public,
        "method": entry.method,
        "kiosk": entry.kiosk,
        "staff": entry.staff_id,
        "at": timestamp(entry.recorded_at),
        "ip": entry.ip_sha256,
        "user_agent": entry.user_agent_sha256,
    }


def entry_digest(entry):
    content = json.dumps(entry_content(entry), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sha256_hex(content)


def stamp_entry(entry):
    """Fill an unsaved entry's salt, commitment, digests and hash (sequence and previous hash already set)."""
    entry.salt = entry.salt or secrets.token_hex(16)
    entry.signer_commitment = _commitment_of(entry)
    entry.ip_sha256 = salted_digest(entry.ip_address, entry.salt)
    entry.user_agent_sha256 = salted_digest(entry.user_agent, entry.salt)
    entry.entry_hash = entry_digest(entry)
    return entry


@dataclass
class Verification:
    """The outcome of verifying one declaration's chain."""

    declaration_id: int
    entries: int = 0
    head: str = GENESIS
    broken_sequence: int | None = None
    broken_entry_id: int | None = None
    reason: str = ""
    message: str = ""
    erased: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.reason


REASONS = {
    "sequence_gap": _("Entry numbers are not consecutive: an entry was removed or inserted before this one."),
    "broken_link": _("This entry does not point to the hash of the entry before it."),
    "hash_mismatch": _("This entry's stored content no longer matches its hash."),
    "text_mismatch": _("The declaration text this entry refers to has been changed."),
    "signer_mismatch": _("The name or organization stored with this entry does not match its signer commitment."),
    "ip_mismatch": _("The IP address stored with this entry does not match its digest."),
    "user_agent_mismatch": _("The user agent stored with this entry does not match its digest."),
    "head_mismatch": _("The published chain head does not match the last entry: entries were removed or added."),
}


def _entry_problem(entry, previous_hash, expected_sequence):
    """The reason code of the first problem with one entry, or ''."""
    if entry.sequence != expected_sequence:
        return "sequence_gap"
    if entry.previous_hash != previous_hash:
        return "broken_link"
    if entry_digest(entry) != entry.entry_hash:
        return "hash_mismatch"
    if version_digest(entry.version) != entry.text_sha256:
        return "text_mismatch"
    if entry.salt:
        if (entry.display_name or entry.display_organization) and entry.signer_commitment != _commitment_of(entry):
            return "signer_mismatch"
        if entry.ip_address is not None and salted_digest(entry.ip_address, entry.salt) != entry.ip_sha256:
            return "ip_mismatch"
        if entry.user_agent and salted_digest(entry.user_agent, entry.salt) != entry.user_agent_sha256:
            return "user_agent_mismatch"
    return ""


def verify(declaration, entries):
    """Recompute every entry in sequence order and name the first broken one.

    `entries` must be all of the declaration's entries ordered by sequence,
    with their versions loaded; `declaration` carries the stored head.
    """
    result = Verification(declaration_id=declaration.pk)
    previous = GENESIS
    for expected, entry in enumerate(entries, start=1):
        reason = _entry_problem(entry, previous, expected)
        if reason:
            return _broken(result, reason, entry.sequence, entry.pk)
        if not entry.salt:
            result.erased.append(entry.sequence)
        previous = entry.entry_hash
        result.entries = expected
        result.head = previous
    if declaration.chain_length != result.entries or (declaration.chain_head or GENESIS) != result.head:
        return _broken(result, "head_mismatch", declaration.chain_length, None)
    return result


def _broken(result, reason, sequence, entry_id):
    result.reason = reason
    result.message = REASONS[reason]
    result.broken_sequence = sequence
    result.broken_entry_id = entry_id
    return result
