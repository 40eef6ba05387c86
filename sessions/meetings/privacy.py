"""A person's meeting profile, requests (with messages) and meetings: in their data export, and erased with them.

Law 91/2025 / Decree 356/2025. The export lists only what is theirs: the other
side of a request appears by name only. The erasure deletes their profile and
their requests' messages and withdraws their pending requests; as issue #20
asks, the counterpart keeps an accepted meeting, with the name shown as "—"
(events' erasure blanks the participant row, which the counterpart's pages read).
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.extensions import personal_data_eraser, personal_data_section

from ..enums import MeetingRequestStatus
from ..models import MeetingProfile, MeetingRequest


def _when(value):
    return timezone.localtime(value).isoformat() if value else None


@personal_data_section(order=35)
def profile_section(participant):
    profile = MeetingProfile.objects.filter(participant=participant).first()
    if profile is None:
        return None
    row = {
        "organization": profile.organization,
        "introduction": profile.bio,
        "topics": profile.topics,
        "published": profile.published,
        "shown_in_list": profile.listed,
        "updated_at": _when(profile.updated_at),
    }
    return ("meeting_profile", _("Meeting profile"), [row])


def _request_row(request, participant):
    meeting = getattr(request, "meeting", None)
    sent = request.sender_id == participant.pk
    return {
        "direction": _("sent") if sent else _("received"),
        "other_person": (request.recipient if sent else request.sender).full_name,
        "message": request.message,
        "status": request.get_status_display(),
        "sent_at": _when(request.created_at),
        "meeting_starts_at": _when(meeting.starts_at) if meeting else None,
        "meeting_place": f"{meeting.place.name_vi}, {meeting.table}" if meeting else None,
        "checked_in_at_desk": _checked_in(meeting, participant),
    }


def _checked_in(meeting, participant):
    """When the meeting desk checked this person in (their own attendance only), or None."""
    holds = meeting.holds.all() if meeting else []
    return next((_when(hold.checked_in_at) for hold in holds if hold.participant_id == participant.pk), None)


@personal_data_section(order=36)
def requests_section(participant):
    requests = (
        MeetingRequest.objects.filter(Q(sender=participant) | Q(recipient=participant))
        .select_related("sender", "recipient", "meeting__place")
        .prefetch_related("meeting__holds")
        .order_by("created_at", "pk")
    )
    rows = [_request_row(request, participant) for request in requests]
    return ("meeting_requests", _("Meeting requests and meetings"), rows) if rows else None


@personal_data_eraser
def erase_meetings(participant):
    """Delete the profile, blank the messages, cancel pending requests; accepted meetings stay for the counterpart."""
    with transaction.atomic():
        MeetingProfile.objects.filter(participant=participant).delete()
        theirs = MeetingRequest.objects.filter(Q(sender=participant) | Q(recipient=participant))
        theirs.filter(status=MeetingRequestStatus.PENDING).update(
            status=MeetingRequestStatus.CANCELLED, answered_at=timezone.now()
        )
        theirs.update(message="")
