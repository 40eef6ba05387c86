"""The agenda API: public agenda, organizer draft and writes, attendee reservations; who may do what."""

import pytest

from sessions import services
from sessions.models import ConflictOverride, Publication, Session
from tests.agenda.factories import at, make_session

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_published_agenda_before_publication_is_404(client, event):
    response = client.get(f"{API}/events/{event.slug}/agenda")

    assert response.status_code == 404
    assert response.json()["code"] == "agenda_not_published"


def test_published_agenda_hides_unpublished_draft_changes(client, event, hall, organizer):
    session = make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc")
    services.publish_agenda(event=event, by=organizer)
    services.update_session(session=session, changes={"title_vi": "Khai mạc (bản nháp)"}, by=organizer)
    make_session(event, hall, "11:00", "12:00", title_vi="Chưa công bố")

    body = client.get(f"{API}/events/{event.slug}/agenda").json()

    assert body["version"] == 1
    assert [s["title_vi"] for s in body["sessions"]] == ["Khai mạc"]


def test_published_agenda_english_title_with_accept_language(client, event, hall, organizer):
    make_session(event, hall)
    services.publish_agenda(event=event, by=organizer)

    body = client.get(f"{API}/events/{event.slug}/agenda", HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["sessions"][0]["title"] == "Spotting and stopping fake news"


def test_draft_anonymous_is_401_and_door_staff_403(client, event, door_staff):
    assert client.get(f"{API}/events/{event.slug}/agenda/draft").status_code == 401
    client.force_login(door_staff)
    assert client.get(f"{API}/events/{event.slug}/agenda/draft").status_code == 403


def test_draft_lists_sessions_with_their_conflicts(organizer_client, event, hall, speaker):
    first = make_session(event, hall, "09:00", "10:00", people=[speaker])
    second = make_session(event, hall, "09:30", "10:30")

    body = organizer_client.get(f"{API}/events/{event.slug}/agenda/draft").json()

    conflicts = {entry["session"]["id"]: [c["code"] for c in entry["conflicts"]] for entry in body["sessions"]}
    assert conflicts == {first.pk: ["room_double_booked"], second.pk: ["room_double_booked"]}
    assert body["sessions"][0]["session"]["people"][0]["name"] == "Phạm Minh Tuấn"


def test_create_session_conflict_answers_409_with_conflicts_then_override_saves(organizer_client, event, hall):
    make_session(event, hall, "09:00", "10:00")
    payload = {
        "title_vi": "Bàn tròn",
        "room_id": hall.pk,
        "starts_at": at(event, "09:30").isoformat(),
        "ends_at": at(event, "10:30").isoformat(),
    }

    refused = organizer_client.post(
        f"{API}/events/{event.slug}/agenda/sessions", payload, content_type="application/json"
    )
    saved = organizer_client.post(
        f"{API}/events/{event.slug}/agenda/sessions", {**payload, "override": True}, content_type="application/json"
    )

    assert refused.status_code == 409
    assert [c["code"] for c in refused.json()["conflicts"]] == ["room_double_booked"]
    assert saved.status_code == 201
    assert ConflictOverride.objects.get().session_id == saved.json()["id"]


def test_update_session_moves_it(organizer_client, event, hall, small_room):
    session = make_session(event, hall, "09:00", "10:00")

    response = organizer_client.patch(
        f"{API}/agenda/sessions/{session.pk}",
        {"room_id": small_room.pk, "starts_at": "2027-08-14T13:00:00+07:00", "ends_at": "2027-08-14T14:30:00+07:00"},
        content_type="application/json",
    )

    assert response.status_code == 200
    session.refresh_from_db()
    assert (session.room_id, session.starts_at, session.ends_at) == (
        small_room.pk,
        at(event, "13:00"),
        at(event, "14:30"),
    )


def test_update_session_bad_input_is_422_not_500(organizer_client, event, hall):
    session = make_session(event, hall)

    response = organizer_client.patch(
        f"{API}/agenda/sessions/{session.pk}", {"starts_at": "tomorrow"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_update_session_unknown_format_is_400(organizer_client, event, hall):
    session = make_session(event, hall)

    response = organizer_client.patch(
        f"{API}/agenda/sessions/{session.pk}", {"format": "concert"}, content_type="application/json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "unknown_format")


def test_publish_twice_without_changes_is_409(organizer_client, event, hall):
    make_session(event, hall)

    first = organizer_client.post(f"{API}/events/{event.slug}/agenda/publications")
    second = organizer_client.post(f"{API}/events/{event.slug}/agenda/publications")

    assert (first.status_code, first.json()["version"]) == (201, 1)
    assert (second.status_code, second.json()["code"]) == (409, "nothing_to_publish")
    assert Publication.objects.count() == 1


def test_remove_session_door_staff_is_403(client, event, hall, door_staff):
    session = make_session(event, hall)
    client.force_login(door_staff)

    assert client.delete(f"{API}/agenda/sessions/{session.pk}").status_code == 403
    assert Session.objects.count() == 1


def test_reserve_with_registration_token(client, event, small_room, attendee, organizer):
    session = make_session(event, small_room, capacity=1)
    services.publish_agenda(event=event, by=organizer)

    response = client.post(f"{API}/agenda/sessions/{session.pk}/reservation", HTTP_X_REGISTRATION_TOKEN=attendee.token)
    mine = client.get(f"{API}/agenda/sessions/{session.pk}/reservation", HTTP_X_REGISTRATION_TOKEN=attendee.token)

    assert response.json() == {"session_id": session.pk, "status": "confirmed", "waitlist_position": None}
    assert mine.json() == {"session_id": session.pk, "status": "confirmed", "waitlist_position": None}


def test_reserve_without_token_is_401(client, event, small_room):
    session = make_session(event, small_room, capacity=1)

    assert client.post(f"{API}/agenda/sessions/{session.pk}/reservation").status_code == 401


def test_versions_list_changelogs(client, event, hall, organizer):
    make_session(event, hall, title_vi="Khai mạc")
    services.publish_agenda(event=event, by=organizer)

    body = client.get(f"{API}/events/{event.slug}/agenda/versions").json()

    assert [(v["version"], [(c["kind"], c["title_vi"]) for c in v["changelog"]]) for v in body] == [
        (1, [("added", "Khai mạc")])
    ]


def test_update_session_time_without_offset_is_local_time(organizer_client, event, hall):
    session = make_session(event, hall)

    response = organizer_client.patch(
        f"{API}/agenda/sessions/{session.pk}",
        {"starts_at": "2027-08-14T15:00:00", "ends_at": "2027-08-14T16:00:00"},
        content_type="application/json",
    )

    assert response.status_code == 200
    session.refresh_from_db()
    assert session.starts_at == at(event, "15:00")


def test_create_session_person_of_another_event_is_400(organizer_client, event, hall):
    from events.models import Event
    from tests.agenda.factories import make_speaker

    other = Event.objects.create(
        slug="khac", name_vi="Tọa đàm khác", start_date=event.start_date, end_date=event.end_date
    )
    stranger = make_speaker(other, "Người ngoài")
    payload = {
        "title_vi": "Bàn tròn",
        "room_id": hall.pk,
        "starts_at": at(event, "09:00").isoformat(),
        "ends_at": at(event, "10:00").isoformat(),
        "people": [{"participant_id": stranger.pk, "role": "speaker"}],
    }

    response = organizer_client.post(
        f"{API}/events/{event.slug}/agenda/sessions", payload, content_type="application/json"
    )

    assert (response.status_code, response.json()["code"], response.json()["field"]) == (
        400,
        "unknown_person",
        "people",
    )
    assert Session.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("starts_at", "time_required"),
        ("ends_at", "time_required"),
        ("room_id", "unknown_room"),
        ("title_vi", "title_required"),
        ("format", "unknown_format"),
        ("language", "unknown_language"),
    ],
)
def test_update_session_null_values_are_400_not_500(organizer_client, event, hall, field, code):
    session = make_session(event, hall)

    response = organizer_client.patch(
        f"{API}/agenda/sessions/{session.pk}", {field: None}, content_type="application/json"
    )

    assert (response.status_code, response.json()["code"]) == (400, code)
    session.refresh_from_db()
    assert session.room_id == hall.pk and session.title_vi == "Nhận diện và ngăn chặn tin giả"
