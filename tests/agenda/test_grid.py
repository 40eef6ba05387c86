"""The room × time grid of one day: rows per 5 minutes, a lane per session running at once in a room."""

import pytest

from sessions import selectors, services
from sessions.grid import day_grid
from tests.agenda.factories import make_session

pytestmark = pytest.mark.django_db


def _grid(event, organizer):
    services.publish_agenda(event=event, by=organizer)
    published = selectors.published_agenda(event)
    return day_grid(published.select(day=published.days[0]), published.rooms)


def _cells(grid):
    return {cell.session.title_vi: (cell.row, cell.row_end, cell.column, cell.span) for cell in grid.cells}


def test_day_grid_rows_from_the_hour_before_the_first_session(event, hall, small_room, organizer):
    make_session(event, hall, "09:15", "10:00", title_vi="Khai mạc")
    make_session(event, small_room, "10:00", "11:30", title_vi="Bàn tròn")

    grid = _grid(event, organizer)

    assert _cells(grid) == {"Khai mạc": (5, 14, 2, 1), "Bàn tròn": (14, 32, 3, 1)}
    assert [(hour.label, hour.row) for hour in grid.hours] == [("09:00", 2), ("10:00", 14), ("11:00", 26)]
    assert (grid.columns, grid.rows) == (3, 36)


def test_day_grid_overlapping_sessions_in_one_room_stand_side_by_side(event, hall, small_room, organizer):
    make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc")
    make_session(event, hall, "09:30", "10:30", title_vi="Chồng giờ")
    make_session(event, hall, "11:00", "12:00", title_vi="Buổi sau")
    make_session(event, small_room, "09:00", "10:00", title_vi="Phòng nhỏ")

    grid = _grid(event, organizer)

    assert [(r.room.name_vi, r.column, r.lanes) for r in grid.rooms] == [
        ("Hội trường Thống Nhất", 2, 2),
        ("Phòng bàn tròn Sen", 4, 1),
    ]
    assert _cells(grid) == {
        "Khai mạc": (2, 14, 2, 1),
        "Chồng giờ": (8, 20, 3, 1),
        "Buổi sau": (26, 38, 2, 2),  # overlaps nothing: the room's full width
        "Phòng nhỏ": (2, 14, 4, 1),
    }


def test_day_grid_leaves_out_rooms_without_sessions(event, hall, small_room, organizer):
    make_session(event, small_room, "09:00", "10:00", title_vi="Bàn tròn")

    grid = _grid(event, organizer)

    assert [(r.room.name_vi, r.column) for r in grid.rooms] == [("Phòng bàn tròn Sen", 2)]


def test_day_grid_of_no_sessions_is_none():
    assert day_grid([], []) is None
