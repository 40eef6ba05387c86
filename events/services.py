"""Registration and vetting: every write to participants goes through these functions."""

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit, permissions
from .consent import CONSENT_TEXTS
from .enums import DECISIONS, INVITATION_CATEGORIES, Category, ParticipantStatus
from .errors import Conflict, DomainError
from .models import ApiToken, Channel, Consent, Invitation, Participant, normalize_text
from .tasks import enqueue


def register_participant(*, event, category, fields, channels=(), consents, invitation_code=""):
    """Register one participant with their channels and consents, in one transaction.

    Regulators and platforms need a valid invitation code and are approved at
    once; KOLs and businesses wait for an organizer's decision. The participant
    is e-mailed their status and personal link after the commit; an approval
    runs the events.extensions.on_approved hooks (free pass, badge) in a
    background job after the commit.
    Raises DomainError (closed event, bad code, e-mail already registered).
    """
    if not event.accepts_registrations:
        raise DomainError("registration_closed", _("Registration for this event is closed."))
    if category not in Category.values:
        raise DomainError("unknown_category", _("Unknown participant category."), field="category")
    if Participant.objects.filter(event=event, email=fields["email"]).exists():
        raise _already_registered()
    invitation = None
    if category in INVITATION_CATEGORIES:
        invitation = _usable_invitation(event=event, category=category, code=invitation_code)
    try:
        with transaction.atomic():
            if invitation is not None:
                _take_invitation_use(invitation)
            participant = Participant.objects.create(
                event=event,
                category=category,
                invitation=invitation,
                status=ParticipantStatus.APPROVED if invitation else ParticipantStatus.PENDING,
                decided_at=timezone.now() if invitation else None,
                **fields,
            )
            Channel.objects.bulk_create(Channel(participant=participant, **channel) for channel in channels)
            _record_consents(participant, consents)
            enqueue("events.tasks.send_status_email", participant.pk)
            if invitation:
                enqueue("events.tasks.after_approval", participant.pk)
    except IntegrityError:
        # Two submissions of one e-mail racing past the check above: the unique
        # constraint lets exactly one in.
        raise _already_registered()
    return participant


def register_ticket_holder(*, event, category, fields, consents):
    """Make the named holder of a paid pass an approved participant, creating or approving them.

    Called by ticketing inside the payment's transaction (the buyer confirmed
    the attendee agreed to the processing). An existing registration with the
    same e-mail is approved rather than duplicated. The participant is e-mailed
    their status and personal link after the commit, and the approval hooks run
    (a free pass is skipped since they hold one; the badge is issued).
    """
    email = fields["email"].strip().lower()
    participant = Participant.objects.filter(event=event, email=email).first()
    if participant is None:
        participant = Participant.objects.create(
            event=event,
            category=category,
            status=ParticipantStatus.APPROVED,
            decided_at=timezone.now(),
            **{**fields, "email": email, "full_name": normalize_text(fields["full_name"])},
        )
        _record_consents(participant, consents)
    elif participant.status != ParticipantStatus.APPROVED:
        Participant.objects.filter(pk=participant.pk).update(
            status=ParticipantStatus.APPROVED, decided_at=timezone.now(), updated_at=timezone.now()
        )
        participant.refresh_from_db()
    else:
        return participant
    enqueue("events.tasks.send_status_email", participant.pk)
    enqueue("events.tasks.after_approval", participant.pk)  # the badge; no second pass (it holds one)
    return participant


def _already_registered():
    return Conflict(
        "already_registered",
        _("This e-mail is already registered for this event. Use “Send me my link” to open your page."),
        field="email",
    )


def _usable_invitation(*, event, category, code):
    """The invitation a code names, or a DomainError saying why it cannot be used."""
    invitation = Invitation.objects.filter(code=code, event=event).first() if code else None
    if invitation is None or invitation.revoked:
        raise DomainError("invalid_invitation", _("This invitation code is not valid."), field="invitation_code")
    if invitation.category != category:
        raise DomainError(
            "invitation_wrong_category",
            _("This invitation code is for another participant category."),
            field="invitation_code",
        )
    if invitation.is_expired:
        raise DomainError("invitation_expired", _("This invitation code has expired."), field="invitation_code")
    if invitation.uses >= invitation.max_uses:
        raise _used_up()
    return invitation


def _take_invitation_use(invitation):
    """Count one use of the code, inside the registration's transaction.

    A conditional UPDATE (uses < max_uses, not revoked) whose row count is
    checked: two people racing for the last use never both get in, on SQLite
    and PostgreSQL alike.
    """
    taken = Invitation.objects.filter(pk=invitation.pk, uses__lt=F("max_uses"), revoked=False).update(
        uses=F("uses") + 1
    )
    if not taken:
        raise _used_up()


def _used_up():
    return DomainError("invitation_used_up", _("This invitation code has already been used."), field="invitation_code")


def _record_consents(participant, purposes):
    with_text = [CONSENT_TEXTS[purpose] for purpose in purposes]
    if not any(text.required for text in with_text):
        raise DomainError("consent_required", _("Consent to the processing of your data is required."))
    Consent.objects.bulk_create(
        Consent(
            participant=participant,
            purpose=text.purpose,
            text_version=text.version,
            text_language=participant.language,
            text_sha256=text.digest(str(text.text)),
        )
        for text in with_text
    )


def decide_application(*, participant, decision, reason="", by):
    """Approve, reject or waitlist one participant, record who and why, e-mail them.

    The update is conditional on the status it was read with, so two organizers
    deciding at once cannot both send contradicting e-mails unnoticed.
    """
    if decision not in DECISIONS:
        raise DomainError("invalid_decision", _("Unknown decision."), field="decision")
    if participant.status == decision:
        raise Conflict("already_decided", _("This participant already has that status."))
    with transaction.atomic():
        changed = Participant.objects.filter(pk=participant.pk, status=participant.status).update(
            status=decision,
            decided_by=by,
            decided_at=timezone.now(),
            decision_reason=reason.strip(),
            updated_at=timezone.now(),
        )
        if not changed:
            raise Conflict("changed_meanwhile", _("Someone else changed this participant meanwhile; reload and retry."))
        enqueue("events.tasks.send_status_email", participant.pk)
        if decision == ParticipantStatus.APPROVED:
            enqueue("events.tasks.after_approval", participant.pk)
        audit.record(
            action=f"application.{decision}",
            actor=by,
            obj=participant,
            previous=participant.status,
            reason=reason.strip(),
        )
    participant.refresh_from_db()
    return participant


def decide_applications(*, participants, decision, reason="", by):
    """Apply one decision to many participants; those already in that state are skipped.

    Returns how many changed.
    """
    changed = 0
    for participant in participants:
        if participant.status == decision:
            continue
        try:
            decide_application(participant=participant, decision=decision, reason=reason, by=by)
        except Conflict:
            continue
        changed += 1
    return changed


def send_personal_link(*, event, email):
    """E-mail a fresh magic link if the address is registered; silent otherwise.

    Silence on unknown addresses keeps the form from revealing who registered.
    """
    participant = Participant.objects.filter(event=event, email=email.strip().lower()).first()
    if participant is not None:
        enqueue("events.tasks.send_link_email", participant.pk)


def withdraw_consent(*, participant, purpose):
    """Withdraw an optional consent; the record stays, with the time of withdrawal."""
    if CONSENT_TEXTS[purpose].required:
        raise DomainError(
            "consent_required_for_participation",
            _("This consent is needed to take part; to withdraw it, ask us to erase your registration."),
        )
    Consent.objects.filter(participant=participant, purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


def new_api_token_secret(api_token):
    """Give an (unsaved) ApiToken a fresh secret; returns the secret, which is stored only hashed."""
    secret = secrets.token_urlsafe(32)
    api_token.prefix = secret[:8]
    api_token.key_sha256 = hashlib.sha256(secret.encode()).hexdigest()
    return secret


def issue_api_token(*, user, name, scopes, by=None):
    """Create a bearer token for a user; returns (token, secret). Scopes come from events.permissions."""
    unknown = sorted(set(scopes) - permissions.TOKEN_SCOPES)
    if unknown:
        raise DomainError("unknown_scope", _("Unknown token scope: %(scopes)s.") % {"scopes": ", ".join(unknown)})
    api_token = ApiToken(user=user, name=name, scopes=list(scopes))
    secret = new_api_token_secret(api_token)
    api_token.save()
    audit.record(action="api_token.issued", actor=by or user, obj=api_token, name=name, scopes=list(scopes))
    return api_token, secret


def revoke_api_token(*, api_token, by):
    """Stop a bearer token from working; the row stays for the record."""
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
        audit.record(action="api_token.revoked", actor=by, obj=api_token, name=api_token.name)
    return api_token


def correct_details(*, participant, fields):
    """The participant corrects their own basic fields (already validated and normalized)."""
    allowed = {"full_name", "title", "organization", "phone"}
    changed = {name: value for name, value in fields.items() if name in allowed and getattr(participant, name) != value}
    for name, value in changed.items():
        setattr(participant, name, value)
    if changed:
        participant.save(update_fields=[*changed, "updated_at"])
    return sorted(changed)
