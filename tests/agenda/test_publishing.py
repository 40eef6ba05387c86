"""Publishing numbered versions, the changelog, and the mails about moved or cancelled sessions."""

import pytest
from django.core import mail

from sessions import services
from sessions.errors import NothingToPublish
from sessions.models import Publication, Session
from tests.agenda.factories import at, make_session

pytestmark = pytest.mark.django_db(transaction=True)  # mails are sent on commit


def _kinds(publication):
    return sorted((entry["kind"], entry["title_vi"]) for entry in publication.changelog)


def test_publish_agenda_first_version_lists_every_session_as_added(event, hall, organizer):
    make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc")
    make_session(event, hall, "10:00", "11:00", title_vi="Tin giả")

    publication = services.publish_agenda(event=event, by=organizer)

    assert publication.number == 1
    assert _kinds(publication) == [("added", "Khai mạc"), ("added", "Tin giả")]
    assert mail.outbox == []


def test_publish_agenda_second_version_records_moved_retimed_and_removed(event, hall, small_room, organizer):
    moved = make_session(event, hall, "09:00", "10:00", title_vi="Chuyển phòng")
    retimed = make_session(event, hall, "10:00", "11:00", title_vi="Đổi giờ")
    removed = make_session(event, small_room, "09:00", "10:00", title_vi="Bị hủy")
    services.publish_agenda(event=event, by=organizer)

    services.update_session(
        session=moved,
        changes={"room_id": small_room.pk, "starts_at": at(event, "11:00"), "ends_at": at(event, "12:00")},
        by=organizer,
    )
    services.update_session(
        session=retimed, changes={"starts_at": at(event, "13:00"), "ends_at": at(event, "14:00")}, by=organizer
    )
    services.remove_session(session=removed, by=organizer)
    publication = services.publish_agenda(event=event, by=organizer)

    assert publication.number == 2
    assert _kinds(publication) == [
        ("moved", "Chuyển phòng"),
        ("removed", "Bị hủy"),
        ("retimed", "Chuyển phòng"),
        ("retimed", "Đổi giờ"),
    ]
    moved_entry = next(e for e in publication.changelog if e["kind"] == "moved")
    assert (moved_entry["before"]["room_vi"], moved_entry["after"]["room_vi"]) == (
        "Hội trường Thống Nhất",
        "Phòng bàn tròn Sen",
    )
    assert Session.objects.get(pk=removed.pk).cancelled_at is not None


def test_publish_agenda_without_changes_is_refused(event, hall, organizer):
    make_session(event, hall)
    services.publish_agenda(event=event, by=organizer)

    with pytest.raises(NothingToPublish):
        services.publish_agenda(event=event, by=organizer)

    assert Publication.objects.count() == 1


def test_remove_session_never_published_deletes_it(event, hall, organizer):
    session = make_session(event, hall)

    services.remove_session(session=session, by=organizer)

    assert Session.objects.count() == 0


def test_publish_agenda_moved_session_mails_speaker_and_seat_holder_in_their_language(
    event, hall, small_room, speaker, attendee, organizer
):
    roundtable = make_session(
        event,
        small_room,
        "09:00",
        "10:00",
        people=[speaker],
        capacity=10,
        title_vi="Bàn tròn an toàn số",
        title_en="Digital safety roundtable",
    )
    services.publish_agenda(event=event, by=organizer)
    services.reserve_seat(session=roundtable, participant=attendee)

    services.update_session(session=roundtable, changes={"room_id": hall.pk}, by=organizer)
    services.publish_agenda(event=event, by=organizer)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["thao.tran@example.vn", "tuan.pham@example.vn"]
    assert "Thay đổi chương trình: Bàn tròn an toàn số" in by_recipient["tuan.pham@example.vn"].subject
    assert "Agenda change: Digital safety roundtable" in by_recipient["thao.tran@example.vn"].subject
    assert "Reunification Hall" in by_recipient["thao.tran@example.vn"].body


def test_publish_agenda_cancelled_session_mails_seat_holder(event, small_room, attendee, organizer):
    roundtable = make_session(event, small_room, capacity=10)
    services.publish_agenda(event=event, by=organizer)
    services.reserve_seat(session=roundtable, participant=attendee)

    services.remove_session(session=roundtable, by=organizer)
    services.publish_agenda(event=event, by=organizer)

    assert [message.to for message in mail.outbox] == [["thao.tran@example.vn"]]
    assert "Cancelled" in mail.outbox[0].body


def test_publish_agenda_added_session_mails_nobody(event, hall, speaker, organizer):
    make_session(event, hall, "09:00", "10:00")
    services.publish_agenda(event=event, by=organizer)
    make_session(event, hall, "11:00", "12:00", people=[speaker])

    publication = services.publish_agenda(event=event, by=organizer)

    assert [entry["kind"] for entry in publication.changelog] == ["added"]
    assert mail.outbox == []


def test_publish_agenda_seat_change_is_in_the_changelog_and_mails_nobody(event, small_room, attendee, organizer):
    roundtable = make_session(event, small_room, "09:00", "10:00", capacity=20, title_vi="Bàn tròn")
    services.publish_agenda(event=event, by=organizer)
    services.reserve_seat(session=roundtable, participant=attendee)
    mail.outbox.clear()

    services.update_session(session=roundtable, changes={"capacity": 30}, by=organizer)
    second = services.publish_agenda(event=event, by=organizer)
    services.update_session(session=roundtable, changes={"capacity": 1}, by=organizer)
    third = services.publish_agenda(event=event, by=organizer)

    assert [(e["kind"], e["before"], e["after"]) for e in second.changelog] == [
        ("seats", {"capacity": 20}, {"capacity": 30})
    ]
    assert [(e["kind"], e["before"], e["after"]) for e in third.changelog] == [
        ("seats", {"capacity": 30}, {"capacity": 1})
    ]
    assert mail.outbox == []


def test_moving_the_event_moves_its_sessions_and_publishes_again(event, hall, organizer):
    from datetime import timedelta

    from events.services import move_event

    opening = make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc")
    services.publish_agenda(event=event, by=organizer)
    draft = make_session(event, hall, "11:00", "12:00", title_vi="Chưa công bố")
    starts, ends = opening.starts_at, draft.ends_at

    move_event(event=event, start_date=event.start_date + timedelta(days=3))

    opening.refresh_from_db()
    draft.refresh_from_db()
    assert (opening.starts_at, draft.ends_at) == (starts + timedelta(days=3), ends + timedelta(days=3))
    latest = Publication.objects.get(number=2)
    assert (latest.published_by, _kinds(latest)) == (organizer, [("added", "Chưa công bố"), ("retimed", "Khai mạc")])
