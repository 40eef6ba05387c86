"""The room × time grid of one day of the published agenda, as CSS grid positions (pure functions).

Rows are 5-minute steps from the first full hour before the day's first session
to the first full hour after its last; row 1 is the room names. Each room gets as
many columns as it has sessions running at once, so sessions that overlap in one
room (saved anyway by an organizer) stand side by side instead of hiding each other.
"""

from dataclasses import dataclass

from django.utils import timezone

STEP = 5  # minutes per grid row


@dataclass
class GridRoom:
    room: object
    column: int  # first grid column (column 1 holds the times)
    lanes: int


@dataclass
class GridCell:
    session: object
    row: int
    row_end: int
    column: int
    span: int  # a session that overlaps nothing in its room takes the room's full width


@dataclass
class GridHour:
    label: str
    row: int


@dataclass
class Grid:
    rooms: list[GridRoom]
    hours: list[GridHour]
    cells: list[GridCell]
    columns: int
    rows: int


def day_grid(sessions, rooms):
    """The grid of `sessions` (one day's, in time order) over the `rooms` that hold any of them."""
    if not sessions:
        return None
    first = min(_minutes(s.starts_at) for s in sessions) // 60 * 60
    last = -(-max(_end_minutes(s) for s in sessions) // 60) * 60
    lanes = {room.id: lane_numbers([s for s in sessions if s.room.id == room.id]) for room in rooms}
    grid_rooms, column = [], 2
    for room in rooms:
        if lanes[room.id]:
            width = max(lanes[room.id].values()) + 1
            grid_rooms.append(GridRoom(room=room, column=column, lanes=width))
            column += width
    placed = {r.room.id: r for r in grid_rooms}
    cells = [
        GridCell(
            session=s,
            row=_row(_minutes(s.starts_at), first),
            row_end=_row(_end_minutes(s), first),
            column=placed[s.room.id].column + lanes[s.room.id][s.id],
            span=1
            if any(o.id != s.id and o.room.id == s.room.id and o.overlaps(s) for o in sessions)
            else placed[s.room.id].lanes,
        )
        for s in sessions
    ]
    hours = [GridHour(label=f"{m // 60:02d}:00", row=_row(m, first)) for m in range(first, last, 60)]
    return Grid(rooms=grid_rooms, hours=hours, cells=cells, columns=column - 1, rows=(last - first) // STEP)


def lane_numbers(sessions):
    """{session id: lane} for one room's sessions: each takes the first lane free at its start."""
    ends = []  # ends[lane] = when the lane's last session ends
    lanes = {}
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.ends_at, s.id)):
        lane = next((i for i, end in enumerate(ends) if end <= session.starts_at), len(ends))
        if lane == len(ends):
            ends.append(session.ends_at)
        ends[lane] = session.ends_at
        lanes[session.id] = lane
    return lanes


def _minutes(moment):
    local = timezone.localtime(moment)
    return local.hour * 60 + local.minute


def _end_minutes(session):
    # A session running past midnight ends, on this day's grid, at its last row.
    if timezone.localtime(session.ends_at).date() != timezone.localtime(session.starts_at).date():
        return 24 * 60
    return _minutes(session.ends_at)


def _row(minutes, first):
    return (minutes - first) // STEP + 2
