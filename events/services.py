"""Registration and vetting: every write to participants goes through these functions."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit, extensions, permissions
from .common.jobs import enqueue
from .consent import CONSENT_TEXTS
from .enums import DECISIONS, INVITATION_CATEGORIES, Category, ParticipantStatus
from .errors import Conflict, DomainError, PermissionDenied
from .models import ApiToken, Channel, Consent, Invitation, Participant, normalize_text


def register_participant(*, event, category, fields, channels=(), consents, invitation_code=""):
    """Register one participant with their channels and consents, in one transaction.

    Regulators and platforms need a valid invitation code and are approved at
    once; KOLs wait for an organizer's decision. The participant is e-mailed
    their status and a personal link after the commit: opening that link is how
    they prove the address is theirs (registering signs nobody in). An approval
    runs the events.extensions.on_approved hooks (free pass, badge) in a
    background job after the commit.

    An address already registered for the event answers exactly like a new
    one (no one learns who registered) and its owner is e-mailed a personal
    link instead; nothing is changed. Returns the new Participant, or None in
    that case. Raises DomainError (closed event, bad code, bad category).
    """
    if not event.accepts_registrations:
        raise DomainError("registration_closed", _("Registration for this event is closed."))
    if category not in Category.values:
        raise DomainError("unknown_category", _("Unknown participant category."), field="category")
    if extensions.registration_path_for(event, category):
        raise DomainError(
            "register_by_order",
            _("Businesses take part by ordering a pass for each representative in the ticket shop."),
            field="category",
        )
    invitation = None
    if category in INVITATION_CATEGORIES:
        invitation = _usable_invitation(event=event, category=category, code=invitation_code)
    if Participant.objects.filter(event=event, email=fields["email"]).exists():
        _tell_owner_of_repeat(event, fields["email"])
        return None
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
                audit.record(
                    action="events.application.approved_by_invitation",
                    actor=None,
                    obj=participant,
                    invitation=invitation.code,
                )
                enqueue("events.tasks.after_approval", participant.pk)
    except IntegrityError:
        # Two submissions of one e-mail racing past the check above: the unique
        # constraint lets exactly one in; the other is told like a repeat.
        _tell_owner_of_repeat(event, fields["email"])
        return None
    return participant


def _tell_owner_of_repeat(event, email):
    """Someone registered again with an address on file: e-mail its owner a personal link, change nothing."""
    participant = Participant.objects.filter(event=event, email=email, anonymized_at__isnull=True).first()
    if participant is not None:
        enqueue("events.tasks.send_repeat_registration_email", participant.pk)


def register_ticket_holder(*, event, category, fields, consents, order_code=""):
    """The named holder of a paid pass: returns their participant, creating an approved one if needed.

    Called by ticketing inside the payment's transaction (the buyer confirmed
    the attendee agreed to the processing). A pass never changes who someone
    is or what the organizers decided (issue #16):
    - a new address becomes an approved participant of `category` (the paid
      pass is the business path's approval), audit-logged with the order;
    - an address already registered keeps its category and decision; if it
      is not approved (pending, waitlisted, rejected), the paid pass waits for
      an organizer's decision and the audit log says so;
    - an approved participant keeps their category; the badge job runs.
    The participant is e-mailed after the commit (status and personal link for
    a new one) and the approval hooks run for an approved one.
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
        audit.record(action="events.application.approved_by_payment", actor=None, obj=participant, order=order_code)
        enqueue("events.tasks.send_status_email", participant.pk)
    elif participant.status != ParticipantStatus.APPROVED:
        audit.record(
            action="events.application.pass_paid_while_undecided",
            actor=None,
            obj=participant,
            order=order_code,
            status=participant.status,
        )
        return participant
    enqueue("events.tasks.after_approval", participant.pk)  # the badge; no second pass (it holds one)
    return participant


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
            action=f"events.application.{decision}",
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


def give_consent(*, participant, purpose):
    """Record an optional consent the participant gives later (a meeting profile), with the exact text shown.

    Idempotent: an active consent for the purpose is kept as it is. Law 91/2025 wants
    it explicit: callers pass only what the person ticked themselves.
    """
    text = CONSENT_TEXTS[purpose]
    active = Consent.objects.filter(participant=participant, purpose=purpose, withdrawn_at__isnull=True).first()
    if active is not None:
        return active
    return Consent.objects.create(
        participant=participant,
        purpose=purpose,
        text_version=text.version,
        text_language=participant.language,
        text_sha256=text.digest(str(text.text)),
    )


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
    audit.record(action="events.api_token.issued", actor=by or user, obj=api_token, name=name, scopes=list(scopes))
    return api_token, secret


def revoke_api_token(*, api_token, by):
    """Stop a bearer token from working; the row stays for the record."""
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
        audit.record(action="events.api_token.revoked", actor=by, obj=api_token, name=api_token.name)
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


def move_event(*, event, start_date):
    """Move an event to start on `start_date`, keeping its length; every app moves its own dated rows.

    In one transaction: the event's dates, then each events.extensions.on_event_moved
    receiver in order (ticketing undoes admissions made before the new doors open; the
    agenda's sessions move and are republished). `manage.py seed_demo` moves the door
    rehearsal to today with it. Audit-logged; moving to the same day is a no-op.
    """
    days = (start_date - event.start_date).days
    if days == 0:
        return event
    with transaction.atomic():
        event.start_date = start_date
        event.end_date = event.end_date + timedelta(days=days)
        event.save(update_fields=["start_date", "end_date"])
        extensions.run_event_moved(event, days)
        audit.record(action="events.event.moved", actor=None, obj=event, event=event, days=days)
    return event


def register_walk_in(*, event, category, fields, consents, by):
    """Register a person who arrives at a badge desk without having registered, approved at once.

    Only desk staff holding the organizers' permission to approve applications
    may (events.permissions.can_decide_applications): a walk-in skips the
    organizers' review. Steps: permission, category, consent to participation
    (the desk shows the person the same texts as the registration form and ticks
    what they agree to, per purpose: Law 91/2025, Decree 356/2025), the e-mail
    not yet registered for the event (Conflict: find them by name instead), then
    in one transaction the approved participant, their consents, the audit entry
    (events.participant.walk_in), and after the commit their status e-mail
    (personal link, from which they can withdraw a consent) and the approval
    hooks. Returns the Participant.
    """
    if not permissions.can_decide_applications(by):
        raise PermissionDenied("forbidden", _("Only staff who may approve applications can register a walk-in."))
    if category not in Category.values:
        raise DomainError("unknown_category", _("Unknown participant category."), field="category")
    if set(consents) - set(CONSENT_TEXTS):
        raise DomainError("unknown_consent", _("Unknown consent purpose."), field="consents")
    if not any(CONSENT_TEXTS[purpose].required for purpose in consents):
        raise DomainError(
            "consent_required", _("The person must agree to the processing of their data."), field="consents"
        )
    try:
        validate_email(fields["email"])
    except ValidationError:
        raise DomainError("invalid_email", _("Enter a valid e-mail address."), field="email") from None
    if Participant.objects.filter(event=event, email=fields["email"]).exists():
        raise Conflict("already_registered", _("This e-mail is already registered: find the person by name."))
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                event=event,
                category=category,
                status=ParticipantStatus.APPROVED,
                decided_by=by,
                decided_at=timezone.now(),
                decision_reason="walk-in",
                **fields,
            )
            _record_consents(participant, consents)
            audit.record(action="events.participant.walk_in", actor=by, obj=participant, consents=sorted(consents))
            enqueue("events.tasks.send_status_email", participant.pk)
            enqueue("events.tasks.after_approval", participant.pk)
    except IntegrityError:
        # Two desks registering the same address at once: the unique constraint lets one in.
        raise Conflict("already_registered", _("This e-mail is already registered: find the person by name.")) from None
    return participant
