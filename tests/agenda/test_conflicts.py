"""Each conflict rule, checked by the server when a session is saved, and the recorded override."""

import pytest

from events.enums import ParticipantStatus
from sessions import services
from sessions.errors import AgendaError, ConflictsFound
from sessions.models import ConflictOverride, Session
from tests.agenda.factories import at, make_session, make_speaker

pytestmark = pytest.mark.django_db


def _codes(error):
    return sorted(conflict["code"] for conflict in error.value.conflicts)


def _changes(event, room, start="09:30", end="10:30", day=0, **extra):
    return {
        "title_vi": "Bàn tròn về quy tắc ứng xử",
        "room_id": room.pk,
        "starts_at": at(event, start, day),
        "ends_at": at(event, end, day),
        **extra,
    }


def test_create_session_free_slot_saves_without_override(event, hall, organizer):
    session = services.create_session(event=event, changes=_changes(event, hall), by=organizer)

    assert Session.objects.get().pk == session.pk
    assert ConflictOverride.objects.count() == 0


def test_create_session_room_used_at_same_time_is_room_double_booked(event, hall, organizer):
    other = make_session(event, hall, "09:00", "10:00")

    with pytest.raises(ConflictsFound) as error:
        services.create_session(event=event, changes=_changes(event, hall), by=organizer)

    assert _codes(error) == ["room_double_booked"]
    assert error.value.conflicts[0]["other_session"] == other.pk
    assert Session.objects.count() == 1


def test_create_session_back_to_back_in_same_room_has_no_conflict(event, hall, organizer):
    make_session(event, hall, "09:00", "10:00")

    services.create_session(event=event, changes=_changes(event, hall, "10:00", "11:00"), by=organizer)

    assert Session.objects.count() == 2


def test_create_session_person_in_two_rooms_is_person_double_booked(event, hall, small_room, speaker, organizer):
    make_session(event, hall, "09:00", "10:00", people=[speaker])

    with pytest.raises(ConflictsFound) as error:
        services.create_session(
            event=event, changes=_changes(event, small_room), people=[(speaker.pk, "moderator")], by=organizer
        )

    assert _codes(error) == ["person_double_booked"]
    assert "Phạm Minh Tuấn" in error.value.conflicts[0]["message"]


def test_create_session_before_first_day_is_outside_event_days(event, hall, organizer):
    with pytest.raises(ConflictsFound) as error:
        services.create_session(event=event, changes=_changes(event, hall, day=-1), by=organizer)

    assert _codes(error) == ["outside_event_days"]


def test_create_session_after_last_day_is_outside_event_days(event, hall, organizer):
    with pytest.raises(ConflictsFound) as error:
        services.create_session(event=event, changes=_changes(event, hall, day=2), by=organizer)

    assert _codes(error) == ["outside_event_days"]


def test_create_session_more_seats_than_room_is_over_room_capacity(event, small_room, organizer):
    with pytest.raises(ConflictsFound) as error:
        services.create_session(event=event, changes=_changes(event, small_room, capacity=41), by=organizer)

    assert _codes(error) == ["over_room_capacity"]


def test_create_session_seats_equal_to_room_capacity_has_no_conflict(event, small_room, organizer):
    session = services.create_session(event=event, changes=_changes(event, small_room, capacity=40), by=organizer)

    assert session.capacity == 40


@pytest.mark.parametrize(
    "status", [ParticipantStatus.PENDING, ParticipantStatus.WAITLISTED, ParticipantStatus.REJECTED]
)
def test_create_session_speaker_not_approved_is_person_not_approved(event, hall, organizer, status):
    pending = make_speaker(event, "Lê Văn Đạt", status=status)

    with pytest.raises(ConflictsFound) as error:
        services.create_session(
            event=event, changes=_changes(event, hall), people=[(pending.pk, "speaker")], by=organizer
        )

    assert _codes(error) == ["person_not_approved"]


def test_update_session_moving_into_busy_room_conflicts_and_keeps_old_place(event, hall, small_room, organizer):
    make_session(event, hall, "09:00", "10:00")
    moving = make_session(event, small_room, "09:00", "10:00", title_vi="Bàn tròn an toàn số")

    with pytest.raises(ConflictsFound):
        services.update_session(session=moving, changes={"room_id": hall.pk}, by=organizer)

    moving.refresh_from_db()
    assert moving.room_id == small_room.pk


def test_update_session_with_override_saves_and_records_who_and_which(event, hall, small_room, organizer):
    blocking = make_session(event, hall, "09:00", "10:00")
    moving = make_session(event, small_room, "09:00", "10:00", title_vi="Bàn tròn an toàn số")

    services.update_session(session=moving, changes={"room_id": hall.pk}, by=organizer, override=True)

    moving.refresh_from_db()
    record = ConflictOverride.objects.get()
    assert moving.room_id == hall.pk
    assert (record.session_id, record.by_id) == (moving.pk, organizer.pk)
    assert [(c["code"], c["other_session"]) for c in record.conflicts] == [("room_double_booked", blocking.pk)]


def test_update_session_cancelled_other_session_does_not_conflict(event, hall, small_room, organizer):
    cancelled = make_session(event, hall, "09:00", "10:00")
    Session.objects.filter(pk=cancelled.pk).update(cancelled_at=at(event, "08:00"))
    moving = make_session(event, small_room, "09:00", "10:00")

    services.update_session(session=moving, changes={"room_id": hall.pk}, by=organizer)

    assert ConflictOverride.objects.count() == 0


def test_update_session_ending_before_start_is_refused_even_with_override(event, hall, organizer):
    session = make_session(event, hall, "09:00", "10:00")

    with pytest.raises(AgendaError) as error:
        services.update_session(session=session, changes={"ends_at": at(event, "08:00")}, by=organizer, override=True)

    assert (error.value.code, error.value.field) == ("ends_before_start", "ends_at")


def test_create_session_room_of_another_event_is_refused(event, hall, organizer):
    from events.models import Event

    other_event = Event.objects.create(
        slug="khac", name_vi="Sự kiện khác", start_date=event.start_date, end_date=event.end_date
    )
    with pytest.raises(AgendaError) as error:
        services.create_session(event=other_event, changes=_changes(event, hall), by=organizer)

    assert error.value.code == "unknown_room"


def test_agenda_clashes_whole_draft_matches_single_checks(event, hall, small_room, speaker):
    from sessions import conflicts, selectors

    shared = make_session(event, hall, "09:00", "10:00", people=[speaker])
    clashing = make_session(event, small_room, "09:30", "10:30", people=[speaker], capacity=50)
    late = make_session(event, small_room, "10:30", "11:00", day=2)
    slots = [conflicts.slot_of(s) for s in selectors.draft_sessions(event)]

    found = conflicts.agenda_clashes(slots, event=event)

    assert {pk: sorted(c.code for c in clashes) for pk, clashes in found.items()} == {
        shared.pk: ["person_double_booked"],
        clashing.pk: ["over_room_capacity", "person_double_booked"],
        late.pk: ["outside_event_days"],
    }
    for slot in slots:
        single = conflicts.clashes(slot, event=event, others=slots)
        assert sorted(c.code for c in single) == sorted(c.code for c in found[slot.pk])
