"""Constant query counts whatever the size of the agenda: public page, builder data, API list."""

from datetime import timedelta

import pytest

from sessions import services
from sessions.models import Session, SessionPerson
from tests.agenda.factories import at, make_room, make_speaker, make_track

pytestmark = pytest.mark.django_db


def _agenda(event, organizer, count):
    """`count` sessions over 8 rooms and 2 days, two people each, published."""
    rooms = [make_room(event, f"Phòng {n}", capacity=100, position=n) for n in range(8)]
    track = make_track(event)
    people = [make_speaker(event, f"Diễn giả {n}") for n in range(4)]
    sessions = []
    for index in range(count):
        day, slot = divmod(index // 8, 40)
        start = at(event, "07:00", day % 2) + timedelta(minutes=15 * slot)
        sessions.append(
            Session(
                event=event,
                room=rooms[index % 8],
                track=track,
                title_vi=f"Phiên {index}",
                starts_at=start,
                ends_at=start + timedelta(minutes=15),
                capacity=20,
            )
        )
    Session.objects.bulk_create(sessions)
    SessionPerson.objects.bulk_create(
        SessionPerson(session=s, participant=people[(i + k) % 4], position=k)
        for i, s in enumerate(sessions)
        for k in (0, 1)
    )
    services.publish_agenda(event=event, by=organizer)


@pytest.mark.parametrize("count", [10, 500])
def test_agenda_page_query_count_is_constant(client, event, organizer, django_assert_num_queries, count):
    _agenda(event, organizer, count)

    with django_assert_num_queries(3):  # event, latest publication, seats
        response = client.get(f"/e/{event.slug}/agenda/")

    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 500])
def test_builder_data_query_count_is_constant(organizer_client, event, organizer, django_assert_num_queries, count):
    _agenda(event, organizer, count)

    # session, user, groups, event, sessions, people, latest publication, rooms, tracks
    with django_assert_num_queries(9):
        response = organizer_client.get(f"/api/v1/events/{event.slug}/agenda/draft")

    assert len(response.json()["sessions"]) == count


@pytest.mark.parametrize("count", [10, 500])
def test_api_agenda_query_count_is_constant(client, event, organizer, django_assert_num_queries, count):
    _agenda(event, organizer, count)

    with django_assert_num_queries(2):  # event, latest publication
        response = client.get(f"/api/v1/events/{event.slug}/agenda")

    assert len(response.json()["sessions"]) == count


@pytest.mark.parametrize("count", [10, 500])
def test_agenda_grid_query_count_is_constant(client, event, organizer, django_assert_num_queries, count):
    _agenda(event, organizer, count)

    with django_assert_num_queries(3):  # event, latest publication, seats
        response = client.get(f"/e/{event.slug}/agenda/?view=grid")

    assert len(response.context["grid"].cells) == min(count, 8 * 40)


@pytest.mark.parametrize("count", [10, 500])
def test_person_page_query_count_is_constant(client, event, organizer, django_assert_num_queries, count):
    _agenda(event, organizer, count)
    speaker = SessionPerson.objects.order_by("pk").first().participant

    with django_assert_num_queries(2):  # event, latest publication
        response = client.get(f"/e/{event.slug}/agenda/people/{speaker.pk}/")

    assert len(response.context["appearances"]) == count // 2
