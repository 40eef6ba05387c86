"""The agenda's conflict rules, in one place, for the builder's live view and the server's re-check.

Rules (each a stable code):
- room_double_booked: two sessions overlap in one room;
- person_double_booked: one participant is on two overlapping sessions;
- outside_event_days: a session starts before the event's first day or ends after its last;
- over_room_capacity: more reserved seats than the room holds;
- person_not_approved: a person on the session is not (yet) an approved participant.

Everything works on `Slot`s, plain values, so the same code checks one
change against the database and the whole draft for the builder.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import ParticipantStatus


@dataclass(frozen=True)
class SlotPerson:
    participant_id: int
    name: str
    status: str


@dataclass(frozen=True)
class Slot:
    pk: int | None
    title: str
    room_id: int
    room_name: str
    room_capacity: int
    starts_at: datetime
    ends_at: datetime
    capacity: int | None = None
    people: tuple[SlotPerson, ...] = field(default_factory=tuple)

    def overlaps(self, other):
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


@dataclass(frozen=True)
class Clash:
    code: str
    message: str
    other_session: int | None = None

    def as_dict(self):
        return {"code": self.code, "message": self.message, "other_session": self.other_session}


def slot_of(session, people=None):
    """The Slot of a Session row (its room loaded); `people` are SessionPerson rows with participants."""
    people = session.people.all() if people is None else people
    return Slot(
        pk=session.pk,
        title=session.title,
        room_id=session.room_id,
        room_name=session.room.name,
        room_capacity=session.room.capacity,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=session.capacity,
        people=tuple(SlotPerson(p.participant_id, p.participant.full_name, p.participant.status) for p in people),
    )


def clashes(slot, *, event, others):
    """Every conflict of `slot` with the event and the other sessions given (any superset is fine)."""
    found = _own_clashes(slot, event)
    for other in others:
        if other.pk == slot.pk or not slot.overlaps(other):
            continue
        found.extend(_pair_clashes(slot, other))
    return found


def agenda_clashes(slots, *, event):
    """{session pk: [Clash]} for a whole draft, in one pass per day: no queries."""
    by_start = sorted(slots, key=lambda s: s.starts_at)
    result = {slot.pk: _own_clashes(slot, event) for slot in by_start}
    for index, slot in enumerate(by_start):
        for other in by_start[index + 1 :]:
            if other.starts_at >= slot.ends_at:
                break
            result[slot.pk].extend(_pair_clashes(slot, other))
            result[other.pk].extend(_pair_clashes(other, slot))
    return result


def _own_clashes(slot, event):
    found = []
    first, last = timezone.localtime(slot.starts_at).date(), timezone.localtime(slot.ends_at).date()
    if first < event.start_date or last > event.end_date:
        found.append(Clash("outside_event_days", _("The session is outside the event's days.")))
    if slot.capacity is not None and slot.capacity > slot.room_capacity:
        message = _("%(seats)s reserved seats, but %(room)s holds only %(capacity)s.") % {
            "seats": slot.capacity,
            "room": slot.room_name,
            "capacity": slot.room_capacity,
        }
        found.append(Clash("over_room_capacity", message))
    for person in slot.people:
        if person.status != ParticipantStatus.APPROVED:
            message = _("%(name)s is not (yet) an approved participant.") % {"name": person.name}
            found.append(Clash("person_not_approved", message))
    return found


def _pair_clashes(slot, other):
    found = []
    if slot.room_id == other.room_id:
        message = _("%(room)s is already used by “%(title)s” at this time.") % {
            "room": slot.room_name,
            "title": other.title,
        }
        found.append(Clash("room_double_booked", message, other.pk))
    theirs = {person.participant_id for person in other.people}
    for person in slot.people:
        if person.participant_id in theirs:
            message = _("%(name)s is also on “%(title)s” at this time.") % {"name": person.name, "title": other.title}
            found.append(Clash("person_double_booked", message, other.pk))
    return found
