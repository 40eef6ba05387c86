"""Who is seen and who may ask whom: one home for the rule, read by the directory and by send_request.

A profile is visible to a viewer when, in this order: the event's meetings are
open; the viewer is approved and not erased; the owner is approved, not erased, published the profile and holds an
active "meetings" consent (Law 91/2025: withdrawing it hides the profile at
once, since every read asks for it); the organizers allow the viewer's category
to request the owner's; and, for a category listed only on request
(regulators), the owner ticked "shown in the list".
"""

from django.db.models import Exists, OuterRef

from events.enums import ConsentPurpose, ParticipantStatus
from events.models import Consent

from ..models import MeetingProfile, MeetingRules


def rules_of(event):
    """The event's MeetingRules, or None when the organizers have not set any (no meetings then)."""
    return MeetingRules.objects.filter(event=event).first()


def consented():
    """An Exists() for the profile owner's active "meetings" consent."""
    return Exists(
        Consent.objects.filter(
            participant=OuterRef("participant"), purpose=ConsentPurpose.MEETINGS, withdrawn_at__isnull=True
        )
    )


def published_profiles(event):
    """Profiles of the event that are published and consented by approved, not erased owners."""
    return MeetingProfile.objects.filter(
        consented(),
        participant__event=event,
        participant__status=ParticipantStatus.APPROVED,
        participant__anonymized_at__isnull=True,
        published=True,
    )


def requestable_categories(rules, category):
    """The categories someone of `category` may send requests to."""
    return [recipient for sender, recipient in rules.pairs if sender == category]


def visible_profiles(rules, viewer):
    """The published profiles `viewer` may see and request (never their own); none for a viewer not approved."""
    if rules is None or not rules.open or not _approved(viewer):
        return MeetingProfile.objects.none()
    categories = requestable_categories(rules, viewer.category)
    profiles = published_profiles(viewer.event).filter(participant__category__in=categories)
    hidden = [category for category in categories if category in rules.opt_in_categories]
    return profiles.exclude(participant__category__in=hidden, listed=False).exclude(participant=viewer)


def _approved(participant):
    return participant.status == ParticipantStatus.APPROVED and participant.anonymized_at is None


def may_take_part(participant):
    """An approved, not erased participant whose own profile is published with consent."""
    if not _approved(participant):
        return False
    return published_profiles(participant.event).filter(participant=participant).exists()
