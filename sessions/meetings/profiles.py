"""Publishing and hiding a meeting profile. Off by default; publishing records the "meetings" consent.

Law 91/2025 and Decree 356/2025: the consent is explicit (the person ticks it
on the profile form, never pre-ticked), given for this purpose alone and
withdrawable; withdrawing it (here or on the personal page) hides the profile
at once, because every read of a profile asks for the active consent
(sessions.meetings.rules).
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from events import services as event_services
from events.consent import CONSENT_TEXTS
from events.enums import ConsentPurpose, ParticipantStatus
from events.errors import DomainError, PermissionDenied

from ..models import MeetingProfile
from ..models.meetings import BIO_MAX_LENGTH, TOPICS_MAX_LENGTH


def _clean(value, *, limit, field):
    text = (value or "").strip()
    if "\x00" in text:
        raise DomainError("invalid_text", _("This text contains a character that is not allowed."), field=field)
    if len(text) > limit:
        raise DomainError("too_long", _("At most %(limit)d characters, please.") % {"limit": limit}, field=field)
    return text


def _approved(participant):
    if participant.status != ParticipantStatus.APPROVED or participant.anonymized_at is not None:
        raise PermissionDenied(
            "meetings_not_approved", _("Meeting profiles open once the organizers have approved your registration.")
        )


def consent_text():
    """The text of the "meetings" consent, as the profile form shows it and the record hashes it."""
    return CONSENT_TEXTS[ConsentPurpose.MEETINGS].text


def profile_of(participant):
    """The participant's profile row, or an unsaved blank one (nothing is stored until they save)."""
    return MeetingProfile.objects.filter(participant=participant).first() or MeetingProfile(
        participant=participant, organization=participant.organization, published=False
    )


def save_profile(*, participant, bio, topics, organization, listed, publish, consent):
    """Save the profile's texts; publish it only with the consent ticked (recorded with its text version).

    One transaction: the profile row and, when published, the consent record.
    Saving unpublished keeps the texts and shows the profile to nobody.
    """
    _approved(participant)
    fields = {
        "bio": _clean(bio, limit=BIO_MAX_LENGTH, field="bio"),
        "topics": _clean(topics, limit=TOPICS_MAX_LENGTH, field="topics"),
        "organization": _clean(organization, limit=200, field="organization"),
        "listed": bool(listed),
        "published": bool(publish),
    }
    if publish and not consent:
        raise DomainError(
            "meetings_consent_required",
            _("To publish your profile, tick that you agree to show it to other participants."),
            field="consent",
        )
    with transaction.atomic():
        profile, _created = MeetingProfile.objects.update_or_create(participant=participant, defaults=fields)
        if publish:
            event_services.give_consent(participant=participant, purpose=ConsentPurpose.MEETINGS)
    return profile


def hide_profile(*, participant):
    """Unpublish the profile and withdraw the "meetings" consent; nobody sees it from now on.

    Requests already sent stay, so that the other side's record holds; a hidden
    person receives no new ones.
    """
    with transaction.atomic():
        MeetingProfile.objects.filter(participant=participant).update(published=False)
        event_services.withdraw_consent(participant=participant, purpose=ConsentPurpose.MEETINGS)
