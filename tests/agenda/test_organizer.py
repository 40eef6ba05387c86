"""The agenda's to-dos on the organizer home: sessions clashing in the draft, sessions not yet published."""

import pytest

from sessions import organizer as agenda_home
from sessions import services
from tests.agenda.factories import make_session

pytestmark = pytest.mark.django_db


def counts(event):
    return {todo.key: todo.count for todo in agenda_home.todos(event)}


def test_nothing_in_the_draft_is_nothing_to_do(event):
    assert counts(event) == {"agenda_conflicts": 0, "agenda_unpublished": 0}


def test_two_sessions_in_one_room_at_once_are_two_with_conflicts(event, hall, small_room):
    make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc")
    make_session(event, hall, "09:30", "10:30", title_vi="Tin giả")
    make_session(event, small_room, "09:30", "10:30", title_vi="Bàn tròn")
    assert counts(event)["agenda_conflicts"] == 2


def test_unpublished_counts_added_changed_and_removed_sessions(event, hall, organizer):
    opening = make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc")
    doomed = make_session(event, hall, "10:00", "11:00", title_vi="Tin giả")
    assert counts(event)["agenda_unpublished"] == 2  # nothing published yet: both are new
    services.publish_agenda(event=event, by=organizer)
    assert counts(event)["agenda_unpublished"] == 0

    services.update_session(session=opening, changes={"title_vi": "Khai mạc Hội nghị"}, by=organizer)
    services.remove_session(session=doomed, by=organizer)
    make_session(event, hall, "14:00", "15:00", title_vi="Bế mạc")

    assert counts(event)["agenda_unpublished"] == 3


def test_the_builder_is_a_tool_for_those_who_write_the_agenda(event, organizer, door_staff):
    assert [tool.key for tool in agenda_home.tools(event, organizer)] == ["agenda_builder"]
    assert agenda_home.tools(event, door_staff) == []
