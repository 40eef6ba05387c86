"""Reads of the meeting pages: the directory (search, Vietnamese order) and a person's requests and meetings."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from events.collation import matches, sort_people
from events.enums import Category
from events.models import Channel

from ..enums import OPEN_REQUEST_STATES, MeetingRequestStatus
from ..models import Meeting, MeetingRequest
from . import rules

PROFILE_FIELDS = ("participant__full_name", "participant__organization", "organization", "topics", "bio")


def _with_channels(profiles):
    # KOLs' channels (platform and follower count) come from the registration; handles and
    # addresses are public channels, but e-mail and phone are never read here.
    channels = Prefetch(
        "participant__channels", queryset=Channel.objects.only("participant_id", "platform", "followers")
    )
    return profiles.select_related("participant").prefetch_related(channels)


def directory(event_rules, viewer, *, query="", category=""):
    """The profiles `viewer` may request, filtered by an accent-insensitive query and a category, Vietnamese order.

    Two queries whatever the number of profiles (profiles, channels).
    """
    profiles = rules.visible_profiles(event_rules, viewer)
    if category in Category.values:
        profiles = profiles.filter(participant__category=category)
    found = list(_with_channels(profiles))
    if query.strip():
        found = [p for p in found if matches(query, *(_field(p, name) for name in PROFILE_FIELDS))]
    return sort_people(found, name=lambda profile: profile.participant.full_name)


def _field(profile, dotted):
    value = profile
    for part in dotted.split("__"):
        value = getattr(value, part)
    return value


def visible_profile(event_rules, viewer, participant_id):
    """One profile `viewer` may see and request, with channels; None otherwise."""
    return _with_channels(rules.visible_profiles(event_rules, viewer).filter(participant_id=participant_id)).first()


def open_request_between(viewer, other_id):
    """The open (pending or accepted) request between the two, either way, or None: the profile page shows it
    instead of the form, so interest on both sides is seen by both."""
    return (
        MeetingRequest.objects.filter(
            Q(sender=viewer, recipient_id=other_id) | Q(sender_id=other_id, recipient=viewer),
            status__in=OPEN_REQUEST_STATES,
        )
        .select_related("meeting__place")
        .first()
    )


@dataclass(frozen=True)
class MyMeetings:
    incoming: list  # pending requests to answer
    outgoing: list  # pending requests sent
    meetings: list  # accepted requests (with .meeting), in time order
    closed: list  # declined and cancelled


def my_meetings(participant):
    """Everything of one person: requests to answer, requests sent, meetings, closed ones. One query."""
    requests = list(
        MeetingRequest.objects.filter(Q(sender=participant) | Q(recipient=participant))
        .select_related("sender", "recipient", "meeting__place")
        .order_by("-created_at", "pk")
    )
    for request in requests:
        request.other = request.recipient if request.sender_id == participant.pk else request.sender
        request.incoming = request.recipient_id == participant.pk
    pending = [r for r in requests if r.status == MeetingRequestStatus.PENDING]
    accepted = [r for r in requests if r.status == MeetingRequestStatus.ACCEPTED]
    return MyMeetings(
        incoming=[r for r in pending if r.incoming],
        outgoing=[r for r in pending if not r.incoming],
        meetings=sorted(accepted, key=lambda r: r.meeting.starts_at),
        closed=[r for r in requests if r.status not in (MeetingRequestStatus.PENDING, MeetingRequestStatus.ACCEPTED)],
    )


def calendar_meetings(participant):
    """The person's meetings, confirmed and cancelled, for their calendar feed; `.other` is the other person."""
    meetings = list(
        Meeting.objects.filter(Q(request__sender=participant) | Q(request__recipient=participant))
        .select_related("place", "request__sender", "request__recipient")
        .order_by("starts_at", "pk")
    )
    for meeting in meetings:
        request = meeting.request
        meeting.other = request.recipient if request.sender_id == participant.pk else request.sender
    return meetings
