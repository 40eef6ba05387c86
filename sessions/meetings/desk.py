"""The meeting area's desk (issue #20 item 4): a scanned badge checks its holder in to their meeting of now.

Either person's badge will do; each person is checked in on their own MeetingHold
(who scanned, when). Badge codes belong to ticketing, which sessions may not
import: the holder is found through events.extensions.resolve_badge
(BADGE_RESOLVER, the signing kiosk's way). A person still not checked in when
their meeting's slot has ended is a no-show (attendance() and the organizer
views read it).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from events.errors import Conflict, NotFound
from events.extensions import resolve_badge

from ..models import MeetingHold

# The desk lets people in a little before their slot starts, as a door does.
EARLY = timedelta(minutes=10)


@dataclass(frozen=True)
class DeskCheckIn:
    """What the desk shows after a scan: who came, whom they meet, where, and whether the other is here."""

    hold: MeetingHold
    other: object  # the other person (a Participant, possibly erased: name "—")
    already: bool  # this person had been checked in before this scan
    other_here: bool

    @property
    def meeting(self):
        return self.hold.meeting

    @property
    def person(self):
        return self.hold.participant


def _holds(participant):
    return MeetingHold.objects.filter(participant=participant, meeting__cancelled_at__isnull=True).select_related(
        "participant", "meeting__place", "meeting__request__sender", "meeting__request__recipient"
    )


def current_hold(participant, now):
    """The person's meeting slot going on now (or starting within EARLY), the earliest first; None if none."""
    return (
        _holds(participant)
        .filter(meeting__starts_at__lte=now + EARLY, meeting__ends_at__gt=now)
        .order_by("starts_at")
        .first()
    )


def _no_meeting_now(participant, now):
    later = _holds(participant).filter(meeting__starts_at__gt=now).order_by("starts_at").first()
    if later is None:
        message = _("%(name)s has no meeting at this time.") % {"name": participant.full_name}
    else:
        when = date_format(timezone.localtime(later.starts_at), "j/n H:i")
        message = _("%(name)s has no meeting now; their next one starts at %(when)s.") % {
            "name": participant.full_name,
            "when": when,
        }
    return Conflict("no_meeting_now", message)


def check_in(event, code, *, by, now=None):
    """Check the holder of badge `code` in to their meeting of now at this event's desk; a DeskCheckIn.

    A second scan of the same badge changes nothing (already=True). NotFound for a badge that is
    not this event's, Conflict when its holder has no meeting now (naming their next one).
    """
    now = now or timezone.now()
    person = resolve_badge(code)
    if person is None or person.event_id != event.pk:
        raise NotFound("badge_not_recognized", _("This badge is not recognized for this event. Ask for the badge."))
    with transaction.atomic():
        found = current_hold(person, now)
        if found is None:
            raise _no_meeting_now(person, now)
        hold = _holds(person).select_for_update(of=("self",)).get(pk=found.pk)
        already = hold.checked_in_at is not None
        if not already:
            hold.checked_in_at, hold.checked_in_by = now, by
            hold.save(update_fields=["checked_in_at", "checked_in_by"])
        other_here = (
            MeetingHold.objects.filter(meeting_id=hold.meeting_id, checked_in_at__isnull=False)
            .exclude(pk=hold.pk)
            .exists()
        )
    request = hold.meeting.request
    other = request.recipient if request.sender_id == person.pk else request.sender
    return DeskCheckIn(hold=hold, other=other, already=already, other_here=other_here)


def is_no_show(hold, now=None):
    """True when this person's meeting slot has ended (not cancelled) and they were never checked in."""
    now = now or timezone.now()
    meeting = hold.meeting
    return meeting.cancelled_at is None and meeting.ends_at <= now and hold.checked_in_at is None
