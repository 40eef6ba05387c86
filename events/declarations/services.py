"""Every write to declarations: texts, who may sign, opening and sealing, signing and withdrawing.

Signatures and withdrawals are appended to the declaration's hash chain (see
chain.py) under a lock on the declaration row, the chain head: concurrent
signers queue behind it, so the chain stays one line and nobody signs twice.
"""

import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import audit
from ..enums import Category, ParticipantStatus
from ..errors import Conflict, DomainError
from ..models import (
    ChainEntry,
    Declaration,
    DeclarationStatus,
    DeclarationVersion,
    EntryAction,
    SignatoryRole,
    SigningMethod,
    SigningRule,
)
from . import chain, pins

# Approved KOLs found the Alliance; the other categories stand beside it.
DEFAULT_RULES = {
    Category.KOL: SignatoryRole.FOUNDING_MEMBER,
    Category.REGULATOR: SignatoryRole.WITNESS,
    Category.BUSINESS: SignatoryRole.SUPPORTING_ORGANIZATION,
    Category.PLATFORM: SignatoryRole.SUPPORTING_ORGANIZATION,
}
USER_AGENT_LENGTH = 300


@dataclass(frozen=True)
class Signing:
    """How a signature or withdrawal reaches us: online from a phone, or at a kiosk run by staff."""

    method: str = SigningMethod.ONLINE
    ip_address: str | None = None
    user_agent: str = ""
    kiosk: str = ""
    staff: object = None

    @classmethod
    def from_request(cls, request, **fields):
        return cls(
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH],
            **fields,
        )


def create_declaration(*, event, slug, title_vi, title_en="", rules=None):
    """Create a draft declaration with who may sign it (DEFAULT_RULES unless given), in one transaction."""
    with transaction.atomic():
        declaration = Declaration.objects.create(event=event, slug=slug, title_vi=title_vi, title_en=title_en)
        set_signing_rules(declaration=declaration, rules=DEFAULT_RULES if rules is None else rules)
    return declaration


def set_signing_rules(*, declaration, rules):
    """Replace who may sign: {category: role}. Signatures already given keep the role they were given in."""
    for category, role in rules.items():
        if category not in Category.values or role not in SignatoryRole.values:
            raise DomainError("invalid_signing_rule", _("Unknown participant category or signatory role."))
    with transaction.atomic():
        SigningRule.objects.filter(declaration=declaration).delete()
        SigningRule.objects.bulk_create(
            SigningRule(declaration=declaration, category=category, role=role) for category, role in rules.items()
        )


def publish_version(*, declaration, title_vi, title_en, body_vi, body_en):
    """Add the next version of the text; signing from now on uses it. Earlier signatures keep theirs."""
    if declaration.status == DeclarationStatus.SEALED:
        raise _sealed()
    with transaction.atomic():
        Declaration.objects.select_for_update().get(pk=declaration.pk)
        number = (declaration.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = DeclarationVersion(
            declaration=declaration,
            number=number,
            title_vi=title_vi,
            title_en=title_en,
            body_vi=body_vi,
            body_en=body_en,
        )
        version.text_sha256 = chain.version_digest(version)
        version.save()
    return version


def update_version(*, version, title_vi, title_en, body_vi, body_en):
    """Correct a version's wording, only while nobody has signed it; its hash is recomputed."""
    with transaction.atomic():
        Declaration.objects.select_for_update().get(pk=version.declaration_id)
        if ChainEntry.objects.filter(version=version).exists():
            raise Conflict(
                "version_frozen", _("This version has been signed and can no longer change; publish a new version.")
            )
        version.title_vi, version.title_en, version.body_vi, version.body_en = title_vi, title_en, body_vi, body_en
        version.text_sha256 = chain.version_digest(version)
        version.save()
    return version


def current_version(declaration):
    return declaration.versions.order_by("-number").first()


def open_declaration(*, declaration):
    """Open (or reopen) signing; needs a published version and an unsealed declaration."""
    if current_version(declaration) is None:
        raise DomainError("no_text", _("Publish the text of the declaration before opening it."))
    allowed = {DeclarationStatus.DRAFT, DeclarationStatus.OPEN, DeclarationStatus.CLOSED}
    return _move(declaration, DeclarationStatus.OPEN, allowed, opened_at=declaration.opened_at or timezone.now())


def close_declaration(*, declaration):
    """Stop signing; withdrawals stay possible until the declaration is sealed."""
    return _move(declaration, DeclarationStatus.CLOSED, {DeclarationStatus.OPEN}, closed_at=timezone.now())


def seal_declaration(*, declaration, by):
    """Seal for good: no more signatures or withdrawals; the chain head at this moment is final."""
    now = timezone.now()
    allowed = {DeclarationStatus.OPEN, DeclarationStatus.CLOSED}
    sealed = _move(
        declaration,
        DeclarationStatus.SEALED,
        allowed,
        closed_at=declaration.closed_at or now,
        sealed_at=now,
        sealed_by=by,
    )

    audit.record(
        action="events.declaration.sealed",
        actor=by,
        obj=declaration,
        chain_length=declaration.chain_length,
        chain_head=declaration.chain_head,
    )
    return sealed


def _move(declaration, status, allowed_from, **fields):
    """Change the status under the chain lock, so no signature slips in between the check and the change."""
    with transaction.atomic():
        head = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if head.status == DeclarationStatus.SEALED:
            raise _sealed()
        if head.status not in allowed_from:
            raise Conflict("declaration_not_open", _("This declaration is not open for signing."))
        Declaration.objects.filter(pk=head.pk).update(status=status, **fields)
    declaration.refresh_from_db()
    return declaration


def _sealed():
    return Conflict("declaration_sealed", _("This declaration has been sealed; its list of signatories is final."))


def names_match(typed, registered):
    """Whether a typed name is the registered one, ignoring Unicode form, case and spacing."""

    def fold(value):
        return " ".join(unicodedata.normalize("NFC", unicodedata.normalize("NFC", value or "").casefold()).split())

    return bool(fold(typed)) and fold(typed) == fold(registered)


def signing_role(declaration, participant):
    """The role this participant would sign in, or None if they may not sign."""
    if participant.event_id != declaration.event_id or participant.status != ParticipantStatus.APPROVED:
        return None
    rule = next((rule for rule in declaration.rules.all() if rule.category == participant.category), None)
    return rule.role if rule else None


def active_signature(declaration, participant):
    """The participant's signature in force (their last entry, if it is a signature), or None."""
    last = ChainEntry.objects.filter(declaration=declaration, participant=participant).order_by("-sequence").first()
    return last if last is not None and last.action == EntryAction.SIGN else None


@contextmanager
def _chain_head(declaration):
    """The declaration row, locked for this transaction: appends queue here, one at a time.

    SELECT … FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction
    already holds the database's write lock. The unique constraints on
    (declaration, sequence) and (declaration, previous_hash) stop any fork that
    got past the lock; such a loser is told "busy, try again" (409).
    DECLARATION_CHAIN_LOCK=False exists only for the concurrency test's control:
    it reads the head before the transaction, the race the lock prevents.
    """
    locking = getattr(settings, "DECLARATION_CHAIN_LOCK", True)
    try:
        unlocked = None if locking else Declaration.objects.get(pk=declaration.pk)
        with transaction.atomic():
            yield Declaration.objects.select_for_update().get(pk=declaration.pk) if locking else unlocked
    except IntegrityError:
        raise Conflict("chain_busy", _("Many people are signing right now. Please try again."))


def sign_declaration(*, declaration, participant, typed_name=None, pin=None, consent, public, signing):
    """Sign the current version for a participant: one new chain entry, under the chain lock.

    Refused, with a reason code, when the declaration is not open, the
    participant may not sign it, they already signed, did not tick the consent,
    (online) typed a name other than their registered one, or (at a kiosk) did
    not type their own signing PIN (`pins.py`: staff alone cannot sign for them).
    """
    if not consent:
        raise DomainError("consent_required", _("Tick the box to confirm that you sign."), field="consent")
    if signing.method == SigningMethod.ONLINE and not names_match(typed_name, participant.full_name):
        raise DomainError("name_mismatch", _("Type your full name exactly as you registered it."), field="typed_name")
    if signing.method == SigningMethod.KIOSK:
        pins.check_signing_pin(participant, pin)
    with _chain_head(declaration) as head:
        _check_open(head)
        role = signing_role(head, participant)
        if role is None:
            raise DomainError("not_eligible", _("Your registration does not allow you to sign this declaration."))
        if active_signature(head, participant) is not None:
            raise Conflict("already_signed", _("You have already signed this declaration."))
        version = current_version(head)
        entry = _entry(
            head, participant, signing, version=version, action=EntryAction.SIGN, role=role, public=bool(public)
        )
        return _append(head, entry)


def withdraw_signature(*, declaration, participant, signing):
    """Withdraw a signature until the declaration is sealed: a new chain entry, never a delete."""
    with _chain_head(declaration) as head:
        if head.status == DeclarationStatus.SEALED:
            raise _sealed()
        signature = active_signature(head, participant)
        if signature is None:
            raise Conflict("not_signed", _("There is no signature of yours to withdraw."))
        entry = _entry(
            head,
            participant,
            signing,
            version=signature.version,
            action=EntryAction.WITHDRAW,
            role=signature.role,
            public=signature.public,
        )
        entry.withdraws = signature.sequence
        return _append(head, entry)


def _check_open(head):
    if head.status == DeclarationStatus.SEALED:
        raise _sealed()
    if head.status != DeclarationStatus.OPEN:
        raise Conflict("declaration_not_open", _("This declaration is not open for signing."))


def _entry(head, participant, signing, **fields):
    version = fields["version"]
    return ChainEntry(
        declaration=head,
        participant=participant,
        category=participant.category,
        text_sha256=version.text_sha256,
        method=signing.method,
        kiosk=signing.kiosk,
        staff=signing.staff,
        ip_address=signing.ip_address,
        user_agent=(signing.user_agent or "")[:USER_AGENT_LENGTH],
        display_name=participant.full_name,
        display_organization=participant.organization,
        **fields,
    )


def _append(head, entry):
    entry.sequence = head.chain_length + 1
    entry.previous_hash = head.chain_head or chain.GENESIS
    entry.recorded_at = timezone.now()
    chain.stamp_entry(entry)
    entry.save()
    Declaration.objects.filter(pk=head.pk).update(chain_length=entry.sequence, chain_head=entry.entry_hash)
    return entry


def erase_signer_data(*, participant):
    """Blank the personal data kept beside the chain (name, organization, salt, IP, user agent).

    For erasure after the retention period (Decree 356/2025): the hashed
    content and its commitments stay, so every chain still verifies; with the
    salt gone, the commitments can no longer be matched to a guessed name.
    Returns how many entries were erased.
    """
    return ChainEntry.objects.filter(participant=participant).update(
        display_name="", display_organization="", salt="", ip_address=None, user_agent=""
    )
