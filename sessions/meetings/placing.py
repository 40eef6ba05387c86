"""Live mode: place an accepted request in the first common free slot at a free table.

Slots are the meeting windows cut into meetings of the rules' length, from each
window's start. A slot is free for a person when it overlaps none of their
meetings, none of the sessions they speak in (moderator, speaker, panelist) and
none they hold a confirmed seat in. A table is free when no meeting sits at it
in that slot. The database has the last word: MeetingHold is unique per person
and slot start, Meeting per place, table and slot start, so a placement that
lost a race raises IntegrityError inside its savepoint and the next candidate
is tried.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from ..enums import ReservationStatus
from ..models import Meeting, MeetingHold, MeetingPlace, MeetingWindow, Reservation, SessionPerson


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime

    def overlaps(self, starts_at, ends_at):
        return self.starts_at < ends_at and starts_at < self.ends_at


def slots(rules):
    """Every slot of the rules' windows, in time order."""
    length = timedelta(minutes=rules.meeting_minutes)
    found = []
    for window in MeetingWindow.objects.filter(rules=rules):
        start = window.starts_at
        while start + length <= window.ends_at:
            found.append(Slot(start, start + length))
            start += length
    return sorted(set(found), key=lambda slot: slot.starts_at)


def busy_times(participant_ids):
    """(start, end) pairs when any of these people is taken: meetings, own sessions, reserved seats."""
    meetings = Meeting.objects.filter(holds__participant_id__in=participant_ids, cancelled_at__isnull=True)
    sessions = SessionPerson.objects.filter(
        participant_id__in=participant_ids, session__cancelled_at__isnull=True
    ).values_list("session__starts_at", "session__ends_at")
    seats = Reservation.objects.filter(
        participant_id__in=participant_ids,
        status=ReservationStatus.CONFIRMED,
        session__cancelled_at__isnull=True,
    ).values_list("session__starts_at", "session__ends_at")
    return [*meetings.values_list("starts_at", "ends_at"), *sessions, *seats]


def free_tables(rules, slot):
    """(place, table number) not taken in this slot, places in their order, tables from 1."""
    taken = set(
        Meeting.objects.filter(place__rules=rules, starts_at=slot.starts_at, cancelled_at__isnull=True).values_list(
            "place_id", "table"
        )
    )
    return [
        (place, table)
        for place in MeetingPlace.objects.filter(rules=rules)
        for table in range(1, place.tables + 1)
        if (place.pk, table) not in taken
    ]


def place_meeting(request, rules):
    """Create the Meeting and both holds in the first common free slot at a free table; None when none is left.

    Runs inside the caller's transaction; each try is a savepoint, so a slot or
    table taken by a concurrent acceptance meanwhile is skipped, never doubled.
    """
    people = [request.sender_id, request.recipient_id]
    busy = busy_times(people)
    for slot in slots(rules):
        if any(slot.overlaps(start, end) for start, end in busy):
            continue
        for place, table in free_tables(rules, slot):
            meeting = _try(request, slot, place, table)
            if meeting is not None:
                return meeting
    return None


def _try(request, slot, place, table):
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                request=request,
                event_id=request.event_id,
                place=place,
                table=table,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
            )
            MeetingHold.objects.bulk_create(
                MeetingHold(meeting=meeting, participant_id=person, starts_at=slot.starts_at)
                for person in (request.sender_id, request.recipient_id)
            )
    except IntegrityError:
        return None
    return meeting
